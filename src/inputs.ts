/** Every input, read and checked once, before any request, into one typed Settings. */
import { ActionError } from './errors.js';
import { inputFrom, inputNames, readApiUrl, readBoolean, shorten } from './input-values.js';
import { readPermissions, type PermissionLevels } from './permissions.js';

export interface Settings {
  /** the JWT's `iss`: the client ID, or the app ID, exactly as given */
  readonly issuer: string;
  /** the `private-key` input as given (masked by the caller before anything else) */
  readonly privateKey: string;
  /** account whose installation to use; undefined only with `installationId` */
  readonly owner: string | undefined;
  /** repository names the token is limited to; undefined for every repository of the installation */
  readonly repositories: readonly string[] | undefined;
  /** when set, no lookup: mint from this installation */
  readonly installationId: number | undefined;
  /** undefined: the token inherits all of the app's permissions */
  readonly permissions: PermissionLevels | undefined;
  readonly skipTokenRevoke: boolean;
  /** REST API root, without a trailing slash */
  readonly apiUrl: string;
  readonly botIdentity: boolean;
  readonly configureGit: boolean;
  readonly summary: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

export const MAX_REPOSITORIES = 500;

const NO_SECRETS_HINT =
  'If it comes from a secret: secrets are not passed to workflows triggered from forks, nor to Dependabot runs (those read Dependabot secrets).';

export function readSettings(env: Env): Settings {
  const input = inputFrom(env);
  const clientId = input('client-id');
  const appId = input('app-id');
  const issuer = clientId || appId;
  if (!issuer) {
    throw new ActionError(`Input 'client-id' is empty (and so is 'app-id'). Set 'client-id' to the GitHub App's client ID (App settings → General). ${NO_SECRETS_HINT}`);
  }
  const issuerInput = clientId ? 'client-id' : 'app-id';
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(issuer)) {
    throw new ActionError(`Input '${issuerInput}' ('${shorten(issuer)}') does not look like a GitHub App client ID (e.g. Iv23li…) or app ID (digits). Copy it from the app's settings page.`);
  }
  const privateKey = input('private-key');
  if (!privateKey) {
    throw new ActionError(`Input 'private-key' is empty. Set it to the app's private key, e.g. \${{ secrets.APP_PRIVATE_KEY }}. ${NO_SECRETS_HINT}`);
  }
  const installationId = readInstallationId(input('installation-id'));
  const ownerInput = input('owner');
  if (installationId !== undefined && ownerInput) {
    throw new ActionError(`Inputs 'installation-id' and 'owner' cannot be used together: the installation already names its account. Remove 'owner', or remove 'installation-id' to look the installation up by owner.`);
  }
  const scope = readScope(ownerInput, input('repositories'), installationId !== undefined, env);
  const configureGit = readBoolean('configure-git', input('configure-git'), false);
  return {
    issuer,
    privateKey,
    ...scope,
    installationId,
    permissions: readPermissions(input, inputNames(env)),
    skipTokenRevoke: readBoolean('skip-token-revoke', input('skip-token-revoke'), false),
    apiUrl: readApiUrl(input('github-api-url'), env),
    botIdentity: readBoolean('bot-identity', input('bot-identity'), false) || configureGit,
    configureGit,
    summary: readBoolean('summary', input('summary'), true)
  };
}

function readScope(ownerInput: string, repositoriesInput: string, byInstallationId: boolean, env: Env): Pick<Settings, 'owner' | 'repositories'> {
  if (ownerInput) checkOwner(ownerInput, "Input 'owner'");
  const entries = repositoriesInput.split(/[,\n]/).map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) {
    if (ownerInput || byInstallationId) return { owner: ownerInput || undefined, repositories: undefined };
    const [owner, repo] = currentRepository(env);
    return { owner, repositories: [repo] };
  }
  const prefixed = entries.find((e) => e.includes('/'))?.split('/')[0];
  const owner = ownerInput || prefixed || (byInstallationId ? undefined : currentOwner(env));
  const names = new Map<string, string>();
  for (const entry of entries) {
    const name = repositoryName(entry, owner);
    names.set(name.toLowerCase(), names.get(name.toLowerCase()) ?? name);
  }
  if (names.size > MAX_REPOSITORIES) {
    throw new ActionError(`Input 'repositories' names ${names.size} repositories; GitHub limits a token to ${MAX_REPOSITORIES}. Leave 'repositories' empty (with 'owner') for a token covering every repository of the installation.`);
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
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name) || name === '.' || name === '..') {
    throw new ActionError(`Input 'repositories' has '${shorten(entry)}', which is not a valid repository name (letters, digits, '.', '-', '_'; up to 100 characters).`);
  }
  return name;
}

function checkOwner(owner: string, what: string): void {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$/.test(owner)) {
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

function currentOwner(env: Env): string {
  const owner = env['GITHUB_REPOSITORY_OWNER'] || (env['GITHUB_REPOSITORY'] ?? '').split('/')[0];
  if (!owner) throw new ActionError(`Input 'repositories' is set without 'owner', and GITHUB_REPOSITORY_OWNER is not set. Set 'owner'.`);
  return owner;
}

function readInstallationId(value: string): number | undefined {
  if (!value) return undefined;
  if (!/^\d{1,15}$/.test(value) || Number(value) === 0) {
    throw new ActionError(`Input 'installation-id' ('${shorten(value)}') must be a positive whole number, the ID shown in the installation's settings URL.`);
  }
  return Number(value);
}
