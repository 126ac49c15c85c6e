/** Create an installation token limited to the chosen repositories and permissions, and verify it (post revokes it: revoke.ts). */
import { ActionError, ApiError, listNames, unexpectedAnswer } from './errors.js';
import { describeRequest, type GitHub } from './github.js';
import { explainAppAuth, installationNotFound } from './explain-app-auth.js';
import { isForeignAnswer } from './foreign-answer.js';
import type { Installation } from './installation.js';
import type { Settings } from './inputs.js';
import { PERMISSIONS } from './permissions.generated.js';
import { missingPermissions } from './refused-permissions.js';
import { isRateLimit } from './retry.js';
import { findUnseenRepositories, MAX_LOOKUPS } from './unseen-repositories.js';
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
    throw await explainCreate(error, github, installation, settings);
  }
}

async function explainCreate(error: unknown, github: GitHub, installation: Installation, settings: Settings): Promise<unknown> {
  if (!(error instanceof ApiError) || isForeignAnswer(error)) return error;
  const where = installation.account ? `the installation on ${installation.enterprise ? 'enterprise ' : ''}'${untrusted(installation.account)}'` : `installation ${installation.id}`;
  // A retired permission (still declared for workflows written for the official action) that GitHub's 422 names.
  const retired = error.status === 422 ? PERMISSIONS.filter((p) => p.retired).find((p) => settings.permissions?.[p.name] !== undefined && (error.detail.includes(p.name) || error.detail.includes(p.input))) : undefined;
  if (retired) {
    return new ActionError(
      `GitHub refused a token with the retired permission '${retired.name}' (input '${retired.input}'): ${error.detail} GitHub no longer knows this permission (its API description dropped it in @octokit/openapi ${retired.retired}). Remove '${retired.input}' from the workflow.`
    );
  }
  if (error.status === 422 && /repositor/i.test(error.detail)) {
    const ids = settings.repositoryIds ?? [];
    const asked = [
      ...(settings.repositories?.length ? [`repositories ${listNames(settings.repositories)}`] : []),
      ...(ids.length ? [`repository IDs ${listNames(ids.map(String))}`] : [])
    ].join(' and ');
    const check = ids.length ? (settings.repositories?.length ? "Check 'repositories' and 'repository-ids'" : "Check the IDs in 'repository-ids'") : "Check the names in 'repositories'";
    const unseen = await unseenRepositories(github, installation, settings);
    return new ActionError(`GitHub refused a token for ${asked}: ${error.detail} ${unseen}${check}, and that ${where} has access to each of them (the app's installation settings → Repository access).`);
  }
  if (error.status === 422 && /permission/i.test(error.detail)) {
    const asked = settings.permissions ?? {};
    const missing = missingPermissions(asked, installation.permissions);
    const named = Object.entries(asked).map(([name, level]) => `${name}: ${level}`).join(', ');
    return new ActionError(
      missing.length > 0
        ? `GitHub refused a token with permissions that ${where} lacks: ${missing.join(', ')}. ${error.detail} Ask for less (remove or lower those inputs), or add the permissions to the app (App settings → Permissions and events); an owner of the account must then accept the new permissions on the installation (its settings page shows a request to review) before tokens get them.`
        : `GitHub refused a token with permissions ${named}: ${error.detail} Request only permissions the app has (App settings → Permissions), at or below the granted level; after the app asks for new permissions, an owner of the account must accept them on the installation before tokens get them.`
    );
  }
  if (error.status === 404 && settings.installationId !== undefined) return installationNotFound(installation.id);
  // A rate-limited 403 already says when the limit resets; it says nothing about the installation.
  if (error.status === 403 && !isRateLimit(error.failure)) {
    return new ActionError(`GitHub refused to create a token for ${where} (403: ${error.detail}). The installation may be suspended, or the organisation may restrict this app.`);
  }
  return explainAppAuth(error, settings);
}

/** "The installation cannot see ghost, web. " for the named repositories GitHub places elsewhere; '' when none, or when it cannot be asked. */
async function unseenRepositories(github: GitHub, installation: Installation, settings: Settings): Promise<string> {
  const names = settings.repositories ?? [];
  if (!settings.owner || names.length === 0 || installation.enterprise) return '';
  const { unseen, checked } = await findUnseenRepositories(github, settings.owner, names, installation.id);
  if (unseen.length === 0) return '';
  const more = names.length > checked ? ` (of the first ${MAX_LOOKUPS} names)` : '';
  return `The installation cannot see ${listNames(unseen.map((n) => `${settings.owner}/${n}`))}${more}: it does not exist, or the app's installation was not given access to it. `;
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
