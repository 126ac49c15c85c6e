/** The app's bot identity, for commits made as the app. */
import { ActionError, unexpectedAnswer } from './errors.js';
import type { GitHub } from './github.js';
import type { FreshToken } from './token.js';

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
    throw new ActionError(`Could not look up the app's bot user '${name}' (for 'bot-identity'/'configure-git'): ${reason} The token outputs are set and the token will still be revoked.`);
  }
  if (typeof id !== 'number') throw unexpectedAnswer(`GET /users/${name}`, 'a user (it has no numeric id)');
  const email = `${id}+${name}@${noreplyDomain(apiUrl)}`;
  return { userId: id, name, email, committer: `${name} <${email}>` };
}

/** users.noreply.github.com on github.com; users.noreply.<host> on GitHub Enterprise Server. */
export function noreplyDomain(apiUrl: string): string {
  const host = new URL(apiUrl).hostname;
  return host === 'api.github.com' ? 'users.noreply.github.com' : `users.noreply.${host.replace(/^api\./, '')}`;
}

/** `git config --global` with the bot's name and email; never the token. */
export async function configureGit(identity: BotIdentity): Promise<void> {
  const { execFile } = await import('node:child_process');
  const git = (...args: string[]) =>
    new Promise<void>((resolve, reject) => execFile('git', args, (error) => (error ? reject(error) : resolve())));
  try {
    await git('config', '--global', 'user.name', identity.name);
    await git('config', '--global', 'user.email', identity.email);
  } catch (error) {
    throw new ActionError(`'configure-git' could not run git config (${(error as Error).message}). Is git installed on the runner? The token outputs are set.`);
  }
}
