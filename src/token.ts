/** Create an installation token limited to the chosen repositories and permissions, and verify it (post revokes it: revoke.ts). */
import { ActionError, ApiError, unexpectedAnswer } from './errors.js';
import { explainTokenRefusal } from './explain-token-refusal.js';
import { describeRequest, type GitHub } from './github.js';
import type { Installation } from './installation.js';
import type { Settings } from './inputs.js';
import { untrusted } from './untrusted.js';

export interface Token {
  readonly token: string;
  /** ISO 8601, as GitHub returned it */
  readonly expiresAt: string;
  /** what GitHub granted */
  readonly permissions: Readonly<Record<string, string>>;
  /** the names the token is limited to, as GitHub answered (also for `repository-ids`); empty for every repository of the installation */
  readonly repositories: readonly string[];
}

/** A token this run minted, and when (runner clock, ms). */
export interface FreshToken {
  readonly token: string;
  readonly mintedAt: number;
}

interface TokenBody {
  token: string;
  expires_at: string;
  permissions?: Record<string, string>;
  repositories?: { name: string }[];
}

/** Printable ASCII, no spaces, bounded: GitHub's tokens are 40 characters today, and may grow. */
const TOKEN_FORM = /^[\x21-\x7e]{1,4096}$/;

export async function createToken(github: GitHub, installation: Installation, settings: Settings): Promise<Token> {
  const body: Record<string, unknown> = { installation_id: installation.id };
  if (settings.repositories) body['repositories'] = settings.repositories;
  if (settings.repositoryIds) body['repository_ids'] = settings.repositoryIds;
  if (settings.permissions) body['permissions'] = settings.permissions;
  try {
    const route = 'POST /app/installations/{installation_id}/access_tokens';
    const { data } = await github.request<TokenBody>({ app: true }, route, body);
    if (typeof data?.token !== 'string' || !TOKEN_FORM.test(data.token)) {
      throw unexpectedAnswer(describeRequest(route, body), 'an installation token');
    }
    return {
      token: data.token,
      expiresAt: String(data.expires_at ?? ''),
      permissions: typeof data.permissions === 'object' && data.permissions ? data.permissions : {},
      repositories: Array.isArray(data.repositories) ? data.repositories.map((r) => String(r?.name ?? '')).filter(Boolean) : []
    };
  } catch (error) {
    throw await explainTokenRefusal(github, { error, installation, settings });
  }
}

/**
 * `verify-token`: one request with the new token, repeated (about 30 s at most) until GitHub has
 * replicated it, so the next step never meets the lag.
 */
export async function verifyToken(github: GitHub, token: FreshToken, installation: Installation): Promise<void> {
  try {
    await github.request(token, 'GET /installation/repositories', { per_page: 1 }, { lag: 'verifyToken' });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const where = installation.account ? `installation ${installation.id} on '${untrusted(installation.account)}'` : `installation ${installation.id}`;
    throw new ActionError(
      `'verify-token': the new token for ${where} did not work: ${error.message.replace(/\.?$/, '.')} GitHub may be slow to replicate tokens right now; re-run the job. The post step revokes the token.`
    );
  }
}
