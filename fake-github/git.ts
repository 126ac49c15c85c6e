// Git over HTTP for the fake GitHub, served by real git: `git http-backend` (the CGI shipped with
// git) runs once per request over a folder of bare repositories, behind GitHub's token checks.
// Who may fetch or push is the access rule the REST routes follow (access.ts); git sends the
// token as HTTP Basic, user `x-access-token`, the token as password (auth.ts parses it).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkAccess } from './access.ts';
import type { RequestAuth } from './auth.ts';
import type { FakeState } from './objects.ts';
import type { RouteResult } from './route-shape.ts';

/** The folder of bare repositories `<root>/<owner>/<repo>.git` the fake serves. */
export interface GitRepos {
  root: string;
}

export interface GitHttpRequest {
  method: string;
  /** Raw path (no query), at the host root as on github.com: /owner/repo.git/... */
  rawPath: string;
  query: string;
  headers: Record<string, string>;
  auth: RequestAuth;
  body: Buffer;
  /** Server clock. */
  nowMs: number;
}

const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** Whether a request path is one of the smart-HTTP git routes. */
export function isGitPath(rawPath: string): boolean {
  return GIT_PATH.test(rawPath);
}

let backendPath: string | undefined;

function gitExecPath(): string {
  try {
    return execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`fake-git: git is not installed or not on PATH (${(error as Error).message}); the git tests need git with git-http-backend`);
  }
}

/** Path of `git-http-backend` in git's exec path (`git --exec-path`); throws a clear message when missing. */
export function gitHttpBackend(execPath?: string): string {
  if (execPath === undefined && backendPath) return backendPath;
  const dir = execPath ?? gitExecPath();
  const candidate = join(dir, process.platform === 'win32' ? 'git-http-backend.exe' : 'git-http-backend');
  if (!existsSync(candidate)) {
    throw new Error(`fake-git: ${candidate} does not exist; install a git package that ships git-http-backend (\`git --exec-path\` is ${dir})`);
  }
  if (execPath === undefined) backendPath = candidate;
  return candidate;
}

/** The smallest environment git needs: no user or system config, no prompts. */
export function gitEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    LANG: 'C'
  };
}

/** What GitHub sends back for a refused git request (git prints text/plain bodies as `remote: …`). */
function refuse(status: number, message: string): RouteResult {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="GitHub"';
  return { status, headers, body: `${message}\n`, git: true };
}

/**
 * Serves one smart-HTTP request. GitHub's answers: 401 for a missing, unknown, revoked or expired
 * token; 404 "Repository not found." for a repository outside the token (or absent); 403
 * "Permission to … denied" when the token lacks contents: read (fetch) or contents: write (push).
 */
export async function serveGit(state: FakeState, repos: GitRepos, req: GitHttpRequest): Promise<RouteResult> {
  const [, owner, repo, action] = GIT_PATH.exec(req.rawPath) ?? [];
  const service = action === 'info/refs' ? new URLSearchParams(req.query).get('service') : action;
  if (service !== 'git-upload-pack' && service !== 'git-receive-pack') return refuse(403, 'Dumb HTTP is not supported; use a smart-HTTP git client.');
  const level = service === 'git-receive-pack' ? 'write' : 'read';
  const access = checkAccess(state, { auth: req.auth, owner, repo, permission: 'contents', level, nowMs: req.nowMs });
  if (!access.ok && (access.reason === 'anonymous' || access.reason === 'credentials')) {
    return refuse(401, 'Invalid username or token. Password authentication is not supported for Git operations.');
  }
  if (!access.ok && access.reason === 'repository') return refuse(404, 'Repository not found.');
  if (!access.ok) return refuse(403, `Permission to ${owner}/${repo}.git denied to ${state.app.slug}[bot].`);
  const bare = join(repos.root, access.inst.account, `${access.repo}.git`);
  if (!existsSync(bare)) return refuse(404, 'Repository not found.');
  return runBackend(repos, req, { pathInfo: `/${access.inst.account}/${access.repo}.git/${action}`, user: `${state.app.slug}[bot]` });
}

/** Runs git http-backend for one request and turns its CGI output into the answer. */
function runBackend(repos: GitRepos, req: GitHttpRequest, { pathInfo, user }: { pathInfo: string; user: string }): Promise<RouteResult> {
  const env: Record<string, string> = {
    ...gitEnv(repos.root),
    GIT_PROJECT_ROOT: repos.root,
    GIT_HTTP_EXPORT_ALL: '1',
    // REMOTE_USER turns receive-pack on (http.receivepack defaults to "authenticated users").
    REMOTE_USER: user,
    REMOTE_ADDR: '127.0.0.1',
    REQUEST_METHOD: req.method,
    PATH_INFO: pathInfo,
    QUERY_STRING: req.query,
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    CONTENT_LENGTH: String(req.body.length)
  };
  if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  if (req.headers['git-protocol']) env.GIT_PROTOCOL = req.headers['git-protocol'];
  return new Promise((resolve, reject) => {
    const child = spawn(gitHttpBackend(), [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', () => {
      const output = Buffer.concat(out);
      const split = output.indexOf('\r\n\r\n');
      const alt = output.indexOf('\n\n');
      const [end, sep] = split >= 0 && (alt < 0 || split < alt) ? [split, 4] : [alt, 2];
      if (end < 0) {
        resolve(refuse(500, `git http-backend gave no CGI headers: ${Buffer.concat(err).toString('utf8').trim()}`));
        return;
      }
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of output.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      resolve({ status, headers, body: output.subarray(end + sep), git: true });
    });
    // The backend may answer without reading the whole body (EPIPE): its answer still counts.
    child.stdin.on('error', () => undefined);
    child.stdin.end(req.body);
  });
}

export interface GitRunOptions {
  cwd?: string;
  home: string;
  env?: Record<string, string>;
  /** written to git's stdin (e.g. for `git credential fill`) */
  input?: string;
}

interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Asynchronous: the fake answers git from this same process, so git must not block it.
function runGit(args: string[], opts: GitRunOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: opts.cwd, env: { ...gitEnv(opts.home), ...opts.env }, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    child.stdin?.end(opts.input);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8').trim(), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Runs git with the minimal environment; resolves to stdout, rejects with git's stderr. */
export async function git(args: string[], opts: GitRunOptions): Promise<string> {
  const result = await runGit(args, opts);
  if (result.code !== 0) throw new Error(`git ${args.filter((a) => !a.startsWith('http.extraheader')).join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** Runs git expecting it to fail; resolves to its stderr (rejects when it succeeds). */
export async function gitRefused(args: string[], opts: GitRunOptions): Promise<string> {
  const result = await runGit(args, opts);
  if (result.code === 0) throw new Error(`git ${args.filter((a) => !a.startsWith('http.extraheader')).join(' ')} succeeded, but it should have been refused`);
  return result.stderr;
}

/** Creates `<root>/<owner>/<repo>.git` with one commit on main (README.md). */
export function createBareRepo(repos: GitRepos, owner: string, repo: string, readme = `# ${repo}\n`): string {
  const bare = join(repos.root, owner, `${repo}.git`);
  mkdirSync(bare, { recursive: true });
  const home = repos.root;
  const who = { GIT_AUTHOR_NAME: 'Octo Cat', GIT_AUTHOR_EMAIL: 'octocat@example.com', GIT_COMMITTER_NAME: 'Octo Cat', GIT_COMMITTER_EMAIL: 'octocat@example.com' };
  const sync = (args: string[], input?: string, env: Record<string, string> = {}): string =>
    execFileSync('git', args, { cwd: bare, env: { ...gitEnv(home), ...env }, input, encoding: 'utf8' }).trim();
  sync(['init', '-q', '--bare', '-b', 'main']);
  const blob = sync(['hash-object', '-w', '--stdin'], readme);
  const tree = sync(['mktree'], `100644 blob ${blob}\tREADME.md\n`);
  sync(['update-ref', 'refs/heads/main', sync(['commit-tree', tree, '-m', 'Initial commit'], undefined, who)]);
  return bare;
}

/** A file of a bare repository's main branch, for the REST contents route. */
export function readRepoFile(repos: GitRepos, owner: string, repo: string, path: string): Buffer | undefined {
  const bare = join(repos.root, owner, `${repo}.git`);
  if (!existsSync(bare)) return undefined;
  try {
    return execFileSync('git', ['show', `main:${path}`], { cwd: bare, env: gitEnv(repos.root), stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** The `-c http.extraheader=…` actions/checkout configures for the token. */
export function checkoutAuthHeader(token: string): string {
  return `http.extraheader=AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}
