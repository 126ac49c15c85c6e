/**
 * The one line main adds to the global git config for the agent (`include.path` naming its
 * credential config) and post's removal of it, byte for byte. Where git's choice of file is plain
 * (HOME or GIT_CONFIG_GLOBAL, not Windows), the section is appended and cut off again directly,
 * which spares main a git process; anything else (a file without a final newline, a lock held,
 * the section no longer last) goes through `git config --global`.
 */
import { closeSync, existsSync, openSync, readSync, statSync, truncateSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env.js';
import { ActionError } from './errors.js';
import { gitEnv } from './git-config.js';
import { untrusted } from './untrusted.js';

export type GitRunner = (args: string[]) => Promise<string>;

export interface IncludeOptions {
  readonly env: Env;
  /** the agent's credential config, named by the include */
  readonly includePath: string;
  readonly platform?: string;
  /** git, for the cases the direct edit leaves to it; started on first use by default */
  readonly git?: GitRunner;
}

/** The file `git config --global` writes, as git chooses it (GIT_CONFIG_GLOBAL, ~/.gitconfig, else XDG's). */
export function globalConfigPath(env: Env, platform: string): string {
  if (env['GIT_CONFIG_GLOBAL']) return env['GIT_CONFIG_GLOBAL'];
  const home = (platform === 'win32' ? env['HOME'] || env['USERPROFILE'] : env['HOME']) ?? '';
  const dotfile = join(home, '.gitconfig');
  const xdg = join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'git', 'config');
  return !existsSync(dotfile) && existsSync(xdg) ? xdg : dotfile;
}

/** The section as `git config --global --add include.path` writes it into a file without one. */
export function includeSection(includePath: string): string {
  return `[include]\n\tpath = "${includePath.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n`;
}

export async function addInclude({ env, includePath, platform = process.platform, git }: IncludeOptions): Promise<void> {
  const file = directFile(env, platform);
  if (file && appendSection(file, includeSection(includePath))) return;
  try {
    await (git ?? (await gitRunner(env)))(['config', '--global', '--add', 'include.path', includePath]);
  } catch (error) {
    throw new ActionError(`'agent' could not add its credential helper to the global git config (${untrusted((error as Error).message, 300)}). Is git installed on the runner? The token outputs are set.`);
  }
}

/** Removes the line main added: the section cut off when it is still the file's end, else through git (and the [include] section when it was all it held). */
export async function removeInclude({ env, includePath, platform = process.platform, git }: IncludeOptions): Promise<void> {
  const file = directFile(env, platform);
  if (file && cutSection(file, includeSection(includePath))) return;
  const run = git ?? (await gitRunner(env));
  await run(['config', '--global', '--fixed-value', '--unset-all', 'include.path', includePath]);
  const left = await run(['config', '--global', '--get-regexp', '^include\\.']).catch(() => '');
  if (!left.trim()) await run(['config', '--global', '--remove-section', 'include']).catch(() => undefined);
}

/** Runs git with only the variables it needs (git-config.ts's gitEnv); rejects with its stderr. */
export async function gitRunner(env: Env): Promise<GitRunner> {
  const { execFile } = await import('node:child_process');
  const options = { env: gitEnv(env, process.platform), timeout: 10_000 };
  return (args) =>
    new Promise((resolve, reject) =>
      execFile('git', args, options, (error, stdout, stderr) => (error ? reject(new Error(String(stderr).trim() || error.message)) : resolve(String(stdout))))
    );
}

/** The global config file when main may edit it itself; Git for Windows finds its home its own way, so there git does it. */
function directFile(env: Env, platform: string): string | undefined {
  if (platform === 'win32' || !(env['GIT_CONFIG_GLOBAL'] || env['HOME'])) return undefined;
  const file = globalConfigPath(env, platform);
  return existsSync(`${file}.lock`) ? undefined : file;
}

/** Appends to a missing or empty file, or one that ends with a newline (git's own writes do). */
function appendSection(file: string, section: string): boolean {
  try {
    const size = existsSync(file) ? statSync(file).size : 0;
    if (size > 0 && tail(file, size, 1) !== '\n') return false;
    appendFileSync(file, section);
    return true;
  } catch {
    return false;
  }
}

/** Cuts the section off the end of the file, when it is still there. */
function cutSection(file: string, section: string): boolean {
  try {
    const size = statSync(file).size;
    const length = Buffer.byteLength(section);
    if (size < length || tail(file, size, length) !== section) return false;
    truncateSync(file, size - length);
    return true;
  } catch {
    return false;
  }
}

function tail(file: string, size: number, length: number): string {
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, length, size - length)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
