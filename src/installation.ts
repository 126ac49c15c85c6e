/** Which installation to mint from: the one on a repository, on an account, on an enterprise, or a given ID. */
import { answerChecker } from './check-answer.js';
import { ActionError, ApiError, unexpectedAnswer } from './errors.js';
import { explainAppAuth, installationNotFound } from './explain-app-auth.js';
import { isForeignAnswer } from './foreign-answer.js';
import { describeRequest, type GitHub } from './github.js';
import type { Settings } from './inputs.js';

export interface Installation {
  readonly id: number;
  /** empty when the installation was given by ID and not looked up */
  readonly appSlug: string;
  /** the account's login, or the enterprise's slug */
  readonly account: string;
  /** installed on an enterprise account: its token has no repositories */
  readonly enterprise?: boolean;
  /** what the installation was granted, when it was looked up (to explain a refused permission) */
  readonly permissions?: Readonly<Record<string, unknown>>;
}

interface InstallationBody {
  id: number;
  app_slug?: string;
  /** a user or organisation (login), or an enterprise (slug) */
  account?: { login?: string; slug?: string } | null;
  target_type?: string;
  permissions?: Record<string, unknown> | null;
}

/** GitHub answered 404 to the installation lookup: the app is not installed there (or cannot see it). */
export class NotInstalled extends ActionError {
  constructor(
    message: string,
    /** "GET /repos/…/installation", for messages */
    readonly request: string
  ) {
    super(message);
  }
}

export async function findInstallation(github: GitHub, settings: Settings): Promise<Installation> {
  if (settings.installationId !== undefined) {
    return { id: settings.installationId, appSlug: '', account: '' }; // not looked up: one request fewer
  }
  if (settings.enterprise) return findEnterpriseInstallation(github, settings.enterprise, settings);
  const owner = settings.owner ?? '';
  const repo = settings.repositories?.[0];
  const [route, params] = repo ? ['GET /repos/{owner}/{repo}/installation', { owner, repo }] : ['GET /users/{username}/installation', { username: owner }];
  const request = describeRequest(route, params);
  try {
    const { data } = await github.request<InstallationBody>({ app: true }, route, params);
    return fromBody(data, request, github.redact);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && !isForeignAnswer(error)) {
      throw new NotInstalled(
        repo
          ? `The app is not installed on ${owner}/${repo} (or cannot see it): GitHub answered 404 to ${request}. Install the app on '${owner}' and give it access to '${repo}', or fix 'owner'/'repositories'.`
          : `The app is not installed on the account '${owner}': GitHub answered 404 to ${request}. Install the app on '${owner}', or fix 'owner'.`,
        request
      );
    }
    throw explainAppAuth(error, settings);
  }
}

/** GET /enterprises/{enterprise}/installation: GitHub Enterprise Cloud only (public preview since 2026-05-13). */
async function findEnterpriseInstallation(github: GitHub, enterprise: string, settings: Settings): Promise<Installation> {
  const route = 'GET /enterprises/{enterprise}/installation';
  const request = describeRequest(route, { enterprise });
  try {
    const { data } = await github.request<InstallationBody>({ app: true }, route, { enterprise });
    const found = fromBody(data, request, github.redact);
    return { ...found, account: found.account || enterprise, enterprise: true };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && !isForeignAnswer(error)) {
      throw new ActionError(
        `The app is not installed on the enterprise '${enterprise}': GitHub answered 404 to ${request}. An enterprise owner installs it from the app's page (https://github.com/apps/<app-slug>/installations/new, choosing the enterprise); the app must be owned by the enterprise or one of its organisations and request enterprise permissions. Or fix 'enterprise' (the slug in https://github.com/enterprises/<slug>; GitHub Enterprise Cloud only).`
      );
    }
    throw explainAppAuth(error, settings);
  }
}

/** Looks an installation given by ID up, for its app slug. */
export async function describeInstallation(github: GitHub, id: number, settings: Settings): Promise<Installation> {
  try {
    const route = 'GET /app/installations/{installation_id}';
    const { data } = await github.request<InstallationBody>({ app: true }, route, { installation_id: id });
    return fromBody(data, describeRequest(route, { installation_id: id }), github.redact);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && !isForeignAnswer(error)) throw installationNotFound(id);
    throw explainAppAuth(error, settings);
  }
}

/** A success status whose body is not an installation (a proxy's page, a redirect without Location) must not be used as one. */
function fromBody(data: InstallationBody | undefined, request: string, redact: (text: string) => string): Installation {
  if (typeof data?.id !== 'number') {
    throw unexpectedAnswer(request, 'an installation (it has no numeric id)');
  }
  const check = answerChecker({ request, redact });
  const enterprise = data.target_type === 'Enterprise';
  const id = check.id('the installation id', data.id);
  const appSlug = data.app_slug === undefined ? '' : check.form('the app slug', data.app_slug, 'an app slug');
  const login = enterprise ? data.account?.slug : data.account?.login;
  const account = login === undefined ? '' : check.form(enterprise ? "the enterprise's slug" : "the account's login", login, enterprise ? 'an enterprise slug' : 'a login');
  const permissions = typeof data.permissions === 'object' && data.permissions ? { permissions: check.permissions(data.permissions) } : {};
  return { id, appSlug, account, ...(enterprise ? { enterprise } : {}), ...permissions };
}
