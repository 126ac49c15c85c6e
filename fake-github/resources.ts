// Token-checked resource routes of the fake GitHub: what a workflow does with the token it was
// given, under the access rule git over HTTP follows too (access.ts).
import { checkAccess, type Access, type AccessRequest } from './access.ts';
import { DOCS, repositoryObject, type FakeState } from './objects.ts';
import { fail, notFound, type RouteRequest, type RouteResult } from './route-shape.ts';

type Granted = Extract<Access, { ok: true }>;

/** Checks the access rule (access.ts) for one route; the refusal is GitHub's answer for the REST API. */
function restAccess(state: FakeState, req: RouteRequest, need: Omit<AccessRequest, 'auth' | 'nowMs'>, doc: string): Granted | RouteResult {
  const result = checkAccess(state, { ...need, auth: req.auth, nowMs: req.nowMs });
  if (result.ok) return result;
  if (result.reason === 'anonymous') return fail(401, 'Requires authentication', DOCS);
  if (result.reason === 'credentials') return fail(401, 'Bad credentials', DOCS);
  if (result.reason === 'repository') return notFound(doc);
  return fail(403, 'Resource not accessible by integration', doc);
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

/** The repository (and file) a resource route names. */
interface Target {
  owner: string;
  repo: string;
  path: string;
}

function createIssue(state: FakeState, req: RouteRequest, { owner, repo }: Target): RouteResult {
  const doc = `${DOCS}/issues/issues#create-an-issue`;
  const granted = restAccess(state, req, { owner, repo, permission: 'issues', level: 'write' }, doc);
  if (!('ok' in granted)) return granted;
  const { title, body } = (req.body ?? {}) as { title?: unknown; body?: unknown };
  if (typeof title !== 'string' || title === '') return fail(422, 'Invalid request.\n\n"title" wasn\'t supplied.', doc);
  const fullName = `${granted.inst.account}/${granted.repo}`;
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

function getContents(state: FakeState, req: RouteRequest, { owner, repo, path }: Target, read?: FileReader): RouteResult {
  const doc = `${DOCS}/repos/contents#get-repository-content`;
  const granted = restAccess(state, req, { owner, repo, permission: 'contents', level: 'read' }, doc);
  if (!('ok' in granted)) return granted;
  const data = read?.(granted.inst.account, granted.repo, path);
  if (!data) return notFound(doc);
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
export function resourceRoute(state: FakeState, req: RouteRequest, read?: FileReader): RouteResult | undefined {
  const segments = req.path.split('/').filter((s) => s !== '');
  const [first, owner, repo, fourth] = segments;
  if (first !== 'repos') return undefined;
  const isRepo = req.method === 'GET' && segments.length === 3;
  const isContents = req.method === 'GET' && segments.length >= 5 && fourth === 'contents';
  const isIssues = req.method === 'POST' && segments.length === 4 && fourth === 'issues';
  if (!isRepo && !isContents && !isIssues) return undefined;
  if (isRepo) {
    const granted = restAccess(state, req, { owner, repo, permission: 'metadata', level: 'read' }, `${DOCS}/repos/repos#get-a-repository`);
    if (!('ok' in granted)) return granted;
    return { status: 200, body: repositoryObject(granted.inst, granted.repo, req.apiUrl) };
  }
  const target = { owner, repo, path: segments.slice(4).join('/') };
  if (isContents) return getContents(state, req, target, read);
  return createIssue(state, req, target);
}
