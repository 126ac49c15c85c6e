/** Every input, read and checked once, before any request, into one typed Settings. */
import { readAgentSettings, type AgentSettings } from './agent-settings.js';
import { readEnterprise } from './enterprise.js';
import type { Env } from './env.js';
import { ActionError } from './errors.js';
import { hasForm, MAX_REPOSITORIES } from './github-forms.js';
import { checkGivenJwt } from './given-jwt.js';
import { inputFrom, inputNames, readApiUrl, readBoolean } from './input-values.js';
import { shorten } from './untrusted.js';
import { readPermissions, type PermissionLevels } from './permissions.js';

export interface Settings {
  /** the JWT's `iss`: the client ID, or the app ID, exactly as given */
  readonly issuer: string;
  /** the input the issuer came from, for messages (empty when it came from `app-jwt`'s iss) */
  readonly issuerInput: 'client-id' | 'app-id' | '';
  /** the `private-key` input as given (masked by the caller before anything else); empty with `appJwt` */
  readonly privateKey: string;
  /** the `app-jwt` input, checked: sent as it is instead of a JWT signed here */
  readonly appJwt: string | undefined;
  /** account whose installation to use; undefined only with `installationId` or `enterprise` */
  readonly owner: string | undefined;
  /** repository names the token is limited to; undefined for every repository of the installation */
  readonly repositories: readonly string[] | undefined;
  /** repository IDs the token is limited to as well (GitHub grants the union with `repositories`) */
  readonly repositoryIds: readonly number[] | undefined;
  /** when set, no lookup: mint from this installation */
  readonly installationId: number | undefined;
  /** enterprise slug: mint from the app's installation on this enterprise (owner and repositories are then undefined) */
  readonly enterprise: string | undefined;
  /** undefined: the token inherits all of the app's permissions */
  readonly permissions: PermissionLevels | undefined;
  /** REST API root, without a trailing slash */
  readonly apiUrl: string;
  readonly botIdentity: boolean;
  readonly configureGit: boolean;
  readonly summary: boolean;
  /** after minting, wait until the token works (GitHub replicates a new token for a few seconds) */
  readonly verifyToken: boolean;
  /** `agent: true`: keep git and later steps supplied with fresh tokens (agent-start.ts); undefined otherwise */
  readonly agent: AgentSettings | undefined;
}


export { MAX_REPOSITORIES };

const NO_SECRETS_HINT =
  'If it comes from a secret: secrets are not passed to workflows triggered from forks, nor to Dependabot runs (those read Dependabot secrets).';

/** `nowMs`: the runner's clock, for the `app-jwt` expiry check. */
export function readSettings(env: Env, nowMs: number = Date.now()): Settings {
  const input = inputFrom(env);
  const credentials = readCredentials(input, nowMs);
  const enterprise = readEnterprise(input);
  const installationId = readInstallationId(input('installation-id'));
  const ownerInput = input('owner');
  if (installationId !== undefined && ownerInput) {
    throw new ActionError(`Inputs 'installation-id' and 'owner' cannot be used together: the installation already names its account. Remove 'owner', or remove 'installation-id' to look the installation up by owner.`);
  }
  const repositoryIds = readRepositoryIds(input('repository-ids'));
  const scope = enterprise
    ? { owner: undefined, repositories: undefined }
    : readScope({ ownerInput, repositoriesInput: input('repositories'), repositoryIds, byInstallationId: installationId !== undefined, env });
  const configureGit = readBoolean('configure-git', input('configure-git'), false);
  // post reads 'skip-token-revoke'; checked here too, so a bad value fails before any request
  readBoolean('skip-token-revoke', input('skip-token-revoke'), false);
  return {
    ...credentials,
    ...scope,
    repositoryIds,
    installationId,
    enterprise,
    permissions: readPermissions(input, inputNames(env)),
    apiUrl: readApiUrl(input('github-api-url'), env),
    botIdentity: readBoolean('bot-identity', input('bot-identity'), false) || configureGit,
    configureGit,
    summary: readBoolean('summary', input('summary'), true),
    verifyToken: readBoolean('verify-token', input('verify-token'), false),
    agent: readAgentSettings(input, Boolean(credentials.appJwt))
  };
}

/** The app's identity and how to prove it: the key (signed here) or a JWT signed elsewhere. */
function readCredentials(input: (name: string) => string, nowMs: number): Pick<Settings, 'issuer' | 'issuerInput' | 'privateKey' | 'appJwt'> {
  const clientId = input('client-id');
  const appId = input('app-id');
  const given = clientId || appId;
  const issuerInput = clientId ? 'client-id' : 'app-id';
  const privateKey = input('private-key');
  const appJwt = input('app-jwt');
  if (privateKey && appJwt) {
    throw new ActionError(`Inputs 'private-key' and 'app-jwt' cannot be used together: give the key (this action signs the JWT) or a JWT signed elsewhere, not both. Remove one of them.`);
  }
  if (appJwt) {
    const jwt = checkGivenJwt(appJwt, Math.floor(nowMs / 1000));
    if (given && given !== jwt.issuer) {
      throw new ActionError(
        `Input '${issuerInput}' is '${shorten(given)}', but the 'iss' claim of 'app-jwt' is '${shorten(jwt.issuer)}'; they must be the same. Leave '${issuerInput}' empty (it is optional with 'app-jwt'), or sign the JWT with 'iss' set to it.`
      );
    }
    return { issuer: jwt.issuer, issuerInput: given ? issuerInput : '', privateKey: '', appJwt: jwt.value };
  }
  if (!given) {
    throw new ActionError(`Input 'client-id' is empty (and so is 'app-id'). Set 'client-id' to the GitHub App's client ID (App settings → General). ${NO_SECRETS_HINT}`);
  }
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(given)) {
    throw new ActionError(`Input '${issuerInput}' ('${shorten(given)}') does not look like a GitHub App client ID (e.g. Iv23li…) or app ID (digits). Copy it from the app's settings page.`);
  }
  if (!privateKey) {
    throw new ActionError(
      `Input 'private-key' is empty (and so is 'app-jwt'). Set it to the app's private key, e.g. \${{ secrets.APP_PRIVATE_KEY }}, or set 'app-jwt' to a JWT an earlier step signed. ${NO_SECRETS_HINT}`
    );
  }
  return { issuer: given, issuerInput, privateKey, appJwt: undefined };
}

/** Comma- or newline-separated positive integers; undefined when empty. */
function readRepositoryIds(value: string): number[] | undefined {
  const entries = value.split(/[,\n]/).map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) return undefined;
  const ids = new Set<number>();
  for (const entry of entries) {
    if (!/^\d{1,15}$/.test(entry) || Number(entry) === 0) {
      throw new ActionError(
        `Input 'repository-ids' has '${shorten(entry)}', which is not a repository ID (a positive whole number, e.g. 1296269: gh api repos/OWNER/NAME --jq .id). Separate IDs with commas or newlines; put names in 'repositories'.`
      );
    }
    ids.add(Number(entry));
  }
  return [...ids];
}

interface ScopeInputs {
  readonly ownerInput: string;
  readonly repositoriesInput: string;
  readonly repositoryIds: readonly number[] | undefined;
  /** 'installation-id' is set: no owner is needed */
  readonly byInstallationId: boolean;
  readonly env: Env;
}

function readScope({ ownerInput, repositoriesInput, repositoryIds, byInstallationId, env }: ScopeInputs): Pick<Settings, 'owner' | 'repositories'> {
  if (ownerInput) checkOwner(ownerInput, "Input 'owner'");
  const entries = repositoriesInput.split(/[,\n]/).map((e) => e.trim()).filter(Boolean);
  const idCount = repositoryIds?.length ?? 0;
  if (entries.length === 0) {
    if (idCount > MAX_REPOSITORIES) {
      throw new ActionError(`Input 'repository-ids' has ${idCount} IDs; GitHub limits a token to ${MAX_REPOSITORIES} repositories. Leave it empty (with 'owner') for a token covering every repository of the installation.`);
    }
    if (ownerInput || byInstallationId) return { owner: ownerInput || undefined, repositories: undefined };
    // IDs alone: the installation of the workflow repository's owner, limited to those IDs
    if (idCount > 0) return { owner: currentOwner(env, "Input 'repository-ids' is set without 'owner'"), repositories: undefined };
    const [owner, repo] = currentRepository(env);
    return { owner, repositories: [repo] };
  }
  const prefixed = entries.find((e) => e.includes('/'))?.split('/')[0];
  const owner = ownerInput || prefixed || (byInstallationId ? undefined : currentOwner(env, "Input 'repositories' is set without 'owner'"));
  const names = new Map<string, string>();
  for (const entry of entries) {
    const name = repositoryName(entry, owner);
    names.set(name.toLowerCase(), names.get(name.toLowerCase()) ?? name);
  }
  if (names.size > MAX_REPOSITORIES) {
    throw new ActionError(`Input 'repositories' names ${names.size} repositories; GitHub limits a token to ${MAX_REPOSITORIES}. Leave 'repositories' empty (with 'owner') for a token covering every repository of the installation.`);
  }
  if (names.size + idCount > MAX_REPOSITORIES) {
    throw new ActionError(
      `Inputs 'repositories' and 'repository-ids' name ${names.size + idCount} repositories together (${names.size} names, ${idCount} IDs); GitHub limits a token to ${MAX_REPOSITORIES}. Name fewer, or leave both empty (with 'owner') for a token covering every repository of the installation.`
    );
  }
  return { owner, repositories: [...names.values()] };
}

/** `name` or `owner/name` (same owner) → name. */
function repositoryName(entry: string, owner: string | undefined): string {
  const parts = entry.split('/');
  if (parts.length > 2) {
    throw new ActionError(`Input 'repositories' has '${shorten(entry)}', which is not a repository name (use 'name' or 'owner/name').`);
  }
  const name = (parts.length === 2 ? parts[1] : parts[0]) ?? '';
  if (parts.length === 2) {
    const entryOwner = parts[0] ?? '';
    checkOwner(entryOwner, `Input 'repositories' entry '${shorten(entry)}'`);
    if (owner && entryOwner.toLowerCase() !== owner.toLowerCase()) {
      throw new ActionError(
        `Input 'repositories' has '${shorten(entry)}', but the token is for '${owner}': one installation token cannot span two accounts. Mint one token per owner, e.g. with a matrix over owners, or run this action once per owner with its own 'owner' and 'repositories'.`
      );
    }
  }
  if (!hasForm('a repository name', name)) {
    throw new ActionError(`Input 'repositories' has '${shorten(entry)}', which is not a valid repository name (letters, digits, '.', '-', '_'; up to 100 characters).`);
  }
  return name;
}

function checkOwner(owner: string, what: string): void {
  if (!hasForm('a login', owner)) {
    throw new ActionError(`${what} ('${shorten(owner)}') is not a valid GitHub account name (letters, digits and hyphens, e.g. 'octo-org').`);
  }
}

function currentRepository(env: Env): [string, string] {
  const full = env['GITHUB_REPOSITORY'] ?? '';
  const [owner, repo] = full.split('/');
  if (!owner || !repo) {
    throw new ActionError(`GITHUB_REPOSITORY is not set, so there is no current repository to make a token for. Set 'owner' (and 'repositories') to say which installation to use.`);
  }
  return [owner, repo];
}

/** `what`: the input that needs an owner, as the message starts. */
function currentOwner(env: Env, what: string): string {
  const owner = env['GITHUB_REPOSITORY_OWNER'] || (env['GITHUB_REPOSITORY'] ?? '').split('/')[0];
  if (!owner) throw new ActionError(`${what}, and GITHUB_REPOSITORY_OWNER is not set. Set 'owner'.`);
  return owner;
}

function readInstallationId(value: string): number | undefined {
  if (!value) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) === 0) {
    throw new ActionError(`Input 'installation-id' ('${shorten(value)}') must be a positive whole number, the ID shown in the installation's settings URL.`);
  }
  return Number(value);
}
