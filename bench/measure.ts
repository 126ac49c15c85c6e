// Runs one step as its own Node 24 process, the way the GitHub runner starts it, and measures the
// whole process: wall time from spawn() to the child's exit, and its peak RSS (reported by
// rss-probe.cjs, preloaded with NODE_OPTIONS=--require). The environment and the file-command files
// are prepared before the clock starts and read back after it stops.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import YAML from 'yaml';
import { inputEnvName, NODE24, parseFileCommand, ROOT } from '../__tests__/support/runner.ts';

export { NODE24, ROOT };
export const TMP = join(ROOT, '.bench-tmp');
const PROBE = join(ROOT, 'bench', 'rss-probe.cjs');

interface ActionMetadata {
  inputs?: Record<string, { default?: unknown } | null>;
  runs?: Record<string, unknown>;
}

export const metadata = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata;

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
}

/** The runner's environment for a step, as __tests__/support/runner.ts builds it. */
function stepEnv(work: string, spec: StepSpec, files: Record<string, string>): Record<string, string> {
  const home = join(work, 'home');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: spec.runnerTemp ?? join(work, 'runner-temp'),
    RUNNER_TOOL_CACHE: join(work, 'tool-cache'),
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'bench-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
    GITHUB_REPOSITORY: 'octo-org/app-token',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_WORKSPACE: join(work, 'workspace'),
    GITHUB_ACTION: '__app-token',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: 'bench',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    ...files,
    ...spec.env
  };
  for (const [name, declared] of Object.entries(metadata.inputs ?? {})) {
    const fallback = declared?.default === undefined || declared.default === null ? '' : String(declared.default);
    env[inputEnvName(name)] =
      spec.inputs[name] ?? fallback.replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_m, key: string) => env[`GITHUB_${key.toUpperCase()}`] ?? '');
  }
  for (const [name, value] of Object.entries(spec.inputs)) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(spec.state ?? {})) env[`STATE_${name}`] = value;
  env.BENCH_RSS_FILE = join(work, 'rss');
  env.NODE_OPTIONS = `--require=${PROBE}`;
  return env;
}

export async function runStepProcess(spec: StepSpec, timeoutMs = 30_000): Promise<StepRun> {
  mkdirSync(TMP, { recursive: true });
  const work = mkdtempSync(join(TMP, 'run-'));
  for (const dir of ['home', 'runner-temp', 'workspace']) mkdirSync(join(work, dir));
  const files = {
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STATE: join(work, 'state'),
    GITHUB_ENV: join(work, 'env'),
    GITHUB_PATH: join(work, 'path'),
    GITHUB_STEP_SUMMARY: join(work, 'step_summary')
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const env = stepEnv(work, spec, files);
  const args = [...(spec.nodeArgs ?? []), spec.script];

  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const started = performance.now();
  const child = spawn(NODE24, args, { cwd: join(work, 'workspace'), env, stdio: ['ignore', 'pipe', 'pipe'] });
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
