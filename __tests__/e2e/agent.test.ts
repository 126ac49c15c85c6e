// `agent: true`, end to end: the built action, its agent process, real git through `git
// http-backend`, and the `app-token` command, against the fake GitHub with tokens that live
// seconds, so the hour passes within a test. CI runs this on Linux, macOS and Windows: what only
// one system can show (/proc, SIGSTOP, file modes) is checked where it can be, case by case.
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { endpoint } from '../../src/agent-protocol.ts';
import { checkoutAuthHeader, createBareRepo, git, gitEnv, gitRefused } from '../../fake-github/git.ts';
import { useGitRepos } from '../support/git-repos.ts';
import type { StepResult } from '../support/runner.ts';
import { appJwt } from '../../fake-github/auth.ts';
import { useFakeGitHub } from '../support/scenario.ts';

const LIFETIME_MS = 8000;
const windows = process.platform === 'win32';
const linux = process.platform === 'linux';
/** SIGSTOP: Linux and macOS */
const itWithSignals = windows ? it.skip : it;
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

/** Whether the process runs: not ended, and (where /proc tells) not a zombie its new parent has yet to reap. */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!linux) return true;
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** The command line of every process (Windows: through PowerShell), or of one. */
function commandLines(pid?: number): string {
  if (windows) {
    const filter = pid === undefined ? '' : ` -Filter "ProcessId=${pid}"`;
    return execFileSync('powershell.exe', ['-NoProfile', '-Command', `Get-CimInstance Win32_Process${filter} | ForEach-Object { $_.CommandLine }`], { encoding: 'utf8' });
  }
  if (linux && pid !== undefined) return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  return execFileSync('ps', pid === undefined ? ['-Aww', '-o', 'args='] : ['-ww', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
}

/** What a later step's shell finds on PATH: Windows runs `app-token.cmd` (cmd or pwsh), the others the sh script. */
function runAppToken(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const [file, argv] = windows ? [process.env['ComSpec'] ?? 'cmd.exe', ['/d', '/c', 'app-token.cmd', ...args]] : ['app-token', args];
  return new Promise((resolve) => {
    const started = Date.now();
    execFile(file, argv, { env, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: stdout.replace(/\r\n/g, '\n'), stderr: stderr.replace(/\r\n/g, '\n'), ms: Date.now() - started })
    );
  });
}

/** Windows programs (Node among them) cannot open a socket without these; a later step has them. */
const windowsEnv = (): Record<string, string> =>
  windows
    ? Object.fromEntries(['SystemRoot', 'SystemDrive', 'windir', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP'].flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name] ?? '']])))
    : {};

/** macOS's temp dir is so deep that a socket path under it passes Unix's 103 bytes: a short RUNNER_TEMP, as on hosted runners. */
const shortTemps: string[] = [];
afterEach(() => {
  for (const dir of shortTemps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function runnerTemp(): Record<string, string> {
  if (process.platform !== 'darwin') return {};
  const dir = mkdtempSync('/tmp/at-');
  shortTemps.push(dir);
  return { RUNNER_TEMP: dir };
}
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
  const main = await s.main(all, { RUNNER_TRACKING_ID: 'github_test-tracking-id', GITHUB_SERVER_URL: s.gh.origin, ...runnerTemp(), ...env, ...(home ? { HOME: home } : {}) });
  expect(main.code).toBe(0);
  const pid = Number(main.state['agent-pid']);
  if (pid) pids.push(pid);
  const jobHome = main.home;
  const later: Record<string, string> = {
    ...windowsEnv(),
    ...gitEnv(jobHome),
    ...(env['GIT_CONFIG_GLOBAL'] ? { GIT_CONFIG_GLOBAL: env['GIT_CONFIG_GLOBAL'] } : {}),
    ...main.exportedEnv,
    PATH: [...main.addedPaths, process.env.PATH ?? ''].join(delimiter)
  };
  return {
    main,
    pid,
    env: later,
    home: jobHome,
    run: (args, opts = {}) => git(args, { home: jobHome, cwd: opts.cwd, env: later }),
    refused: (args, opts = {}) => gitRefused(args, { home: jobHome, cwd: opts.cwd, env: later }),
    appToken: (...args) => runAppToken(args, later),
    post: (extra = {}) => s.post({ inputs: { ...s.base(), ...all, ...extra }, state: main.state, home: jobHome, env: { GITHUB_SERVER_URL: s.gh.origin, RUNNER_TEMP: main.env['RUNNER_TEMP'], ...env } })
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

/** A repository whose main branch has a submodule at `lib` pointing at `url` (commit `sha`). */
function createWithSubmodule(owner: string, repo: string, url: string, sha: string): void {
  const bare = createBareRepo(repos, owner, repo);
  const sync = (args: string[], input?: string): string =>
    execFileSync('git', args, { cwd: bare, env: { ...gitEnv(repos.root), GIT_AUTHOR_NAME: 'Octo Cat', GIT_AUTHOR_EMAIL: 'o@example.com', GIT_COMMITTER_NAME: 'Octo Cat', GIT_COMMITTER_EMAIL: 'o@example.com' }, input, encoding: 'utf8' }).trim();
  const modules = sync(['hash-object', '-w', '--stdin'], `[submodule "lib"]\n\tpath = lib\n\turl = ${url}\n`);
  const tree = sync(['mktree'], `100644 blob ${modules}\t.gitmodules\n160000 commit ${sha}\tlib\n`);
  sync(['update-ref', 'refs/heads/main', sync(['commit-tree', tree, '-p', 'main', '-m', 'Add lib'])]);
}

describe('repositories of other owners', () => {
  it('a submodule in another owner clones with agent-owners, with a token for that one repository', async () => {
    const lib = createBareRepo(repos, 'other-org', 'lib');
    createBareRepo(repos, 'other-org', 'secret');
    const libSha = execFileSync('git', ['rev-parse', 'main'], { cwd: lib, env: gitEnv(repos.root), encoding: 'utf8' }).trim();
    createWithSubmodule('octo-org', 'api', remote('other-org', 'lib'), libSha);
    const job = await startJob({ repositories: 'api', 'agent-owners': 'other-org', 'permission-contents': 'read' });
    expect(job.main.outputs['repositories']).toBe('api'); // the step's own token is as without the agent
    const dir = join(job.home, 'api');
    await job.run(['-c', 'protocol.file.allow=never', 'clone', '-q', '--recurse-submodules', remote('octo-org', 'api'), dir]);
    expect(existsSync(join(dir, 'lib', 'README.md'))).toBe(true);
    const libTokens = new Set(gitTraffic('other-org', 'lib').filter((r) => r.carried).map((r) => r.carried ?? ''));
    expect(libTokens.size).toBe(1);
    const [libToken] = [...libTokens];
    const issued = s.gh.tokens.get(libToken ?? '');
    expect(issued).toMatchObject({ installationId: 1003, repositories: ['lib'], permissions: { contents: 'read' } });
    expect(s.gh.requests.some((r) => r.method === 'GET' && r.path === '/repos/other-org/lib/installation')).toBe(true);
    // the same token does not reach the owner's other repository
    expect(await gitRefused(['-c', checkoutAuthHeader(libToken ?? ''), 'ls-remote', remote('other-org', 'secret')], { home: job.home })).toMatch(/Repository not found/);
    const post = await job.post();
    expect(post.stdout).toMatch(/Token agent stopped: minted 1 token \(other-org\/lib ×1\); refused 0 requests; revoked 1\./);
    expect(issued?.revoked).toBe(true);
  });

  it('without agent-owners the submodule fails, and app-token --repository says which input to change', async () => {
    const lib = createBareRepo(repos, 'other-org', 'lib');
    const libSha = execFileSync('git', ['rev-parse', 'main'], { cwd: lib, env: gitEnv(repos.root), encoding: 'utf8' }).trim();
    createWithSubmodule('octo-org', 'api', remote('other-org', 'lib'), libSha);
    const job = await startJob({ repositories: 'api' });
    const stderr = await job.refused(['clone', '-q', '--recurse-submodules', remote('octo-org', 'api'), join(job.home, 'api')]);
    expect(stderr).toMatch(/could not read Username for/);
    expect(gitTraffic('other-org', 'lib').every((r) => !r.carried)).toBe(true);
    const asked = await job.appToken('--repository', 'other-org/lib');
    expect(asked.code).not.toBe(0);
    expect(asked.stdout).toBe('');
    expect(asked.stderr.trim().split('\n')).toEqual([
      `app-token: No token for other-org/lib: it is outside this step's scope (octo-org/api). To allow it, add 'other-org' to 'agent-owners' of the App Token step.`
    ]);
    const post = await job.post();
    expect(post.stdout).toMatch(/refused 1 request \(other-org\/lib outside the scope ×1\)/);
  });
});

describe('app-token', () => {
  it('prints a working token of the step’s scope, masked first on stderr; refuses a repository outside it', async () => {
    const job = await startJob({ repositories: 'api, web', 'permission-contents': 'read' });
    const { code, stdout, stderr } = await job.appToken();
    expect({ code, stderr: code ? stderr : '' }).toEqual({ code: 0, stderr: '' });
    const token = stdout.trim();
    expect(stdout).toBe(`${token}\n`);
    expect(stderr).toBe(`::add-mask::${token}\n`);
    const reply = await fetch(`${s.gh.url}/repos/octo-org/web`, { headers: { authorization: `token ${token}` } });
    expect(reply.status).toBe(200);
    const one = await job.appToken('--repository', 'octo-org/api');
    expect(one.code).toBe(0);
    // inside the scope: a token of the step's scope (the step's own, or a new one if it got old meanwhile under load)
    expect(s.gh.tokens.get(one.stdout.trim())).toMatchObject({ installationId: 1001, repositories: ['api', 'web'], permissions: { contents: 'read' } });
    const outside = await job.appToken('--repository', 'octo-org/app-token');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toBe(
      `app-token: No token for octo-org/app-token: it is outside this step's scope (octo-org/api, octo-org/web). To allow it, add 'app-token' to 'repositories', or add 'octo-org' to 'agent-owners' of the App Token step.\n`
    );
    const bad = await job.appToken('--repository', 'not a repo');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^app-token: 'not a repo' is not a repository; give it as owner\/name\.\n$/);
  });
});

describe('the job’s other credentials', () => {
  it('a persisted extraheader with a dead token does not stop git for the agent’s repositories; other URLs keep the job’s header and helper', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const globalConfig = join(repos.root, 'global.gitconfig');
    // an earlier step's helper for the whole server
    writeFileSync(globalConfig, `[credential "${s.gh.origin}"]\n\thelper = "!f() { echo username=job; echo password=JOB-HELPER; }; f"\n`);
    const job = await startJob({ repositories: 'api' }, { GIT_CONFIG_GLOBAL: globalConfig });
    const dir = join(job.home, 'checkout');
    await job.run(['init', '-q', dir]);
    // what actions/checkout persists: the step's token, long dead by now, for the whole server
    const dead = `http.${s.gh.origin}/.extraheader`;
    const header = checkoutAuthHeader('ghs_dead-checkout-token').slice('http.extraheader='.length);
    await job.run(['config', '--local', dead, header], { cwd: dir });
    await job.run(['remote', 'add', 'origin', remote('octo-org', 'api')], { cwd: dir });

    expect(await job.run(['config', '--get-urlmatch', 'http.extraheader', remote('octo-org', 'api')], { cwd: dir })).toBe('');
    expect(await job.run(['config', '--get-urlmatch', 'http.extraheader', remote('octo-org', 'web')], { cwd: dir })).toBe(header);
    const fill = (url: string) => git(['credential', 'fill'], { home: job.home, cwd: dir, env: job.env, input: `url=${url}\n\n` });
    const agentFill = await fill(remote('octo-org', 'api'));
    expect(agentFill).toMatch(/^username=x-access-token$/m);
    const password = /^password=(.*)$/m.exec(agentFill)?.[1] ?? '';
    expect(s.gh.tokens.has(password)).toBe(true);
    expect(await fill(remote('octo-org', 'web'))).toMatch(/^username=job\npassword=JOB-HELPER$/m);
    expect(await job.run(['config', '--get-urlmatch', 'credential.usehttppath', remote('octo-org', 'web')], { cwd: dir }).catch(() => 'unset')).toBe('unset');

    s.gh.reset();
    await job.run(['fetch', '-q', 'origin'], { cwd: dir });
    const fetched = gitTraffic('octo-org', 'api');
    expect(fetched.some((r) => r.carried === 'ghs_dead-checkout-token')).toBe(false);
    expect(fetched.filter((r) => r.carried).every((r) => r.live)).toBe(true);
    expect((await job.post()).code).toBe(0);
  });
});

describe('post', () => {
  it('leaves no agent process, no live token and the global git config byte for byte as before', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const globalConfig = join(repos.root, 'global.gitconfig');
    const before = `[user]\n\tname = Octo Cat\n[credential]\n\thelper = "!f() { :; }; f"\n[include]\n\tpath = /nonexistent/other.gitconfig\n`;
    writeFileSync(globalConfig, before);
    const job = await startJob({ owner: 'octo-org' }, { GIT_CONFIG_GLOBAL: globalConfig });
    expect(readFileSync(globalConfig, 'utf8')).not.toBe(before);
    await job.run(['ls-remote', remote('octo-org', 'api')]);
    await sleep((LIFETIME_MS * 5) / 6 + 300); // the step's token has less than a sixth of its life left
    await job.run(['ls-remote', remote('octo-org', 'api')]); // a second token, minted by the agent
    expect(alive(job.pid)).toBe(true);
    const post = await job.post();
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/Token agent stopped: minted 1 token \(octo-org\/\* ×1\); refused 0 requests; revoked 1\./);
    expect(alive(job.pid)).toBe(false);
    const now = s.gh.now();
    expect([...s.gh.tokens.values()].filter((t) => !t.revoked && t.expiresAt.getTime() > now)).toEqual([]);
    expect(readFileSync(globalConfig, 'utf8')).toBe(before);
    expect(existsSync(job.main.state['agent-dir'] ?? '')).toBe(false);
  });

  it('a global config that main created is gone again', async () => {
    const job = await startJob({ repositories: 'api' });
    expect(existsSync(join(job.home, '.gitconfig'))).toBe(true);
    await job.post();
    expect(existsSync(join(job.home, '.gitconfig'))).toBe(false);
  });

  it('skip-token-revoke: the agent still stops, its tokens stay valid', async () => {
    const job = await startJob({ repositories: 'api', 'skip-token-revoke': 'true', 'agent-owners': 'other-org' });
    const minted = (await job.appToken('--repository', 'other-org/lib')).stdout.trim(); // minted by the agent, at once
    const post = await job.post();
    expect(post.stdout).toMatch(/revoked none: 'skip-token-revoke' is true\./);
    expect(alive(job.pid)).toBe(false);
    expect(s.gh.tokens.get(minted)?.revoked).toBe(false);
  });
});

describe('a dead agent', () => {
  it('git fails within 5 s with the message; post still revokes the step’s token and says what it could not', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const job = await startJob({ repositories: 'api', 'agent-owners': 'other-org' });
    const minted = (await job.appToken('--repository', 'other-org/lib')).stdout.trim(); // minted by the agent, at once
    expect(s.gh.tokens.get(minted)).toMatchObject({ installationId: 1003, revoked: false });
    process.kill(job.pid, 'SIGKILL');
    await sleep(100);
    const started = Date.now();
    const stderr = await job.refused(['ls-remote', remote('octo-org', 'api')]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stderr).toContain("app-token: the App Token agent is not running (post stopped it, 'agent-lifetime' ran out, or it was killed), so there is no fresh token.");
    const post = await job.post();
    expect(post.code).toBe(0);
    expect(post.stdout).toMatch(/The token agent was not running at the end of the job \(.*\): 1 token it minted \(for other-org\/lib\) could not be revoked; they stay valid until \S+ at the latest\./);
    expect(post.stdout).toMatch(/^Token revoked\.$/m);
    expect(s.gh.tokens.get(job.main.outputs['token'] ?? '')?.revoked).toBe(true); // the step's own, by post as always
    expect(s.gh.tokens.get(minted)?.revoked).toBe(false);
  });

  itWithSignals('a hung agent: app-token fails within 5 s', async () => {
    const job = await startJob({ repositories: 'api' });
    await job.appToken();
    process.kill(job.pid, 'SIGSTOP');
    try {
      const hung = await job.appToken();
      expect(hung.ms).toBeLessThan(5000);
      expect(hung.code).toBe(1);
      expect(hung.stderr).toMatch(/^app-token: the App Token agent did not answer within 4\.5 s\./);
    } finally {
      process.kill(job.pid, 'SIGCONT');
    }
    await job.post();
  });
});

describe('what protects the key and the tokens', () => {
  it('the key is not in the agent’s command line, environment or files; its directory is 0700; a request without the secret is refused', async () => {
    const job = await startJob({ repositories: 'api' });
    const keyLine = s.key.split('\n')[1] ?? '';
    expect(keyLine.length).toBeGreaterThan(40);
    const cmdline = commandLines(job.pid);
    // the environment of another process: /proc on Linux only
    const environ = linux ? readFileSync(`/proc/${job.pid}/environ`, 'utf8') : '';
    expect(cmdline).toContain('serve');
    for (const text of [cmdline, environ]) {
      expect(text).not.toContain(keyLine);
      expect(text).not.toContain('INPUT_');
      expect(text).not.toContain(job.main.outputs['token']);
    }
    if (linux) expect(environ.split('\0')).toContain('RUNNER_TRACKING_ID=github_test-tracking-id');
    const dir = job.main.state['agent-dir'] ?? '';
    if (!windows) {
      // Windows has no such modes: the directory is under the user's own RUNNER_TEMP, the pipe has a random name
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
    }
    const printed = await job.appToken();
    expect({ code: printed.code, stderr: printed.code === 0 ? '' : `${printed.stderr} after ${printed.ms} ms; agent alive: ${alive(job.pid)}; files: ${readdirSync(dir).join(',')}` }).toEqual({ code: 0, stderr: '' }); // on failure, the diff says why
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) expect(readFileSync(join(file.parentPath, file.name), 'utf8')).not.toContain(keyLine);
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(endpoint(dir));
      let data = '';
      socket.on('data', (chunk) => (data += String(chunk)));
      socket.on('close', () => resolve(data));
      socket.write(`${JSON.stringify({ op: 'token', secret: 'f'.repeat(64) })}\n`);
    });
    expect(JSON.parse(answer)).toEqual({ ok: false, message: "Refused: the request does not carry the agent's secret." });
    await job.post();
  });
});

describe('agent off', () => {
  it('no process, no PATH entry, no git config, no GITHUB_ENV', async () => {
    const main = await s.main({ repositories: 'api' }, { GITHUB_SERVER_URL: s.gh.origin });
    expect(main.code).toBe(0);
    expect(Object.keys(main.state).filter((k) => k.startsWith('agent'))).toEqual([]);
    expect(main.addedPaths).toEqual([]);
    expect(main.exportedEnv).toEqual({});
    expect(existsSync(join(main.home, '.gitconfig'))).toBe(false);
    expect(main.stdout).not.toMatch(/agent/i);
    expect(commandLines()).not.toContain(main.env['RUNNER_TEMP'] ?? 'no runner temp');
  });

  it("'agent' with 'app-jwt' fails before any request", async () => {
    const jwt = appJwt(s.key, s.gh.app.clientId);
    const main = await s.main({ agent: 'true', 'private-key': '', 'app-jwt': jwt });
    expect(main.code).toBe(1);
    expect(main.stdout).toMatch(/::error::Input 'agent' cannot be used with 'app-jwt'/);
    expect(s.gh.requests).toEqual([]);
  });
});
