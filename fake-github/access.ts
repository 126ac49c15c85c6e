// Who reaches what in the fake GitHub: one rule for the REST API and git over HTTP (README).
// A repository is reached by an installation token only, sent as `Bearer`/`token` or as git's
// Basic password: live (issued, not revoked, not expired), the repository within its scope, and
// the permission at the level needed. An app JWT reaches the app routes (auth.ts verifies it),
// never a repository.
import type { RequestAuth } from './auth.ts';
import { LEVELS, liveTokenRecord, sameName, type FakeState, type IssuedToken, type ResolvedInstallation } from './objects.ts';

export interface AccessRequest {
  auth: RequestAuth;
  owner: string;
  repo: string;
  permission: string;
  level: 'read' | 'write';
  /** Server clock. */
  nowMs: number;
}

export type Access =
  | { ok: true; token: IssuedToken; inst: ResolvedInstallation; repo: string }
  /** anonymous: no credentials; credentials: not a live installation token; repository: outside its scope or unknown */
  | { ok: false; reason: 'anonymous' | 'credentials' | 'repository' | 'permission' };

/** The request's installation token, when it is a live one. */
export function installationToken(state: FakeState, auth: RequestAuth, nowMs: number): IssuedToken | undefined {
  return auth.kind === 'token' ? liveTokenRecord(state, auth.token, nowMs) : undefined;
}

/** Whether the request's credential may use `permission` at `level` on owner/repo. */
export function checkAccess(state: FakeState, request: AccessRequest): Access {
  if (request.auth.kind === 'none') return { ok: false, reason: 'anonymous' };
  const token = installationToken(state, request.auth, request.nowMs);
  if (!token) return { ok: false, reason: 'credentials' };
  const inst = state.installations.find((i) => i.id === token.installationId);
  const scope = token.repositories ?? inst?.repositories ?? [];
  const repo = inst && sameName(inst.account, request.owner) ? scope.find((r) => sameName(r, request.repo)) : undefined;
  // GitHub answers 404 for a repository the token cannot see, so its existence does not leak.
  if (!inst || !repo) return { ok: false, reason: 'repository' };
  // metadata: read comes with every installation token.
  const granted = request.permission === 'metadata' ? 'read' : token.permissions[request.permission];
  if (!granted || LEVELS[granted] < LEVELS[request.level]) return { ok: false, reason: 'permission' };
  return { ok: true, token, inst, repo };
}
