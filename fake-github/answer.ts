// Writes a RouteResult to the socket: the one place an answer of the fake GitHub is sent.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from './record.ts';
import type { RouteResult } from './route-shape.ts';

/** The headers GitHub's REST API puts on every answer, on the server clock. */
function apiHeaders(serverNowMs: number): Record<string, string> {
  return {
    date: new Date(serverNowMs).toUTCString(),
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(serverNowMs / 1000) + 3600),
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core'
  };
}

/** Bytes as they are, text as text/plain, anything else as JSON; no body for 204 and 304. */
function payloadOf(result: RouteResult, headers: Record<string, string>): string | Buffer {
  const { body, status } = result;
  if (body === undefined || status === 204 || status === 304) return '';
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return body;
  }
  headers['content-type'] ??= 'application/json; charset=utf-8';
  return JSON.stringify(body);
}

/** Sends `result` and records its status. */
export function send(res: ServerResponse, record: RecordedRequest, result: RouteResult, serverNowMs: number): void {
  const headers = { ...(result.git ? {} : apiHeaders(serverNowMs)), ...result.headers };
  const payload = payloadOf(result, headers);
  headers['content-length'] = String(Buffer.byteLength(payload));
  record.status = result.status;
  res.writeHead(result.status, headers);
  res.end(payload);
}
