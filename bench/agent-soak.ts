// `npm run bench:agent-soak [-- --hour-ms N] [--hours H] [--every-minutes M]`, by hand after `npm run build`:
// a job of H hours (default 2) with `agent: true`, whose git fetches and pushes every M minutes
// (default 5), against the fake GitHub with tokens that live N ms (default 6000) for an hour. It
// prints what the fake saw: the REST requests (tokens minted, installation lookups, revocations),
// the git requests per token, and every request that carried an expired or revoked token.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createBareRepo, git, gitEnv } from '../fake-github/git.ts';
import { startFakeGitHub } from '../fake-github/server.ts';
import { cleanupRunDirs, generateAppKey, runStep } from '../__tests__/support/runner.ts';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const hourMs = option('--hour-ms', 6000);
const hours = option('--hours', 2);
const everyMinutes = option('--every-minutes', 5);
const minuteMs = hourMs / 60;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const root = mkdtempSync(join(tmpdir(), 'app-token-soak-'));
const repos = { root: join(root, 'repos') };
const key = generateAppKey().privateKeyPem;
const gh = await startFakeGitHub({
  app: { privateKey: key },
  git: repos,
  tokenLifetimeMs: hourMs,
  installations: [{ id: 1001, account: 'octo-org', accountType: 'Organization', repositories: ['app-token', 'api'] }]
});
try {
  createBareRepo(repos, 'octo-org', 'api');
  const env = { GITHUB_API_URL: gh.url, GITHUB_SERVER_URL: gh.origin, APP_TOKEN_RETRY_BASE_MS: '0', RUNNER_TRACKING_ID: 'soak' };
  const inputs = { 'client-id': gh.app.clientId, 'private-key': key, agent: 'true', repositories: 'api', 'permission-contents': 'write' };
  const main = await runStep('main', { inputs, env });
  if (main.code !== 0) throw new Error(`main failed:\n${main.stdout}`);
  const home = main.home;
  const later = { ...gitEnv(home), ...main.exportedEnv, PATH: [...main.addedPaths, process.env.PATH ?? ''].join(delimiter) };
  const run = (args: string[], cwd?: string) => git(args, { home, cwd, env: later });
  const dir = join(home, 'api');
  const started = Date.now();
  await run(['clone', '-q', `${gh.origin}/octo-org/api.git`, dir]);
  const failures: string[] = [];
  let pushes = 0;
  for (let minute = everyMinutes; minute <= hours * 60; minute += everyMinutes) {
    await sleep(Math.max(0, started + minute * minuteMs - Date.now()));
    try {
      await run(['fetch', '-q', 'origin'], dir);
      await run(['rebase', '-q', 'origin/main'], dir);
      writeFileSync(join(dir, 'log.txt'), `minute ${minute}\n`, { flag: 'a' });
      await run(['add', 'log.txt'], dir);
      await run(['-c', 'user.name=Octo Cat', '-c', 'user.email=octocat@example.com', 'commit', '-q', '-m', `minute ${minute}`], dir);
      await run(['push', '-q', 'origin', 'HEAD:main'], dir);
      pushes++;
    } catch (error) {
      failures.push(`minute ${minute}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const requests = [...gh.requests];
  const post = await runStep('post', { inputs, env, state: main.state, home });
  const all = [...requests, ...gh.requests.slice(requests.length)];
  const count = (test: (r: (typeof all)[number]) => boolean) => all.filter(test).length;
  const gitRequests = all.filter((r) => r.path.startsWith('/octo-org/api.git/'));
  const perToken = new Map<string, number>();
  for (const r of gitRequests) if (r.carried) perToken.set(r.carried, (perToken.get(r.carried) ?? 0) + 1);
  const dead = all.filter((r) => r.carried && !r.live);
  const commits = execFileSync('git', ['rev-list', '--count', 'main'], { cwd: join(repos.root, 'octo-org', 'api.git'), env: gitEnv(repos.root), encoding: 'utf8' }).trim();
  const tokens = [...gh.tokens.values()];
  console.log(`A ${hours} h job (an hour = ${hourMs} ms), git fetch + push every ${everyMinutes} min: ${pushes} pushes, ${failures.length} failures, ${commits} commits on main`);
  console.log(`REST: POST access_tokens ${count((r) => r.method === 'POST' && /\/access_tokens$/.test(r.path))} (main 1, the agent the rest), GET installation ${count((r) => r.method === 'GET' && /\/installation$/.test(r.path))}, DELETE /installation/token ${count((r) => r.method === 'DELETE' && r.path === '/installation/token')}`);
  console.log(`git: ${gitRequests.length} requests, ${gitRequests.filter((r) => !r.carried).length} without a token (git's first try, answered 401), per token: ${[...perToken.values()].join(', ')}`);
  console.log(`requests that carried a dead (expired or revoked) token: ${dead.length}${dead.length ? ` (${dead.map((r) => `${r.method} ${r.path}`).join(', ')})` : ''}`);
  console.log(`tokens live after post: ${tokens.filter((t) => !t.revoked && t.expiresAt.getTime() > gh.now()).length} of ${tokens.length}; post: ${post.stdout.split('\n').find((l) => l.startsWith('Token agent stopped')) ?? '(no agent line)'}`);
  for (const failure of failures) console.log(`  failed: ${failure}`);
  if (failures.length || dead.length || post.code !== 0) process.exitCode = 1;
} finally {
  await gh.close();
  cleanupRunDirs();
  rmSync(root, { recursive: true, force: true });
}
