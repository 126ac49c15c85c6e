// `npm run bench [-- --runs N]`: how fast and small the built action is, next to the floor
// (bench/floor/*.cjs: the same requests with nothing but node:crypto/http/fs). Runs: --runs N or
// BENCH_RUNS, default 30, after 3 warm-up runs. `npm run bench -- --cpu-prof [--runs N]` instead
// profiles our main step (1 run by default) and prints the top self time by script and function.
// `--agent` runs our steps with `agent: true` (the floor has no agent).
//
// Both contestants run as separate Node 24 processes against one fake GitHub API in this process,
// interleaved (ours then floor, floor then ours, ...) so drift hits both alike. Every run must exit 0
// and mint (main) or revoke (post) a token, or the bench fails; budget misses are only reported.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.ts';
import { generateAppKey } from '../__tests__/support/runner.ts';
import { median, metadata, NODE24, ROOT, runStepProcess, TMP, type StepRun, type StepSpec } from './measure.ts';
import { printProfile } from './profile.ts';
import { report, type Sample, type Samples, type Step, type Who } from './report.ts';

const WARMUP = 3;

/** A step that did not succeed (or a bench that cannot start): fails the bench with exit code 1. */
class RunFailed extends Error {}
const METHOD =
  'wall = spawn() to child exit, as seen by this process; peak RSS = process.resourceUsage().maxRSS at exit, ' +
  'from bench/rss-probe.cjs preloaded into both contestants with NODE_OPTIONS=--require';

/** --runs N (or BENCH_RUNS), default 30; with --cpu-prof, the number of profiled runs, default 1. */
function parseArgs(argv: string[]): { runs: number; cpuProf: boolean } {
  const cpuProf = argv.includes('--cpu-prof');
  const at = argv.indexOf('--runs');
  const raw = at >= 0 ? argv[at + 1] : (process.env.BENCH_RUNS ?? (cpuProf ? '1' : '30'));
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1) throw new RunFailed(`--runs / BENCH_RUNS must be a positive whole number, not '${raw}'`);
  return { runs, cpuProf };
}

const scripts: Record<Who, Record<Step, string>> = {
  ours: {
    main: join(ROOT, String(metadata.runs?.main ?? 'dist/main/index.js')),
    post: join(ROOT, String(metadata.runs?.post ?? 'dist/post/index.js'))
  },
  floor: { main: join(ROOT, 'bench/floor/main.cjs'), post: join(ROOT, 'bench/floor/post.cjs') }
};


function verify(who: Who, step: Step, run: StepRun, problems: (string | false)[]): void {
  const found = problems.filter((p): p is string => p !== false);
  if (run.code !== 0) found.unshift(`exit code ${run.code ?? run.signal}`);
  if (!Number.isFinite(run.wallMs)) found.push('no exit time');
  if (!Number.isFinite(run.rssKb)) found.push('rss-probe wrote no peak RSS');
  if (found.length === 0) return;
  const detail = [`stdout:\n${run.stdout.trim()}`, `stderr:\n${run.stderr.trim()}`].join('\n');
  throw new RunFailed(`${who} ${step} failed: ${found.join('; ')}\n${detail}`);
}

/** main then post of one contestant; both verified, requests counted from the fake's record. */
async function cycle(fake: FakeGitHub, who: Who, base: Omit<StepSpec, 'script'>): Promise<Record<Step, Sample>> {
  fake.reset();
  // One job: main and post share RUNNER_TEMP (so post may reuse main's compile cache); each cycle
  // starts with an empty one, like a fresh hosted runner.
  mkdirSync(TMP, { recursive: true });
  const runnerTemp = mkdtempSync(join(TMP, 'job-'));
  try {
    return await job(fake, who, { ...base, runnerTemp });
  } finally {
    rmSync(runnerTemp, { recursive: true, force: true });
  }
}

async function job(fake: FakeGitHub, who: Who, base: Omit<StepSpec, 'script'>): Promise<Record<Step, Sample>> {
  const main = await runStepProcess({ ...base, script: scripts[who].main });
  const mainRequests = fake.requests.length;
  const token = main.outputs.token ?? '';
  verify(who, 'main', main, [
    !token && 'no token output',
    !!token && !main.stdout.includes(`::add-mask::${token}`) && 'token not masked',
    !!token && main.state.token !== token && 'token not saved to state',
    !!token && !fake.tokens.has(token) && 'token output is not one the fake issued'
  ]);
  fake.reset();
  const post = await runStepProcess({ ...base, script: scripts[who].post, state: main.state });
  verify(who, 'post', post, [fake.tokens.get(token)?.revoked !== true && 'token not revoked']);
  return {
    main: { wallMs: main.wallMs, rssKb: main.rssKb, requests: mainRequests },
    post: { wallMs: post.wallMs, rssKb: post.rssKb, requests: fake.requests.length }
  };
}

/** Runs our main step with the V8 profiler (one profile per run) and prints where the time went. */
async function profileMain(base: Omit<StepSpec, 'script'>, runs: number): Promise<void> {
  const dir = join(TMP, 'prof');
  rmSync(dir, { recursive: true, force: true });
  const interval = 250; // µs; 100 slows the step down several times over, 1000 gives too few samples
  const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', String(interval)];
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await runStepProcess({ ...base, script: scripts.ours.main, nodeArgs });
    verify('ours', 'main', run, [!run.outputs.token && 'no token output']);
    walls.push(run.wallMs);
  }
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length !== runs) throw new RunFailed(`expected ${runs} .cpuprofile files in ${dir}, found ${files.length}`);
  console.log(`main with --cpu-prof (interval ${interval} µs), ${runs} run(s): median ${median(walls).toFixed(1)} ms wall under the profiler`);
  printProfile(files.map((name) => join(dir, name)));
}

async function bench(): Promise<void> {
  const { runs, cpuProf } = parseArgs(process.argv.slice(2));
  for (const path of [NODE24, scripts.ours.main, scripts.ours.post]) {
    if (!existsSync(path)) throw new RunFailed(`${path} is missing${path === NODE24 ? ' (npm ci)' : ' (npm run build)'}`);
  }
  const nodeVersion = execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim();
  const key = generateAppKey();
  const fake = await startFakeGitHub({ app: { privateKey: key.privateKeyPem } });
  // --agent: our main also starts the token agent (post stops it), to compare with the run without
  const agent: Record<string, string> = process.argv.includes('--agent') ? { agent: 'true' } : {};
  const base = { inputs: { 'client-id': fake.app.clientId, 'private-key': key.privateKeyPem, ...agent }, env: { GITHUB_API_URL: fake.url } };
  try {
    if (cpuProf) return await profileMain(base, runs);
    const samples: Samples = { main: { ours: [], floor: [] }, post: { ours: [], floor: [] } };
    const total = WARMUP + runs;
    for (let i = 0; i < total; i++) {
      const order: Who[] = i % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours'];
      for (const who of order) {
        const result = await cycle(fake, who, base);
        if (i < WARMUP) continue;
        samples.main[who].push(result.main);
        samples.post[who].push(result.post);
      }
      if (process.stderr.isTTY) process.stderr.write(`\r${i < WARMUP ? 'warm-up' : 'run'} ${i + 1}/${total}`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    report(samples, { runs, warmup: WARMUP, nodeVersion, method: METHOD });
  } finally {
    await fake.close();
  }
}

try {
  await bench();
} catch (error) {
  console.error(`\nbench failed: ${error instanceof RunFailed ? error.message : error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
}
