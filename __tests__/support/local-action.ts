// Runs the action's TypeScript entries through GitHub's `@github/local-action` (`npx local-action`),
// the way a contributor debugs it: main, then post in the same process, with its @actions/core stubs.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { NODE24, ROOT } from './runner.ts';

export interface LocalActionOptions {
  /** Inputs by name, written to the .env file (a shell between us and the tool drops INPUT_PRIVATE-KEY-style names from the environment). */
  inputs: Record<string, string>;
  /** Extra variables for the .env file (e.g. GITHUB_API_URL). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface LocalActionResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A .env line; dotenv reads double-quoted values with \n escapes. */
function dotenvLine(name: string, value: string): string {
  return `${name}="${value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`;
}

export async function runLocalAction(opts: LocalActionOptions): Promise<LocalActionResult> {
  const work = mkdtempSync(join(tmpdir(), 'app-token-local-'));
  try {
    // The .env file (with the throwaway key) lives only as long as the run.
    const runnerTemp = join(work, 'runner-temp');
    const home = join(work, 'home');
    for (const dir of [runnerTemp, home]) mkdirSync(dir, { recursive: true });
    const dotenv: Record<string, string> = {
      GITHUB_REPOSITORY: 'octo-org/app-token',
      GITHUB_REPOSITORY_OWNER: 'octo-org',
      RUNNER_TEMP: runnerTemp,
      GITHUB_STEP_SUMMARY: join(work, 'step-summary.md'),
      ...opts.env
    };
    for (const [name, value] of Object.entries(opts.inputs)) dotenv[`INPUT_${name.toUpperCase()}`] = value;
    const envFile = join(work, '.env');
    writeFileSync(envFile, Object.entries(dotenv).map(([name, value]) => dotenvLine(name, value)).join('\n') + '\n');

    // The caller's runner variables must not leak in (inside a GitHub job they point at its real files).
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value === undefined || /^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/.test(name) || name === 'NODE_OPTIONS') continue;
      env[name] = value;
    }
    // Node 24 (the action's runtime) first on PATH: npx, the tool and tsx all start from `node`.
    env['PATH'] = `${dirname(NODE24)}${delimiter}${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`;
    env['HOME'] = home;
    env['USERPROFILE'] = home;
    env['npm_config_yes'] = 'true';
    env['NO_COLOR'] = '1';

    const args = ['local-action', '.', 'src/main.ts', envFile, '--post', 'src/post.ts'];
    return await new Promise<LocalActionResult>((resolve, reject) => {
      // npx is npx.cmd on Windows, which only a shell starts.
      const child = spawn('npx', args, { cwd: ROOT, env, shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
