/**
 * What GitHub's refusal of a token means, named by the inputs to change: a retired permission,
 * repositories the installation cannot see (looked up on this path only), permissions it lacks,
 * a suspended installation, an installation ID it does not have, or the app's own credentials.
 */
import { ActionError, ApiError, listNames } from './errors.js';
import { explainAppAuth, installationNotFound } from './explain-app-auth.js';
import { isForeignAnswer } from './foreign-answer.js';
import type { GitHub } from './github.js';
import type { Installation } from './installation.js';
import type { Settings } from './inputs.js';
import { PERMISSIONS } from './permissions.generated.js';
import { missingPermissions } from './refused-permissions.js';
import { isRateLimit } from './retry.js';
import { findUnseenRepositories, MAX_LOOKUPS } from './unseen-repositories.js';
import { untrusted } from './untrusted.js';

export interface RefusedToken {
  readonly error: unknown;
  readonly installation: Installation;
  readonly settings: Settings;
}

/** The error to report for a token GitHub refused: GitHub's own when nothing more is known. */
export async function explainTokenRefusal(github: GitHub, { error, installation, settings }: RefusedToken): Promise<unknown> {
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
  const { unseen, checked } = await findUnseenRepositories(github, { owner: settings.owner, names, installationId: installation.id });
  if (unseen.length === 0) return '';
  const more = names.length > checked ? ` (of the first ${MAX_LOOKUPS} names)` : '';
  return `The installation cannot see ${listNames(unseen.map((n) => `${settings.owner}/${n}`))}${more}: it does not exist, or the app's installation was not given access to it. `;
}
