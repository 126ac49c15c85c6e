// Which route answers a request: git over HTTP at the host root, then (under the API's prefix)
// the token lag, the token-checked resource routes and the app's own routes.
import { isGitPath, readRepoFile, serveGit, type GitRepos } from './git.ts';
import type { FakeState } from './objects.ts';
import type { Incoming } from './record.ts';
import { resourceRoute } from './resources.ts';
import { fail, notFound, type RouteResult } from './route-shape.ts';
import { route } from './routes.ts';
import type { ReplicationLag } from './tokens.ts';

export const API_VERSION = '2022-11-28';

export interface Routing {
  state: FakeState;
  git?: GitRepos;
  lag: ReplicationLag;
  requireApiVersion: boolean;
  /** Base URL of the API including the path prefix. */
  apiUrl: string;
  /** Server clock. */
  nowMs: number;
}

/** The route's answer to one request; marks the record when the token lag answered. */
export async function dispatch(routing: Routing, incoming: Incoming): Promise<RouteResult> {
  const { state, git, nowMs } = routing;
  const { record } = incoming;
  if (git && isGitPath(incoming.rawPath)) {
    const { method, headers, auth } = record;
    return serveGit(state, git, { method, rawPath: incoming.rawPath, query: incoming.query, headers, auth, body: incoming.rawBytes, nowMs });
  }
  if (!incoming.inPrefix) return notFound();
  const lagged = routing.lag.answer(state, record.auth);
  if (lagged) {
    record.fault = 'lag';
    return lagged;
  }
  const { method, path, body, auth } = record;
  const req = { method, path, body, bodyInvalid: incoming.bodyInvalid, auth, nowMs, apiUrl: routing.apiUrl };
  const readFile = git && ((owner: string, repo: string, file: string) => readRepoFile(git, owner, repo, file));
  const resource = resourceRoute(state, req, readFile || undefined);
  if (resource) return resource;
  // The action's own requests must name the API version; git and the token's other users need not.
  const version = record.headers['x-github-api-version'];
  if (routing.requireApiVersion && version !== API_VERSION) {
    return fail(400, `fake-github: X-GitHub-Api-Version must be ${API_VERSION}, got ${JSON.stringify(version ?? null)}`);
  }
  return route(state, req);
}
