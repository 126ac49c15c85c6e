/**
 * git's side of the agent: which URL prefixes it serves, the credential config for them (one
 * include file, added to the global config with one line that post removes again), and the
 * GIT_CONFIG_* entries that make later steps ignore a persisted `http.<server>/.extraheader` for
 * those prefixes only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv } from './git-config.js';
import { ActionError } from './errors.js';
import { untrusted } from './untrusted.js';

import type { Env } from './env.js';

/** Above this many repositories, one prefix for the whole owner: the GIT_CONFIG_* entries stay small (Windows caps the environment at 32 KiB). */
export const MAX_REPOSITORY_PREFIXES = 20;

/** The git server S for the API URL: the job's own server, or the one the API URL belongs to. */
export function gitServer(apiUrl: string, env: Env): string {
  const jobApi = (env['GITHUB_API_URL'] ?? '').replace(/\/+$/, '');
  if (jobApi && jobApi === apiUrl && env['GITHUB_SERVER_URL']) return env['GITHUB_SERVER_URL'].replace(/\/+$/, '');
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  const ghe = /^api\.([^.]+)\.ghe\.com$/.exec(url.hostname);
  if (ghe) return `${url.protocol}//${ghe[1]}.ghe.com`;
  return url.origin; // GitHub Enterprise Server (…/api/v3) and anything else: its own origin
}

export interface PrefixScope {
  readonly server: string;
  /** the installation's account */
  readonly account: string;
  /** the repositories the step's token names; empty for all of the account's */
  readonly repositories: readonly string[];
  readonly owners: readonly string[];
  readonly enterprise: boolean;
}

/** The URL prefixes the agent serves: none for an enterprise token, which reaches no repository. */
export function agentPrefixes({ server, account, repositories, owners, enterprise }: PrefixScope): string[] {
  if (enterprise) return [];
  const prefixes =
    repositories.length === 0 || repositories.length > MAX_REPOSITORY_PREFIXES
      ? [`${server}/${account}/`]
      : repositories.flatMap((name) => [`${server}/${account}/${name}`, `${server}/${account}/${name}.git`]);
  for (const owner of owners) prefixes.push(`${server}/${owner}/`);
  return [...new Set(prefixes)];
}

/** A path for a `!` helper: forward slashes (Git for Windows runs it with its sh) in single quotes. */
export function shellQuote(path: string): string {
  return `'${path.replace(/\\/g, '/').replace(/'/g, `'\\''`)}'`;
}

/** The helper git runs for a prefix: `credential <dir>`, then git adds get/store/erase. */
export function helperCommand(nodePath: string, agentScript: string, dir: string): string {
  return `!${shellQuote(nodePath)} ${shellQuote(agentScript)} credential ${shellQuote(dir)}`;
}

/** A git config value in double quotes. */
function configValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The include file: for each prefix, an empty helper first (drops the helpers configured before
 * it for those URLs), then the agent's, with the path passed to it and the app's user name.
 */
export function credentialConfig(prefixes: readonly string[], helper: string): string {
  return prefixes
    .map((prefix) =>
      [`[credential ${configValue(prefix)}]`, '\thelper =', `\thelper = ${configValue(helper)}`, '\tuseHttpPath = true', '\tusername = x-access-token', ''].join('\n')
    )
    .join('');
}

/**
 * GIT_CONFIG_COUNT/KEY/VALUE after the job's own entries: an empty `http.P.extraheader` per
 * prefix. git applies the most specific URL's entries and an empty value clears the list, so a
 * header persisted for the whole server no longer reaches the agent's URLs, and still reaches every other.
 */
export function extraheaderOverrides(prefixes: readonly string[], env: Env): [string, string][] {
  const given = Number(env['GIT_CONFIG_COUNT'] ?? '0');
  const start = Number.isInteger(given) && given > 0 ? given : 0;
  const entries: [string, string][] = [];
  prefixes.forEach((prefix, i) => {
    entries.push([`GIT_CONFIG_KEY_${start + i}`, `http.${prefix}.extraheader`], [`GIT_CONFIG_VALUE_${start + i}`, '']);
  });
  entries.push(['GIT_CONFIG_COUNT', String(start + prefixes.length)]);
  return entries;
}

/** The file `git config --global` writes, as git chooses it (GIT_CONFIG_GLOBAL, ~/.gitconfig, else XDG's). */
export function globalConfigPath(env: Env, platform: string): string {
  if (env['GIT_CONFIG_GLOBAL']) return env['GIT_CONFIG_GLOBAL'];
  const home = (platform === 'win32' ? env['USERPROFILE'] || env['HOME'] : env['HOME']) ?? '';
  const dotfile = join(home, '.gitconfig');
  const xdg = join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'git', 'config');
  return !existsSync(dotfile) && existsSync(xdg) ? xdg : dotfile;
}

export type GitRunner = (args: string[]) => Promise<string>;

/** Runs git with only the variables it needs (bot.ts's gitEnv); rejects with its stderr. */
export async function gitRunner(env: Env): Promise<GitRunner> {
  const { execFile } = await import('node:child_process');
  const options = { env: gitEnv(env, process.platform), timeout: 10_000 };
  return (args) =>
    new Promise((resolve, reject) =>
      execFile('git', args, options, (error, stdout, stderr) => (error ? reject(new Error(String(stderr).trim() || error.message)) : resolve(String(stdout))))
    );
}

export async function addInclude(git: GitRunner, includePath: string): Promise<void> {
  try {
    await git(['config', '--global', '--add', 'include.path', includePath]);
  } catch (error) {
    throw new ActionError(`'agent' could not add its credential helper to the global git config (${untrusted((error as Error).message, 300)}). Is git installed on the runner? The token outputs are set.`);
  }
}

/** Removes the one line main added, and the [include] section when main's line was all it held. */
export async function removeInclude(git: GitRunner, includePath: string): Promise<void> {
  await git(['config', '--global', '--fixed-value', '--unset-all', 'include.path', includePath]);
  const left = await git(['config', '--global', '--get-regexp', '^include\\.']).catch(() => '');
  if (!left.trim()) await git(['config', '--global', '--remove-section', 'include']).catch(() => undefined);
}
