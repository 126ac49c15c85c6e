// Recording what reached the fake GitHub: each request as it arrived (path, headers, body, parsed
// Authorization) and when its connection closed.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { parseAuthorization, type RequestAuth } from './auth.ts';

export interface RecordedRequest {
  method: string;
  /** Decoded path without the prefix and query (requests outside the prefix keep their full path). */
  path: string;
  /** Raw request target as sent (prefix, encoding and query included). */
  url: string;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when empty / not JSON (see rawBody). */
  body: unknown;
  rawBody: string;
  auth: RequestAuth;
  /** Status code sent back; 0 while pending and for 'reset' / 'hang' faults. */
  status: number;
  /** Kind of fault applied to this request, if any. */
  fault?: 'status' | 'reset' | 'hang' | 'delay' | 'lag' | 'stream' | 'stall' | 'decorate';
  /** Body bytes written for a 'stream' fault before the client stopped reading (or all of them). */
  bytesSent?: number;
  /** The installation-token-shaped credential the request carried (`token`, `Bearer` or git's Basic), if any. */
  carried?: string;
  /** Whether `carried` was a live installation token (issued, not revoked, not expired) on arrival. */
  live?: boolean;
  /** Real-clock (Date.now()) arrival time, for measuring client back-off. */
  receivedAt: number;
  /**
   * Real-clock time the request's connection closed. The action's keep-alive connections stay
   * open until its process exits, so this bounds how long the step went on after the request.
   */
  connectionClosedAt?: number;
}

/** A request read off the socket: its record and what routing needs besides. */
export interface Incoming {
  record: RecordedRequest;
  /** Path without the query, still encoded and prefixed. */
  rawPath: string;
  /** rawPath without the prefix (when inside it). */
  rawStripped: string;
  /** Whether the path is under the API's prefix. */
  inPrefix: boolean;
  query: string;
  rawBytes: Buffer;
  /** True when a body was sent that is not valid JSON. */
  bodyInvalid: boolean;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function parseJson(rawBody: string): { body?: unknown; bodyInvalid: boolean } {
  if (rawBody.trim() === '') return { bodyInvalid: false };
  try {
    return { body: JSON.parse(rawBody), bodyInvalid: false };
  } catch {
    return { bodyInvalid: true };
  }
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // not valid percent-encoding
  }
}

/** Reads the whole request; undefined when the client went away mid-body. */
export async function readRequest(req: IncomingMessage, pathPrefix: string): Promise<Incoming | undefined> {
  const receivedAt = Date.now();
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  const rawBytes = Buffer.concat(chunks);
  const rawBody = rawBytes.toString('utf8');
  const { body, bodyInvalid } = parseJson(rawBody);
  const url = req.url ?? '/';
  const [rawPath] = url.split('?');
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const inPrefix = pathPrefix === '' || rawPath === pathPrefix || rawPath.startsWith(`${pathPrefix}/`);
  const rawStripped = inPrefix ? rawPath.slice(pathPrefix.length) || '/' : rawPath;
  const record: RecordedRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: decodePath(rawStripped),
    url,
    headers: flattenHeaders(req),
    body,
    rawBody,
    auth: parseAuthorization(req.headers.authorization),
    status: 0,
    receivedAt
  };
  return { record, rawPath, rawStripped, inPrefix, query, rawBytes, bodyInvalid };
}

/** Notes when each recorded request's connection closes. */
export class ConnectionLog {
  private readonly bySocket = new WeakMap<Socket, RecordedRequest[]>();
  private readonly socketOf = new WeakMap<RecordedRequest, Socket>();
  private readonly waiters = new WeakMap<Socket, (() => void)[]>();

  track(socket: Socket, record: RecordedRequest): void {
    let onSocket = this.bySocket.get(socket);
    if (!onSocket) {
      const list: RecordedRequest[] = [];
      this.bySocket.set(socket, (onSocket = list));
      socket.once('close', () => {
        for (const r of list) r.connectionClosedAt = Date.now();
        for (const resolve of this.waiters.get(socket) ?? []) resolve();
      });
    }
    onSocket.push(record);
    this.socketOf.set(record, socket);
  }

  /** When the request's connection closed (waits for it, up to 5 s; Infinity if it stays open). */
  async closedAt(request: RecordedRequest): Promise<number> {
    const socket = this.socketOf.get(request);
    if (request.connectionClosedAt === undefined && socket) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5_000);
        this.waiters.set(socket, [...(this.waiters.get(socket) ?? []), () => (clearTimeout(timer), resolve())]);
      });
    }
    return request.connectionClosedAt ?? Infinity;
  }
}
