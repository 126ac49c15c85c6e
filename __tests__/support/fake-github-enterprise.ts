// Enterprise installations in the fake GitHub API (GitHub Enterprise Cloud): the lookup
// GET /enterprises/{enterprise}/installation, the installation object with an enterprise account,
// and the token rules (no repositories). Imports only types, so fake-github-objects.ts may use it.
import type { FakeState, ResolvedInstallation } from './fake-github-objects.ts';

const DOCS = 'https://docs.github.com/enterprise-cloud@latest/rest';

/** An app installed on the enterprise `octo-enterprise` (add it to the fake's installations). */
export const ENTERPRISE_INSTALLATION = {
  id: 3001,
  account: 'octo-enterprise',
  accountType: 'Enterprise' as const,
  repositories: [] as string[],
  repositorySelection: 'selected' as const
};

export function isEnterpriseRoute(segments: readonly string[]): boolean {
  return segments.length === 3 && segments[0] === 'enterprises' && segments[2] === 'installation';
}

/** GET /enterprises/{enterprise}/installation (the JWT is checked by the caller), or undefined for other routes. */
export function enterpriseRoute(state: FakeState, method: string, segments: readonly string[], apiUrl: string): { status: number; body: unknown } | undefined {
  if (method !== 'GET' || !isEnterpriseRoute(segments)) return undefined;
  const slug = segments[1] ?? '';
  const inst = state.installations.find((i) => i.accountType === 'Enterprise' && i.account.toLowerCase() === slug.toLowerCase());
  if (!inst) {
    return { status: 404, body: { message: 'Not Found', documentation_url: `${DOCS}/apps/apps#get-an-enterprise-installation-for-the-authenticated-app`, status: '404' } };
  }
  return { status: 200, body: enterpriseInstallationObject(state, inst, apiUrl) };
}

/** An enterprise account has a slug and a name, no login. */
export function enterpriseInstallationObject(state: FakeState, inst: ResolvedInstallation, apiUrl: string): Record<string, unknown> {
  return {
    id: inst.id,
    client_id: state.app.clientId,
    account: {
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
    },
    repository_selection: 'selected',
    access_tokens_url: `${apiUrl}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${apiUrl}/installation/repositories`,
    html_url: `https://github.com/enterprises/${inst.account}/settings/installations/${inst.id}`,
    app_id: state.app.id,
    app_slug: state.app.slug,
    target_id: inst.accountId,
    target_type: 'Enterprise',
    permissions: { ...state.app.permissions },
    events: [],
    created_at: '2024-01-15T10:00:00Z',
    updated_at: '2024-06-01T12:00:00Z',
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null
  };
}

/** A token for an enterprise installation cannot name repositories: the 422 GitHub would send, or undefined. */
export function enterpriseTokenRefusal(inst: ResolvedInstallation, wanted: { repositories?: string[]; repositoryIds?: number[] }): { status: number; body: unknown } | undefined {
  if (inst.accountType !== 'Enterprise') return undefined;
  if (!wanted.repositories?.length && !wanted.repositoryIds?.length) return undefined;
  return {
    status: 422,
    body: { message: 'Repositories cannot be requested for an enterprise installation.', documentation_url: `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`, status: '422' }
  };
}
