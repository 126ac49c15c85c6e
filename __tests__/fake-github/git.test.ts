// The fake's git bridge itself: GitHub's answers to git over HTTP, at the host root (also when the
// API has a GHES prefix), and a clear message when git-http-backend is missing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { checkoutAuthHeader, createBareRepo, git, gitHttpBackend } from '../../fake-github/git.ts';
import { useGitRepos } from '../support/git-repos.ts';
import { generateAppKey } from '../support/runner.ts';

const repos = useGitRepos();
let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ app: { privateKey: generateAppKey().privateKeyPem }, pathPrefix: '/api/v3', git: repos });
});
afterAll(() => gh.close());

/** A token the fake minted, without going through the action. */
function mint(repositories: string[] | null, permissions: Record<string, string>): string {
  const token = `ghs_test${gh.tokens.size}`;
  gh.tokens.set(token, { installationId: 1001, issuedAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000), revoked: false, repositories, permissions });
  return token;
}

const refs = (repo: string, service = 'git-upload-pack') => `${gh.origin}/octo-org/${repo}.git/info/refs?service=${service}`;
const basic = (user: string, token: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}` });

describe('git over HTTP', () => {
  it('answers 401 with a Basic challenge without credentials, or with another user name than x-access-token', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const token = mint(null, { contents: 'read' });
    const none = await fetch(refs('api'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="GitHub"');
    expect((await fetch(refs('api'), { headers: basic('someone', token) })).status).toBe(401);
    const ok = await fetch(refs('api'), { headers: basic('x-access-token', token) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement');
  });

  it('serves at the host root when the API has a prefix (GHES), in any case of the names', async () => {
    createBareRepo(repos, 'octo-org', 'web', 'web readme\n');
    const token = mint(['web'], { contents: 'read' });
    const home = repos.root;
    const dir = join(home, 'clone');
    await git(['-c', checkoutAuthHeader(token), 'clone', '-q', `${gh.origin}/Octo-Org/WEB.git`, dir], { home });
    expect(await git(['show', 'HEAD:README.md'], { cwd: dir, home })).toBe('web readme');
    expect((await fetch(`${gh.url}/octo-org/web.git/info/refs?service=git-upload-pack`, { headers: basic('x-access-token', token) })).status).toBe(404);
  });

  it('refuses dumb HTTP and a token without contents access', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const reader = mint(['api'], { contents: 'read' });
    expect((await fetch(`${gh.origin}/octo-org/api.git/info/refs`, { headers: basic('x-access-token', reader) })).status).toBe(403);
    const issuesOnly = mint(['api'], { issues: 'write' });
    const refused = await fetch(refs('api'), { headers: basic('x-access-token', issuesOnly) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe('Permission to octo-org/api.git denied to my-app[bot].\n');
    expect((await fetch(refs('api', 'git-receive-pack'), { headers: basic('x-access-token', reader) })).status).toBe(403);
  });

  it('says what to install when git-http-backend is missing', () => {
    expect(gitHttpBackend()).toMatch(/git-http-backend$/);
    expect(() => gitHttpBackend('/nonexistent/git-core')).toThrow(
      'fake-git: /nonexistent/git-core/git-http-backend does not exist; install a git package that ships git-http-backend'
    );
  });
});
