// What every route of the fake GitHub takes and gives: REST, git over HTTP, faults and the
// token lag all answer with a RouteResult, and answer.ts alone writes it to the socket.
import type { RequestAuth } from './auth.ts';
import { DOCS, errorBody } from './objects.ts';

export interface RouteRequest {
  method: string;
  /** Decoded path without the prefix and query. */
  path: string;
  body: unknown;
  /** True when a body was sent that is not valid JSON. */
  bodyInvalid: boolean;
  auth: RequestAuth;
  /** Server clock. */
  nowMs: number;
  /** Base URL of the API including the path prefix. */
  apiUrl: string;
}

export interface RouteResult {
  status: number;
  /** JSON, text, or bytes sent as they are (git). */
  body?: unknown;
  headers?: Record<string, string>;
  /** git's own answer: sent without the REST API's headers (date, x-github-*, x-ratelimit-*). */
  git?: boolean;
}

/** GitHub's JSON error answer. */
export function fail(status: number, message: string, documentationUrl: string = DOCS): RouteResult {
  return { status, body: errorBody(status, message, documentationUrl) };
}

export const notFound = (documentationUrl: string = DOCS): RouteResult => fail(404, 'Not Found', documentationUrl);
