// The token where workflows use it, with real git (git http-backend behind the fake):
// push as the app, and a token's scope and lifetime as git sees them.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutAuthHeader, createBareRepo, git, gitRefused } from '../../fake-github/git.ts';
import { useGitRepos } from '../support/git-repos.ts';
import { useFakeGitHub } from '../support/scenario.ts';

const repos = useGitRepos();
const s = useFakeGitHub({ git: repos });

const remote = (repo: string): string => `${s.gh.origin}/octo-org/${repo}.git`;
/** Statuses the fake answered for git requests to one repository, in order. */
const gitStatuses = (repo: string): number[] =>
  s.gh.requests.filter((r) => r.path.startsWith(`/octo-org/${repo}.git/`)).map((r) => r.status);

/** Clones like actions/checkout: the token in http.extraheader, never in the URL or config. */
async function clone(token: string, repo: string, home: string): Promise<string> {
  const dir = join(home, `work-${repo}`);
  await git(['-c', checkoutAuthHeader(token), 'clone', '-q', remote(repo), dir], { home });
  return dir;
}

/** Commits a new file with the identity git finds in HOME (or the one given with -c). */
async function commit(dir: string, home: string, file: string, config: string[] = []): Promise<string> {
  writeFileSync(join(dir, file), `${file}\n`);
  await git(['add', file], { cwd: dir, home });
  await git([...config, 'commit', '-q', '-m', `Add ${file}`], { cwd: dir, home });
  return git(['rev-parse', 'HEAD'], { cwd: dir, home });
}

const push = (token: string, repo: string): string[] => ['-c', checkoutAuthHeader(token), 'push', remote(repo), 'HEAD:main'];

describe('push commits as the app', () => {
  it('clones with the token, pushes as <slug>[bot], is refused elsewhere and after post', async () => {
    const api = createBareRepo(repos, 'octo-org', 'api');
    const web = createBareRepo(repos, 'octo-org', 'web');
    const main = await s.main({ 'configure-git': 'true', 'permission-contents': 'write', repositories: 'api' });
    expect(main.code).toBe(0);
    const token = main.outputs['token'] ?? '';
    const home = main.home; // the step's HOME, where configure-git wrote user.name/user.email
    const bot = 'my-app[bot] <987654321+my-app[bot]@users.noreply.127.0.0.1>';
    expect(main.outputs['committer']).toBe(bot);

    const dir = await clone(token, 'api', home);
    const sha = await commit(dir, home, 'stamp.txt');
    await git(push(token, 'api'), { cwd: dir, home });
    // what the server received, read from the bare repository itself
    expect(await git(['rev-parse', 'main'], { cwd: api, home })).toBe(sha);
    expect(await git(['log', '-1', '--format=%an <%ae>|%cn <%ce>', 'main'], { cwd: api, home })).toBe(`${bot}|${bot}`);
    expect(await git(['config', '--list'], { cwd: dir, home })).not.toContain(token);

    // a repository of the same owner that the token does not cover: not found, as on GitHub
    const webBefore = await git(['rev-parse', 'main'], { cwd: web, home });
    expect(await gitRefused(push(token, 'web'), { cwd: dir, home })).toMatch(/Repository not found/);
    expect(gitStatuses('web')).toEqual([404]);
    expect(await git(['rev-parse', 'main'], { cwd: web, home })).toBe(webBefore);

    const post = await s.post({ state: main.state, home });
    expect(post.code).toBe(0);
    // the same push with the same token, after the post step revoked it
    await commit(dir, home, 'after-post.txt');
    s.gh.reset();
    expect(await gitRefused(push(token, 'api'), { cwd: dir, home })).toMatch(/Authentication failed|could not read Username/);
    expect(gitStatuses('api')).toEqual([401]);
    expect(await git(['rev-parse', 'main'], { cwd: api, home })).toBe(sha);
  });
});

describe('the token reaches what was asked, and only that', () => {
  it('contents: read on two repositories: both clone, neither takes a push, a third is invisible', async () => {
    for (const name of ['api', 'web', 'app-token']) createBareRepo(repos, 'octo-org', name);
    const main = await s.main({ repositories: 'api, web', 'permission-contents': 'read' });
    expect(main.code).toBe(0);
    const token = main.outputs['token'] ?? '';
    const home = main.home;
    for (const name of ['api', 'web']) {
      const dir = await clone(token, name, home);
      await commit(dir, home, 'change.txt', ['-c', 'user.name=Octo Cat', '-c', 'user.email=octocat@example.com']);
      expect(await gitRefused(push(token, name), { cwd: dir, home })).toContain(`Permission to octo-org/${name}.git denied to my-app[bot].`);
    }
    // the clone's requests (their count depends on git's protocol version), then the refused push
    for (const name of ['api', 'web']) {
      const statuses = gitStatuses(name);
      expect(statuses.pop()).toBe(403);
      expect(new Set(statuses)).toEqual(new Set([200]));
    }
    const stderr = await gitRefused(['-c', checkoutAuthHeader(token), 'clone', '-q', remote('app-token'), join(home, 'third')], { home });
    expect(stderr).toMatch(/Repository not found/);
    expect(gitStatuses('app-token')).toEqual([404]);
    expect((await s.post({ state: main.state, home })).code).toBe(0);
  });

  it('an expired token is refused like a bad one (401)', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const main = await s.main({ repositories: 'api' });
    const token = main.outputs['token'] ?? '';
    await clone(token, 'api', main.home);
    expect(gitStatuses('api').every((status) => status === 200)).toBe(true);
    s.gh.reset();
    s.gh.setClockOffset(3_600_000 + 1000); // past expires-at on the fake's clock
    try {
      await gitRefused(['-c', checkoutAuthHeader(token), 'ls-remote', remote('api')], { home: main.home });
    } finally {
      s.gh.setClockOffset(0);
    }
    expect(gitStatuses('api')).toEqual([401]);
  });

  it('a credential that is not an installation token is refused with 401, without a prompt', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const home = repos.root;
    const stderr = await gitRefused(['-c', checkoutAuthHeader('ghs_not-a-token'), 'ls-remote', remote('api')], { home });
    expect(stderr).toMatch(/terminal prompts disabled|Authentication failed/);
    expect(gitStatuses('api')).toEqual([401]);
  });
});
