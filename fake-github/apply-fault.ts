// Applying a queued fault (faults.ts) to one request: answer instead of the route, break the
// connection, or let the route answer (after a delay, or changed by a decoration).
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Decorate, Fault } from './faults.ts';
import { errorBody } from './objects.ts';
import type { RecordedRequest } from './record.ts';
import type { RouteResult } from './route-shape.ts';

export interface FaultTarget {
  res: ServerResponse;
  socket: Socket;
  record: RecordedRequest;
  /** Server clock. */
  now: () => number;
  /** Waits `ms`; close() cuts it short. */
  wait: (ms: number) => Promise<void>;
}

export type FaultOutcome =
  /** a status fault: this answer instead of the route's */
  | { kind: 'answer'; result: RouteResult }
  /** the socket was dealt with (streamed, stalled, reset or left hanging) */
  | { kind: 'done' }
  /** the route answers as usual, changed by `decorate` when given */
  | { kind: 'route'; decorate?: Decorate };

/** Writes `bytes` bytes of chunked JSON-ish text, waiting for the client to read; stops when it goes away. */
async function streamBody(res: ServerResponse, record: RecordedRequest, status: number, bytes: number): Promise<void> {
  record.status = status;
  record.bytesSent = 0;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  const chunk = Buffer.from(`{"message": "${'x'.repeat(64 * 1024 - 14)}", `);
  let gone = false;
  res.on('close', () => (gone = true));
  while (record.bytesSent < bytes && !gone) {
    const piece = chunk.subarray(0, Math.min(chunk.length, bytes - record.bytesSent));
    record.bytesSent += piece.length;
    if (!res.write(piece)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
  }
  if (!gone) res.end();
}

export async function applyFault(fault: Fault, target: FaultTarget): Promise<FaultOutcome> {
  const { action } = fault;
  const { res, record } = target;
  if (!('kind' in action)) {
    record.fault = 'status';
    const serverNow = target.now();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(action.headers ?? {})) {
      headers[name.toLowerCase()] = typeof value === 'function' ? value(serverNow) : value;
    }
    const fallback = errorBody(action.status, STATUS_CODES[action.status] ?? 'Error');
    return { kind: 'answer', result: { status: action.status, headers, body: action.body ?? fallback } };
  }
  record.fault = action.kind;
  switch (action.kind) {
    case 'stream':
      await streamBody(res, record, action.status, action.bytes);
      return { kind: 'done' };
    case 'stall':
      record.status = action.status;
      res.writeHead(action.status, { 'content-type': 'application/json; charset=utf-8', date: new Date(target.now()).toUTCString() });
      res.write('{"id": 1001, "account": {"login": "octo');
      return { kind: 'done' }; // never ends; close() destroys the socket
    case 'reset':
      if (typeof target.socket.resetAndDestroy === 'function') target.socket.resetAndDestroy();
      else target.socket.destroy();
      return { kind: 'done' };
    case 'hang':
      return { kind: 'done' }; // never answer; close() destroys the socket
    case 'decorate':
      return { kind: 'route', decorate: action.decorate };
    case 'delay':
      await target.wait(action.ms);
      return { kind: 'route' };
  }
}

/** The route's answer as the decoration changes it. */
export function decorateResult(decorate: Decorate, result: RouteResult, record: RecordedRequest): RouteResult {
  const changed = decorate({ status: result.status, headers: { ...result.headers }, body: result.body }, { headers: record.headers, rawBody: record.rawBody });
  return {
    ...result,
    status: changed.status ?? result.status,
    headers: { ...result.headers, ...changed.headers },
    body: 'body' in changed ? changed.body : result.body
  };
}
