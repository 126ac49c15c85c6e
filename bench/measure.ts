// Runs one step as its own Node 24 process, the way the GitHub runner starts it, and measures the
// whole process: wall time from spawn() to the child's exit, and its peak RSS (reported by
// rss-probe.cjs, preloaded with NODE_OPTIONS=--require). The environment and the file-command files
// are prepared before the clock starts and read back after it stops.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NODE24, parseFileCommand, prepareStep, readActionMetadata, ROOT } from '../__tests__/support/runner.ts';

export { NODE24, ROOT };
export const TMP = join(ROOT, '.bench-tmp');
const PROBE = join(ROOT, 'bench', 'rss-probe.cjs');

export const metadata = readActionMetadata();

export interface StepRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  /** Peak resident set size in kB (NaN when the probe wrote nothing). */
  rssKb: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
}

export interface StepSpec {
  script: string;
  inputs: Record<string, string>;
  /** Extra environment (e.g. GITHUB_API_URL); applied before the input defaults are evaluated. */
  env?: Record<string, string>;
  /** STATE_<name> values, for post. */
  state?: Record<string, string>;
  /** Node options before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** RUNNER_TEMP shared by the steps of one job; a fresh one per step otherwise. */
  runnerTemp?: string;
  /** HOME shared by the steps of one job (post finds the global git config main wrote); a fresh one per step otherwise. */
  home?: string;
}

export async function runStepProcess(spec: StepSpec, timeoutMs = 30_000): Promise<StepRun> {
  mkdirSync(TMP, { recursive: true });
  const work = mkdtempSync(join(TMP, 'run-'));
  const { env, files, workspace } = prepareStep(work, {
    inputs: spec.inputs,
    env: spec.env,
    state: spec.state,
    runnerTemp: spec.runnerTemp,
    home: spec.home,
    runnerName: 'bench-runner',
    job: 'bench',
    metadata
  });
  env.BENCH_RSS_FILE = join(work, 'rss');
  env.NODE_OPTIONS = `--require=${PROBE}`;
  const args = [...(spec.nodeArgs ?? []), spec.script];

  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const started = performance.now();
  const child = spawn(NODE24, args, { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let wallMs = NaN;
  child.on('exit', () => (wallMs = performance.now() - started));
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  }).finally(() => clearTimeout(timer));

  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const result: StepRun = {
    code,
    signal,
    wallMs,
    rssKb: Number.parseInt(read(join(work, 'rss')), 10),
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    outputs: parseFileCommand(read(files.GITHUB_OUTPUT)).values,
    state: parseFileCommand(read(files.GITHUB_STATE)).values
  };
  rmSync(work, { recursive: true, force: true });
  return result;
}

/** Linear-interpolated quantile of unsorted values, q in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export interface Spread {
  median: number;
  p10: number;
  p90: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), p10: quantile(values, 0.1), p90: quantile(values, 0.9) };
}
