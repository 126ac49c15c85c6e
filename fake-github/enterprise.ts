// Enterprise installations in the fake GitHub API (GitHub Enterprise Cloud): the lookup
// GET /enterprises/{enterprise}/installation, the installation object with an enterprise account,
// and the token rules (no repositories). The installation object itself is built in objects.ts.
import { installationObject, type FakeState, type ResolvedInstallation } from './objects.ts';
import { fail, notFound, type RouteRequest, type RouteResult } from './route-shape.ts';

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
export function enterpriseRoute(state: FakeState, req: RouteRequest, segments: readonly string[]): RouteResult | undefined {
  if (req.method !== 'GET' || !isEnterpriseRoute(segments)) return undefined;
  const slug = segments[1] ?? '';
  const inst = state.installations.find((i) => i.accountType === 'Enterprise' && i.account.toLowerCase() === slug.toLowerCase());
  if (!inst) return notFound(`${DOCS}/apps/apps#get-an-enterprise-installation-for-the-authenticated-app`);
  return { status: 200, body: installationObject(state, inst, req.apiUrl) };
}

/** A token for an enterprise installation cannot name repositories: the 422 GitHub would send, or undefined. */
export function enterpriseTokenRefusal(inst: ResolvedInstallation, wanted: { repositories?: string[]; repositoryIds?: number[] }): RouteResult | undefined {
  if (inst.accountType !== 'Enterprise') return undefined;
  if (!wanted.repositories?.length && !wanted.repositoryIds?.length) return undefined;
  return fail(422, 'Repositories cannot be requested for an enterprise installation.', `${DOCS}/apps/apps#create-an-installation-access-token-for-an-app`);
}
