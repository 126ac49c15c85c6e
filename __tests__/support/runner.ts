// Runs the built action the way the GitHub Actions runner does: Node 24, INPUT_* for every
// declared input, fresh file-command files, STATE_* for post, and parses what the step produced.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { parseFileCommand, parseWorkflowCommands, type WorkflowCommand } from './runner-parse.ts';

export { parseFileCommand, parseWorkflowCommands, unescapeData, unescapeProperty } from './runner-parse.ts';
export type { FileCommandResult, WorkflowCommand } from './runner-parse.ts';
export { findSecretLeaks, maskedLog } from './runner-parse.ts';

/** Repository root, resolved from this file's location. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
/** The `node` package's binary: bin/node, but bin/node.exe on Windows (bin/node is then a placeholder). */
export const NODE24 = join(ROOT, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');

/** What the runner's own environment always has on Windows; without SystemRoot, Node cannot even open a socket there. */
const WINDOWS_SYSTEM_ENV = ['SystemRoot', 'SystemDrive', 'windir', 'ComSpec', 'PATHEXT', 'TEMP', 'TMP', 'ProgramFiles', 'ProgramData'];

const RUNNER_OS: Record<string, string> = { win32: 'Windows', darwin: 'macOS' };

function platformEnv(home: string): Record<string, string> {
  if (process.platform !== 'win32') return {};
  const env: Record<string, string> = { USERPROFILE: home };
  for (const name of WINDOWS_SYSTEM_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  /** Extra environment; an undefined value removes a default variable. */
  env?: Record<string, string | undefined>;
  state?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** HOME to use (runAction shares main's with post); a fresh temp dir by default. */
  home?: string;
}

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPaths: string[];
  summary: string;
  masks: string[];
  commands: WorkflowCommand[];
  /** Problems the runner would fail the step for (malformed GITHUB_OUTPUT etc.). */
  fileCommandErrors: string[];
  home: string;
  /** The full environment the step ran with. */
  env: Record<string, string>;
}

const createdDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  createdDirs.push(dir);
  return dir;
}

/** Removes every temp dir runStep created in this process (call from afterAll if you like). */
export function cleanupRunDirs(): void {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

interface ActionInput {
  default?: unknown;
}

export interface ActionMetadata {
  inputs?: Record<string, ActionInput | null>;
  runs?: Record<string, unknown>;
}

export function readActionMetadata(): ActionMetadata {
  return (YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) ?? {}) as ActionMetadata;
}

/** INPUT_ variable name the runner uses for an input. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function evaluateDefault(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_match, key: string) => env[`GITHUB_${key.toUpperCase()}`] ?? '');
}

export type FileCommandPaths = Record<'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_STEP_SUMMARY', string>;

export interface PrepareStepOptions {
  inputs: Record<string, string>;
  /** Extra environment, applied before the input defaults are evaluated; an undefined value removes a default variable. */
  env?: Record<string, string | undefined>;
  /** STATE_<name> values, for post. */
  state?: Record<string, string>;
  /** HOME to use; `<work>/home` by default. */
  home?: string;
  /** RUNNER_TEMP (e.g. shared by the steps of one job); `<work>/runner-temp` by default. */
  runnerTemp?: string;
  /** Working directory and GITHUB_WORKSPACE; `<work>/workspace` by default. */
  cwd?: string;
  runnerName?: string;
  job?: string;
  /** Parsed action.yml; read from ROOT when omitted. */
  metadata?: ActionMetadata;
}

export interface PreparedStep {
  /** The full environment the step runs with. */
  env: Record<string, string>;
  /** The empty file-command files, by variable name. */
  files: FileCommandPaths;
  home: string;
  workspace: string;
}

/**
 * Builds the GitHub runner's environment for one step under `work`: creates HOME, RUNNER_TEMP, the
 * workspace and empty file-command files, and sets the GITHUB_* and RUNNER_* variables, INPUT_* for
 * every declared input (defaults with `${{ github.x }}` expanded), extra inputs and STATE_*.
 */
export function prepareStep(work: string, opts: PrepareStepOptions): PreparedStep {
  const metadata = opts.metadata ?? readActionMetadata();
  const home = opts.home ?? join(work, 'home');
  const runnerTemp = opts.runnerTemp ?? join(work, 'runner-temp');
  const fileDir = join(work, 'files');
  const workspace = opts.cwd ?? join(work, 'workspace');
  for (const dir of [home, runnerTemp, fileDir, workspace]) mkdirSync(dir, { recursive: true });
  const files: FileCommandPaths = {
    GITHUB_OUTPUT: join(fileDir, 'output'),
    GITHUB_STATE: join(fileDir, 'state'),
    GITHUB_ENV: join(fileDir, 'env'),
    GITHUB_PATH: join(fileDir, 'path'),
    GITHUB_STEP_SUMMARY: join(fileDir, 'step_summary')
  };
  for (const path of Object.values(files)) writeFileSync(path, '');

  const env: Record<string, string> = {
    ...platformEnv(home),
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: runnerTemp,
    RUNNER_TOOL_CACHE: join(work, 'tool-cache'),
    RUNNER_OS: RUNNER_OS[process.platform] ?? 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: opts.runnerName ?? 'fake-runner',
    RUNNER_ENVIRONMENT: 'github-hosted',
    GITHUB_REPOSITORY: 'octo-org/app-token',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTION: '__app-token',
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_JOB: opts.job ?? 'test',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    ...files
  };
  for (const [name, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }

  const { inputs } = opts;
  for (const [name, spec] of Object.entries(metadata.inputs ?? {})) {
    const declaredDefault = spec?.default;
    env[inputEnvName(name)] =
      inputs[name] ?? (declaredDefault === undefined || declaredDefault === null ? '' : evaluateDefault(String(declaredDefault), env));
  }
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(opts.state ?? {})) env[`STATE_${name}`] = value;
  return { env, files, home, workspace };
}

export async function runStep(step: 'main' | 'post', opts: StepOptions = {}): Promise<StepResult> {
  const metadata = readActionMetadata();
  const entry = typeof metadata.runs?.[step] === 'string' ? (metadata.runs[step] as string) : `dist/${step}/index.js`;
  const script = join(ROOT, entry);
  if (!existsSync(script)) throw new Error(`runStep: ${script} does not exist; run \`npm run build\` first`);
  if (!existsSync(NODE24)) throw new Error(`runStep: Node 24 binary not found at ${NODE24}`);

  const work = tempDir(`app-token-${step}-`);
  const { env, files: filePaths, home, workspace } = prepareStep(work, {
    inputs: opts.inputs ?? {},
    env: opts.env,
    state: opts.state,
    home: opts.home,
    cwd: opts.cwd,
    metadata
  });

  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const { code, signal, timedOut, stdout, stderr } = await new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    timedOut: boolean;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(NODE24, [script], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(timer);
      resolve({
        code: exitCode,
        signal: exitSignal,
        timedOut: killed,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8')
      });
    });
  });

  const fileCommandErrors: string[] = [];
  const readCommandFile = (kind: keyof FileCommandPaths): Record<string, string> => {
    const parsed = parseFileCommand(readFileSync(filePaths[kind], 'utf8'));
    fileCommandErrors.push(...parsed.errors.map((error) => `${kind}: ${error}`));
    return parsed.values;
  };
  const { commands, masks } = parseWorkflowCommands(stdout);
  return {
    code,
    signal,
    timedOut,
    durationMs: Date.now() - started,
    stdout,
    stderr,
    outputs: readCommandFile('GITHUB_OUTPUT'),
    state: readCommandFile('GITHUB_STATE'),
    exportedEnv: readCommandFile('GITHUB_ENV'),
    addedPaths: readFileSync(filePaths.GITHUB_PATH, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== ''),
    summary: readFileSync(filePaths.GITHUB_STEP_SUMMARY, 'utf8'),
    masks,
    commands,
    fileCommandErrors,
    home,
    env
  };
}

export interface ActionRunOptions extends Omit<StepOptions, 'state'> {
  /** Called after main, before post (e.g. to inspect the fake or inject faults). */
  between?: (main: StepResult) => void | Promise<void>;
}

/** Runs main, then post with the state main saved, the same inputs/env and the same HOME. */
export async function runAction(opts: ActionRunOptions): Promise<{ main: StepResult; post: StepResult }> {
  const { between, ...stepOptions } = opts;
  const main = await runStep('main', stepOptions);
  if (between) await between(main);
  const post = await runStep('post', { ...stepOptions, home: stepOptions.home ?? main.home, state: main.state });
  return { main, post };
}

const keyCache = new Map<string, { privateKeyPem: string; publicKeyPem: string }>();

/** An RSA app key pair (PEM), cached per format/size so tests stay fast. */
export function generateAppKey(
  format: 'pkcs1' | 'pkcs8' = 'pkcs1',
  bits = 2048
): { privateKeyPem: string; publicKeyPem: string } {
  const cacheKey = `${format}:${bits}`;
  let pair = keyCache.get(cacheKey);
  if (!pair) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: bits,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: format, format: 'pem' }
    });
    pair = { privateKeyPem: privateKey, publicKeyPem: publicKey };
    keyCache.set(cacheKey, pair);
  }
  return pair;
}
