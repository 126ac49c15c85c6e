/** git set-up for later steps: the bot's identity in the global config (never a token). */
import type { BotIdentity } from './bot.js';
import type { Env } from './env.js';
import { ActionError } from './errors.js';
import { untrusted } from './untrusted.js';

/**
 * `git config --global` with the bot's name and email; never the token. git runs with only the
 * variables it needs to find itself and the global config: the step's environment holds the
 * inputs (the private key) and the runner's state and output files.
 */
export async function configureGit(identity: BotIdentity, env: Env, signal?: AbortSignal): Promise<void> {
  const { execFile } = await import('node:child_process');
  // the step's deadline ends a git that hangs
  const options = { env: gitEnv(env, process.platform), ...(signal ? { signal } : {}) };
  const git = (...args: string[]) =>
    new Promise<void>((resolve, reject) => execFile('git', args, options, (error) => (error ? reject(error) : resolve())));
  try {
    await git('config', '--global', 'user.name', identity.name);
    await git('config', '--global', 'user.email', identity.email);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ActionError(`'configure-git' could not run git config (${untrusted((error as Error).message, 300)}). Is git installed on the runner? The token outputs are set.`);
  }
}

// GIT_CONFIG_GLOBAL: where a job moved the global config, later git steps read it; write there too.
const GIT_ENV = ['PATH', 'HOME', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL'];
const GIT_ENV_WINDOWS = ['USERPROFILE', 'SystemRoot', 'APPDATA'];

/** The environment git is started with: PATH, HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL, plus on Windows where it keeps the global config. */
export function gitEnv(env: Env, platform: string): Record<string, string> {
  const wanted = platform === 'win32' ? [...GIT_ENV, ...GIT_ENV_WINDOWS] : GIT_ENV;
  const out: Record<string, string> = {};
  for (const name of wanted) {
    // Windows names are case-insensitive ('Path', 'SYSTEMROOT')
    const key = platform === 'win32' ? Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase()) : name;
    const value = key === undefined ? undefined : env[key];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}
