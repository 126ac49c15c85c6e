// Token-checked resource routes of the fake GitHub: what a workflow does with the token it was
// given. One access rule serves REST and git over HTTP alike: the token must be live (issued, not
// revoked, not expired), the repository within its scope, and the permission at the level needed.
import type { RequestAuth } from './auth.ts';
import { DOCS, errorBody, LEVELS, liveTokenRecord, repositoryObject, sameName, type FakeState, type IssuedToken, type ResolvedInstallation } from './objects.ts';

export interface RouteLikeResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Access =
  | { ok: true; token: IssuedToken; inst: ResolvedInstallation; repo: string }
  | { ok: false; reason: 'credentials' | 'repository' | 'permission' };

/** Whether `credential` may use `permission` at `level` on owner/repo. */
export function checkAccess(
  state: FakeState,
  credential: string | undefined,
  owner: string,
  repo: string,
  permission: string,
  level: 'read' | 'write',
  nowMs: number
): Access {
  const token = liveTokenRecord(state, credential, nowMs);
  if (!token) return { ok: false, reason: 'credentials' };
  const inst = state.installations.find((i) => i.id === token.installationId);
  const inScope = inst && sameName(inst.account, owner) ? (token.repositories ?? inst.repositories).find((r) => sameName(r, repo)) : undefined;
  // GitHub answers 404 for a repository the token cannot see, so its existence does not leak.
  if (!inst || !inScope) return { ok: false, reason: 'repository' };
  // metadata: read comes with every installation token.
  const granted = permission === 'metadata' ? 'read' : token.permissions[permission];
  if (!granted || LEVELS[granted] < LEVELS[level]) return { ok: false, reason: 'permission' };
  return { ok: true, token, inst, repo: inScope };
}

function fail(status: number, message: string, doc: string): RouteLikeResult {
  return { status, body: errorBody(status, message, doc) };
}

function refusal(access: Exclude<Access, { ok: true }>, doc: string): RouteLikeResult {
  if (access.reason === 'credentials') return fail(401, 'Bad credentials', DOCS);
  if (access.reason === 'repository') return fail(404, 'Not Found', doc);
  return fail(403, 'Resource not accessible by integration', doc);
}

export interface ResourceRequest {
  method: string;
  /** Decoded path without the prefix and query. */
  path: string;
  body: unknown;
  auth: RequestAuth;
  nowMs: number;
  apiUrl: string;
}

/** Reads a file of a repository's default branch (the git bridge's bare repositories). */
export type FileReader = (owner: string, repo: string, path: string) => Buffer | undefined;

interface CreatedIssue {
  number: number;
  title: string;
  body: string | null;
}

// Issues created per repository, per fake (keyed by its state).
const issuesByState = new WeakMap<FakeState, Map<string, CreatedIssue[]>>();

function createIssue(state: FakeState, req: ResourceRequest, owner: string, repo: string): RouteLikeResult {
  const doc = `${DOCS}/issues/issues#create-an-issue`;
  const access = checkAccess(state, req.auth.token, owner, repo, 'issues', 'write', req.nowMs);
  if (!access.ok) return refusal(access, doc);
  const { title, body } = (req.body ?? {}) as { title?: unknown; body?: unknown };
  if (typeof title !== 'string' || title === '') return fail(422, 'Invalid request.\n\n"title" wasn\'t supplied.', doc);
  const fullName = `${access.inst.account}/${access.repo}`;
  const all = issuesByState.get(state) ?? new Map<string, CreatedIssue[]>();
  issuesByState.set(state, all);
  const list = all.get(fullName) ?? [];
  all.set(fullName, list);
  const issue = { number: list.length + 1, title, body: typeof body === 'string' ? body : null };
  list.push(issue);
  return {
    status: 201,
    body: {
      ...issue,
      state: 'open',
      url: `${req.apiUrl}/repos/${fullName}/issues/${issue.number}`,
      html_url: `https://github.com/${fullName}/issues/${issue.number}`,
      user: { login: `${state.app.slug}[bot]`, id: state.app.botUserId, type: 'Bot' }
    }
  };
}

function getContents(state: FakeState, req: ResourceRequest, owner: string, repo: string, path: string, read?: FileReader): RouteLikeResult {
  const doc = `${DOCS}/repos/contents#get-repository-content`;
  const access = checkAccess(state, req.auth.token, owner, repo, 'contents', 'read', req.nowMs);
  if (!access.ok) return refusal(access, doc);
  const data = read?.(access.inst.account, access.repo, path);
  if (!data) return fail(404, 'Not Found', doc);
  return {
    status: 200,
    body: {
      type: 'file',
      encoding: 'base64',
      name: path.split('/').pop(),
      path,
      size: data.length,
      content: data.toString('base64')
    }
  };
}

/**
 * GET /repos/{owner}/{repo}, GET /repos/{owner}/{repo}/contents/{path} and
 * POST /repos/{owner}/{repo}/issues; undefined for any other route.
 */
export function resourceRoute(state: FakeState, req: ResourceRequest, read?: FileReader): RouteLikeResult | undefined {
  const segments = req.path.split('/').filter((s) => s !== '');
  const [first, owner, repo, fourth] = segments;
  if (first !== 'repos') return undefined;
  const isRepo = req.method === 'GET' && segments.length === 3;
  const isContents = req.method === 'GET' && segments.length >= 5 && fourth === 'contents';
  const isIssues = req.method === 'POST' && segments.length === 4 && fourth === 'issues';
  if (!isRepo && !isContents && !isIssues) return undefined;
  if (req.auth.kind === 'none') return fail(401, 'Requires authentication', DOCS);
  if (isRepo) {
    const access = checkAccess(state, req.auth.token, owner, repo, 'metadata', 'read', req.nowMs);
    if (!access.ok) return refusal(access, `${DOCS}/repos/repos#get-a-repository`);
    return { status: 200, body: repositoryObject(access.inst, access.repo, req.apiUrl) };
  }
  if (isContents) return getContents(state, req, owner, repo, segments.slice(4).join('/'), read);
  return createIssue(state, req, owner, repo);
}
