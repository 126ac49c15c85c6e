/** The app's bot identity, for commits made as the app. */
import { answerChecker } from './check-answer.js';
import { ActionError, unexpectedAnswer } from './errors.js';
import { describeRequest, type GitHub } from './github.js';
import type { FreshToken } from './token.js';
import { untrusted } from './untrusted.js';

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
export interface BotLookup {
  /** the token just minted: the bot user is looked up with it */
  readonly token: FreshToken;
  readonly appSlug: string;
  /** the REST API root, for the noreply domain */
  readonly apiUrl: string;
}

export async function lookupBot(github: GitHub, { token, appSlug, apiUrl }: BotLookup): Promise<BotIdentity> {
  const name = `${appSlug}[bot]`;
  const route = 'GET /users/{username}';
  let id: unknown;
  try {
    ({ data: { id } } = await github.request<{ id: unknown }>(token, route, { username: name }));
  } catch (error) {
    const reason = (error as Error).message.replace(/\.?$/, '.');
    throw new ActionError(`Could not look up the app's bot user '${untrusted(name)}' (for 'bot-identity'/'configure-git'): ${reason} The token outputs are set and the token will still be revoked.`);
  }
  const request = describeRequest(route, { username: name });
  if (typeof id !== 'number') throw unexpectedAnswer(request, 'a user (it has no numeric id)');
  answerChecker({ request, redact: github.redact }).id("the bot user's id", id);
  const email = `${id}+${name}@${noreplyDomain(apiUrl)}`;
  return { userId: id, name, email, committer: `${name} <${email}>` };
}

/** users.noreply.github.com on github.com; users.noreply.<host> on GitHub Enterprise Server. */
export function noreplyDomain(apiUrl: string): string {
  const host = new URL(apiUrl).hostname;
  return host === 'api.github.com' ? 'users.noreply.github.com' : `users.noreply.${host.replace(/^api\./, '')}`;
}
