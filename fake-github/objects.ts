// Object builders and shared state types of the fake GitHub API (bodies shaped like GitHub's).
import { randomBytes, type KeyObject } from 'node:crypto';

export type PermissionLevel = 'read' | 'write' | 'admin';

export interface ResolvedApp {
  id: number;
  clientId: string;
  slug: string;
  name: string;
  permissions: Record<string, PermissionLevel>;
  botUserId: number;
  publicKey: KeyObject;
}

export interface ResolvedInstallation {
  id: number;
  account: string;
  accountType: 'Organization' | 'User' | 'Enterprise';
  accountId: number;
  repositories: string[];
  repositorySelection: 'all' | 'selected';
  suspended: boolean;
}

export interface IssuedToken {
  installationId: number;
  issuedAt: Date;
  expiresAt: Date;
  revoked: boolean;
  /** Canonical repository names the token is limited to; null = every repository of the installation. */
  repositories: string[] | null;
  permissions: Record<string, string>;
}

export interface FakeState {
  app: ResolvedApp;
  installations: ResolvedInstallation[];
  tokens: Map<string, IssuedToken>;
  tokenStyle: 'classic' | 'stateless';
  tokenLifetimeMs: number;
}

export const DOCS = 'https://docs.github.com/rest';

export function errorBody(status: number, message: string, documentationUrl: string = DOCS): Record<string, string> {
  return { message, documentation_url: documentationUrl, status: String(status) };
}


export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Small deterministic numeric id for a name (repository ids, node ids). */
export function numericId(text: string, base: number): number {
  let hash = 0;
  for (const char of text.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) % 900_000;
  return base + hash;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function generateToken(style: 'classic' | 'stateless'): string {
  if (style === 'classic') {
    return 'ghs_' + [...randomBytes(36)].map((byte) => ALNUM[byte % ALNUM.length]).join('');
  }
  const middle = randomBytes(330).toString('base64url');
  const token = `ghs_${randomBytes(24).toString('base64url')}.${middle}.${randomBytes(32).toString('base64url')}`;
  // Guarantee the characters that trip naive token patterns are all present.
  return token.includes('-') ? token : token.replace(/\.(.)/, '.-');
}

export function accountObject(apiUrl: string, login: string, id: number, type: string): Record<string, unknown> {
  return {
    login,
    id,
    node_id: Buffer.from(`04:${type}${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: `${apiUrl}/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/${login}`,
    type,
    site_admin: false
  };
}

/** An enterprise account has a slug and a name, no login. */
export function enterpriseAccountObject(inst: ResolvedInstallation): Record<string, unknown> {
  return {
    id: inst.accountId,
    node_id: Buffer.from(`E_${inst.accountId}`).toString('base64'),
    slug: inst.account,
    name: `${inst.account} (enterprise)`,
    html_url: `https://github.com/enterprises/${inst.account}`,
    website_url: null,
    description: null,
    avatar_url: `https://avatars.githubusercontent.com/b/${inst.accountId}?v=4`,
    created_at: '2024-01-15T10:00:00Z',
    updated_at: '2024-06-01T12:00:00Z'
  };
}

export function installationObject(state: FakeState, inst: ResolvedInstallation, apiUrl: string): Record<string, unknown> {
  const enterprise = inst.accountType === 'Enterprise';
  const htmlUrl = enterprise
    ? `https://github.com/enterprises/${inst.account}/settings/installations/${inst.id}`
    : inst.accountType === 'Organization'
      ? `https://github.com/organizations/${inst.account}/settings/installations/${inst.id}`
      : `https://github.com/settings/installations/${inst.id}`;
  return {
    id: inst.id,
    client_id: state.app.clientId,
    account: enterprise ? enterpriseAccountObject(inst) : accountObject(apiUrl, inst.account, inst.accountId, inst.accountType),
    repository_selection: inst.repositorySelection,
    access_tokens_url: `${apiUrl}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${apiUrl}/installation/repositories`,
    html_url: htmlUrl,
    app_id: state.app.id,
    app_slug: state.app.slug,
    target_id: inst.accountId,
    target_type: inst.accountType,
    permissions: { ...state.app.permissions },
    events: [],
    created_at: '2024-01-15T10:00:00Z',
    updated_at: '2024-06-01T12:00:00Z',
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: inst.suspended ? '2025-01-01T00:00:00Z' : null
  };
}

export function repositoryObject(inst: ResolvedInstallation, name: string, apiUrl: string): Record<string, unknown> {
  const id = numericId(`${inst.account}/${name}`, 100_000_000);
  return {
    id,
    node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
    name,
    full_name: `${inst.account}/${name}`,
    private: false,
    owner: { login: inst.account, id: inst.accountId, type: inst.accountType },
    html_url: `https://github.com/${inst.account}/${name}`,
    url: `${apiUrl}/repos/${inst.account}/${name}`
  };
}

/** Permission levels in order, for comparing what a token has with what a route needs. */
export const LEVELS: Record<string, number> = { read: 1, write: 2, admin: 3 };

/** GitHub compares account and repository names without case. */
export const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The token's record when `credential` is a live (issued, unrevoked, unexpired) installation token. */
export function liveTokenRecord(state: FakeState, credential: string | undefined, nowMs: number): IssuedToken | undefined {
  if (!credential) return undefined;
  const record = state.tokens.get(credential);
  if (!record || record.revoked || record.expiresAt.getTime() <= nowMs) return undefined;
  return record;
}
