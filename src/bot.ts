/** The app's bot identity, for commits made as the app. */
import { checkId } from './check-answer.js';
import { ActionError, unexpectedAnswer } from './errors.js';
import type { GitHub } from './github.js';
import type { FreshToken } from './token.js';
import { untrusted } from './untrusted.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface BotIdentity {
  readonly userId: number;
  readonly name: string;
  readonly email: string;
  /** `name <email>`, the form `git commit --author` takes */
  readonly committer: string;
}

/**
 * The bot user's ID is neither the app ID nor the installation ID: it has to be looked up, with
 * the token just minted (`mintedAt`: GitHub may still be replicating it).
 */
export async function lookupBot(github: GitHub, token: FreshToken, appSlug: string, apiUrl: string): Promise<BotIdentity> {
  const name = `${appSlug}[bot]`;
  let id: unknown;
  try {
    ({ data: { id } } = await github.request<{ id: unknown }>(token, 'GET /users/{username}', { username: name }));
  } catch (error) {
    const reason = (error as Error).message.replace(/\.?$/, '.');
    throw new ActionError(`Could not look up the app's bot user '${untrusted(name)}' (for 'bot-identity'/'configure-git'): ${reason} The token outputs are set and the token will still be revoked.`);
  }
  if (typeof id !== 'number') throw unexpectedAnswer(`GET /users/${untrusted(name)}`, 'a user (it has no numeric id)');
  checkId(`GET /users/${untrusted(name)}`, "the bot user's id", id);
  const email = `${id}+${name}@${noreplyDomain(apiUrl)}`;
  return { userId: id, name, email, committer: `${name} <${email}>` };
}

/** users.noreply.github.com on github.com; users.noreply.<host> on GitHub Enterprise Server. */
export function noreplyDomain(apiUrl: string): string {
  const host = new URL(apiUrl).hostname;
  return host === 'api.github.com' ? 'users.noreply.github.com' : `users.noreply.${host.replace(/^api\./, '')}`;
}

/**
 * `git config --global` with the bot's name and email; never the token. git runs with only the
 * variables it needs to find itself and the global config: the step's environment holds the
 * inputs (the private key) and the runner's state and output files.
 */
export async function configureGit(identity: BotIdentity, env: Env, signal?: AbortSignal): Promise<void> {
  const { execFile } = await import('node:child_process');
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
