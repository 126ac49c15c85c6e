/** Create an installation token limited to the chosen repositories and permissions, and revoke it. */
import { ActionError, ApiError, listNames, unexpectedAnswer } from './errors.js';
import type { GitHub } from './github.js';
import { explainAppAuth, installationNotFound, type Installation } from './installation.js';
import type { Settings } from './inputs.js';
import { isRateLimit } from './retry.js';
import { untrusted } from './untrusted.js';

export interface Token {
  readonly token: string;
  /** ISO 8601, as GitHub returned it */
  readonly expiresAt: string;
  /** what GitHub granted */
  readonly permissions: Readonly<Record<string, string>>;
  /** the names the token is limited to; empty for every repository of the installation */
  readonly repositories: readonly string[];
}

interface TokenBody {
  token: string;
  expires_at: string;
  permissions?: Record<string, string>;
  repositories?: { name: string }[];
}

export async function createToken(github: GitHub, installation: Installation, settings: Settings): Promise<Token> {
  const body: Record<string, unknown> = { installation_id: installation.id };
  if (settings.repositories) body['repositories'] = settings.repositories;
  if (settings.permissions) body['permissions'] = settings.permissions;
  try {
    const { data } = await github.request<TokenBody>({ app: true }, 'POST /app/installations/{installation_id}/access_tokens', body);
    if (typeof data?.token !== 'string' || !data.token) {
      throw unexpectedAnswer(`POST /app/installations/${installation.id}/access_tokens`, 'an installation token');
    }
    return {
      token: data.token,
      expiresAt: String(data.expires_at ?? ''),
      permissions: typeof data.permissions === 'object' && data.permissions ? data.permissions : {},
      repositories: Array.isArray(data.repositories) ? data.repositories.map((r) => String(r?.name ?? '')).filter(Boolean) : []
    };
  } catch (error) {
    throw explainCreate(error, installation, settings);
  }
}

function explainCreate(error: unknown, installation: Installation, settings: Settings): unknown {
  if (!(error instanceof ApiError)) return error;
  const where = installation.account ? `the installation on '${untrusted(installation.account)}'` : `installation ${installation.id}`;
  if (error.status === 422 && /repositor/i.test(error.detail)) {
    return new ActionError(
      `GitHub refused a token for repositories ${listNames(settings.repositories ?? [])}: ${error.detail} Check the names in 'repositories', and that ${where} has access to each of them (the app's installation settings → Repository access).`
    );
  }
  if (error.status === 422 && /permission/i.test(error.detail)) {
    const asked = Object.entries(settings.permissions ?? {}).map(([name, level]) => `${name}: ${level}`).join(', ');
    return new ActionError(
      `GitHub refused a token with permissions ${asked}: ${error.detail} Request only permissions the app has (App settings → Permissions), at or below the granted level, and accept any new permissions on the installation.`
    );
  }
  if (error.status === 404 && settings.installationId !== undefined) return installationNotFound(installation.id);
  // A rate-limited 403 already says when the limit resets; it says nothing about the installation.
  if (error.status === 403 && !isRateLimit(error.failure)) {
    return new ActionError(`GitHub refused to create a token for ${where} (403: ${error.detail}). The installation may be suspended, or the organisation may restrict this app.`);
  }
  return explainAppAuth(error, settings);
}

/** The status GitHub answered: 204 when the token is revoked. */
export async function revokeToken(github: GitHub, token: string): Promise<number> {
  const { status } = await github.request({ token }, 'DELETE /installation/token');
  return status;
}
