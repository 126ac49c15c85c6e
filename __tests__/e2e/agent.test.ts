// `agent: true`, end to end: the built action, its agent process, real git through `git
// http-backend`, and the `app-token` command, against the fake GitHub with tokens that live
// seconds, so the hour passes within a test.
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkoutAuthHeader, createBareRepo, git, gitEnv, gitRefused } from '../support/fake-git.ts';
import { useGitRepos } from '../support/git-repos.ts';
import type { StepResult } from '../support/runner.ts';
import { useFakeGitHub } from '../support/scenario.ts';

const LIFETIME_MS = 8000;
const repos = useGitRepos();
const s = useFakeGitHub({
  git: repos,
  tokenLifetimeMs: LIFETIME_MS,
  installations: [
    { id: 1001, account: 'octo-org', accountType: 'Organization', repositories: ['app-token', 'api', 'web'] },
    { id: 1003, account: 'other-org', accountType: 'Organization', repositories: ['lib', 'secret'] }
  ]
});

const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Job {
  main: StepResult;
  pid: number;
  /** the environment a later step gets: GITHUB_ENV and GITHUB_PATH applied */
  env: Record<string, string>;
  home: string;
  run(args: string[], opts?: { cwd?: string }): Promise<string>;
  refused(args: string[], opts?: { cwd?: string }): Promise<string>;
  appToken(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;
  post(inputs?: Record<string, string>): Promise<StepResult>;
}

async function startJob(inputs: Record<string, string> = {}, env: Record<string, string> = {}, home?: string): Promise<Job> {
  const all = { agent: 'true', 'permission-contents': 'write', ...inputs };
  const main = await s.main(all, { RUNNER_TRACKING_ID: 'github_test-tracking-id', GITHUB_SERVER_URL: s.gh.origin, ...env, ...(home ? { HOME: home } : {}) });
  expect(main.code).toBe(0);
  const pid = Number(main.state['agent-pid']);
  if (pid) pids.push(pid);
  const jobHome = main.home;
  const later: Record<string, string> = {
    ...gitEnv(jobHome),
    ...(env['GIT_CONFIG_GLOBAL'] ? { GIT_CONFIG_GLOBAL: env['GIT_CONFIG_GLOBAL'] } : {}),
    ...main.exportedEnv,
    PATH: [...main.addedPaths, process.env.PATH ?? ''].join(':')
  };
  return {
    main,
    pid,
    env: later,
    home: jobHome,
    run: (args, opts = {}) => git(args, { home: jobHome, cwd: opts.cwd, env: later }),
    refused: (args, opts = {}) => gitRefused(args, { home: jobHome, cwd: opts.cwd, env: later }),
    appToken: (...args) =>
      new Promise((resolve) => {
        const started = Date.now();
        execFile('app-token', args, { env: later, timeout: 20_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr, ms: Date.now() - started })
        );
      }),
    post: (extra = {}) => s.post({ inputs: { ...s.base(), ...all, ...extra }, state: main.state, home: jobHome, env: { GITHUB_SERVER_URL: s.gh.origin, ...env } })
  };
}

const remote = (owner: string, repo: string): string => `${s.gh.origin}/${owner}/${repo}.git`;
/** The git requests to one repository: status, and whether the token they carried was live. */
const gitTraffic = (owner: string, repo: string) => s.gh.requests.filter((r) => r.path.startsWith(`/${owner}/${repo}.git/`));

async function commit(job: Job, dir: string, file: string): Promise<void> {
  writeFileSync(join(dir, file), `${file}\n`);
  await job.run(['add', file], { cwd: dir });
  await job.run(['-c', 'user.name=Octo Cat', '-c', 'user.email=octocat@example.com', 'commit', '-q', '-m', `Add ${file}`], { cwd: dir });
}

describe('git past the token’s lifetime', () => {
  it('a push after the first token expired succeeds with a new token', async () => {
    const api = createBareRepo(repos, 'octo-org', 'api');
    const job = await startJob({ repositories: 'api' });
    const first = job.main.outputs['token'] ?? '';
    const dir = join(job.home, 'api');
    await job.run(['clone', '-q', remote('octo-org', 'api'), dir]);
    expect(new Set(gitTraffic('octo-org', 'api').filter((r) => r.carried).map((r) => r.carried))).toEqual(new Set([first]));

    await sleep(LIFETIME_MS + 500); // the step's token has expired
    expect(s.gh.tokens.get(first)?.expiresAt.getTime()).toBeLessThan(s.gh.now());
    s.gh.reset();
    await commit(job, dir, 'late.txt');
    await job.run(['push', '-q', 'origin', 'HEAD:main'], { cwd: dir });
    const pushed = gitTraffic('octo-org', 'api').filter((r) => r.carried);
    expect(pushed.length).toBeGreaterThan(0);
    expect(pushed.every((r) => r.live && r.carried !== first)).toBe(true);
    expect(await job.run(['log', '-1', '--format=%s', 'main'], { cwd: api })).toBe('Add late.txt');
    expect((await job.post()).code).toBe(0);
  });
});
