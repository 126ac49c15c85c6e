// A fake GitHub REST API on 127.0.0.1 for end-to-end tests, demos and benchmarks.
// Routes and JWT checks live in fake-github-routes.ts / fake-github-auth.ts; this file owns the
// HTTP server, request recording, the server clock and fault injection.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { parseAuthorization, type RequestAuth } from './fake-github-auth.ts';
import {
  errorBody,
  route,
  type FakeState,
  type IssuedToken,
  type PermissionLevel,
  type ResolvedInstallation,
  type RouteResult
} from './fake-github-routes.ts';

export type { JwtClaims, RequestAuth } from './fake-github-auth.ts';
export { appJwt, JWT_MESSAGES, parseAuthorization, signJwt } from './fake-github-auth.ts';
export type { IssuedToken, PermissionLevel, ResolvedApp, ResolvedInstallation } from './fake-github-routes.ts';

export interface FakeAppOptions {
  id?: number;
  clientId?: string;
  slug?: string;
  name?: string;
  /** PEM (or KeyObject) of the app key's public half. */
  publicKey?: string | KeyObject;
  /** Alternatively the private key; the public half is derived from it. */
  privateKey?: string | KeyObject;
  permissions?: Record<string, PermissionLevel>;
  botUserId?: number;
}

export interface FakeInstallationOptions {
  id: number;
  account: string;
  accountType: 'Organization' | 'User';
  /** Repository names the installation can see. */
  repositories: string[];
  repositorySelection?: 'all' | 'selected';
  accountId?: number;
  /** A suspended installation answers 403 when a token is requested. */
  suspended?: boolean;
}

export interface FakeGitHubOptions {
  /** The app; publicKey or privateKey is required. */
  app: FakeAppOptions;
  installations?: FakeInstallationOptions[];
  /** e.g. '/api/v3' for GitHub Enterprise Server. */
  pathPrefix?: string;
  /** Server clock = Date.now() + clockOffsetMs (negative: the runner's clock is ahead). */
  clockOffsetMs?: number;
  tokenStyle?: 'classic' | 'stateless';
  tokenLifetimeMs?: number;
}

/** A header value, or a function of the server clock (ms) computed when the fault fires. */
export type HeaderValue = string | ((serverNowMs: number) => string);

export type FaultAction =
  | { status: number; headers?: Record<string, HeaderValue>; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number };

export interface FaultMatch {
  /** Case-insensitive HTTP method. */
  method?: string;
  /** Exact path (without prefix and query; decoded or raw) or a RegExp tested against it. */
  path?: string | RegExp;
}

export interface Fault {
  match?: FaultMatch;
  /** How many matching requests it applies to (default 1; Infinity for all). */
  times?: number;
  action: FaultAction;
}

export type FaultOptions = Omit<Fault, 'action'>;

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
  fault?: 'status' | 'reset' | 'hang' | 'delay';
  /** Real-clock (Date.now()) arrival time, for measuring client back-off. */
  receivedAt: number;
}

export interface FakeGitHub {
  /** 'http://127.0.0.1:PORT' + pathPrefix. */
  url: string;
  /** 'http://127.0.0.1:PORT'. */
  origin: string;
  port: number;
  pathPrefix: string;
  app: { id: number; clientId: string; slug: string; botUserId: number; permissions: Record<string, PermissionLevel> };
  installations: ResolvedInstallation[];
  requests: RecordedRequest[];
  tokens: Map<string, IssuedToken>;
  faults: Fault[];
  /** Current server clock in ms. */
  now(): number;
  setClockOffset(ms: number): void;
  /** Clears recorded requests and queued faults (tokens are kept). */
  reset(): void;
  /** Stops the server and destroys every open (including hung) socket. */
  close(): Promise<void>;
}

export const DEFAULT_APP_PERMISSIONS: Record<string, PermissionLevel> = {
  actions: 'read',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write'
};

export const DEFAULT_INSTALLATIONS: FakeInstallationOptions[] = [
  { id: 1001, account: 'octo-org', accountType: 'Organization', repositories: ['app-token', 'api', 'web'] },
  { id: 1002, account: 'octo-user', accountType: 'User', repositories: ['dotfiles'] }
];

function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function matchesPath(expected: string | RegExp, candidates: string[]): boolean {
  if (typeof expected === 'string') return candidates.includes(expected);
  return candidates.some((candidate) => {
    expected.lastIndex = 0;
    return expected.test(candidate);
  });
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const appOptions = options.app;
  const keySource = appOptions?.publicKey ?? appOptions?.privateKey;
  if (!keySource) throw new Error('startFakeGitHub: app.publicKey or app.privateKey is required');
  const pathPrefix = normalizePrefix(options.pathPrefix);
  let clockOffsetMs = options.clockOffsetMs ?? 0;
  const now = (): number => Date.now() + clockOffsetMs;

  const state: FakeState = {
    app: {
      id: appOptions.id ?? 123456,
      clientId: appOptions.clientId ?? 'Iv23liFakeClient01',
      slug: appOptions.slug ?? 'my-app',
      name: appOptions.name ?? 'My App',
      permissions: { ...(appOptions.permissions ?? DEFAULT_APP_PERMISSIONS) },
      botUserId: appOptions.botUserId ?? 987654321,
      publicKey: createPublicKey(keySource)
    },
    installations: (options.installations ?? DEFAULT_INSTALLATIONS).map((inst) => ({
      id: inst.id,
      account: inst.account,
      accountType: inst.accountType,
      accountId: inst.accountId ?? 5_000_000 + inst.id,
      repositories: [...inst.repositories],
      repositorySelection: inst.repositorySelection ?? 'all',
      suspended: inst.suspended ?? false
    })),
    tokens: new Map(),
    tokenStyle: options.tokenStyle ?? 'classic',
    tokenLifetimeMs: options.tokenLifetimeMs ?? 3_600_000
  };

  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';
  let closed = false;

  const takeFault = (method: string, candidates: string[]): Fault | undefined => {
    const index = faults.findIndex((fault) => {
      const match = fault.match ?? {};
      if (match.method && match.method.toUpperCase() !== method) return false;
      return match.path === undefined || matchesPath(match.path, candidates);
    });
    if (index < 0) return undefined;
    const fault = faults[index];
    const remaining = (fault.times ?? 1) - 1;
    if (remaining <= 0) faults.splice(index, 1);
    else fault.times = remaining;
    return fault;
  };

  const send = (res: ServerResponse, record: RecordedRequest, result: RouteResult): void => {
    const serverNow = now();
    const headers: Record<string, string> = {
      date: new Date(serverNow).toUTCString(),
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(serverNow / 1000) + 3600),
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
      ...result.headers
    };
    let payload = '';
    if (result.body !== undefined && result.status !== 204 && result.status !== 304) {
      if (typeof result.body === 'string') {
        payload = result.body;
        headers['content-type'] ??= 'text/plain; charset=utf-8';
      } else {
        payload = JSON.stringify(result.body);
        headers['content-type'] ??= 'application/json; charset=utf-8';
      }
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
    record.status = result.status;
    res.writeHead(result.status, headers);
    res.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // client went away mid-body
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let bodyInvalid = false;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        bodyInvalid = true;
      }
    }
    const url = req.url ?? '/';
    const rawPath = url.split('?')[0];
    const inPrefix = pathPrefix === '' || rawPath === pathPrefix || rawPath.startsWith(`${pathPrefix}/`);
    const rawStripped = inPrefix ? rawPath.slice(pathPrefix.length) || '/' : rawPath;
    let path = rawStripped;
    try {
      path = decodeURIComponent(rawStripped);
    } catch {
      // keep the raw path when it is not valid percent-encoding
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const auth = parseAuthorization(req.headers.authorization);
    const record: RecordedRequest = {
      method,
      path,
      url,
      headers: flattenHeaders(req),
      body,
      rawBody,
      auth,
      status: 0,
      receivedAt
    };
    requests.push(record);

    const fault = takeFault(method, [path, rawStripped]);
    if (fault) {
      const action = fault.action;
      if ('status' in action) {
        record.fault = 'status';
        const serverNow = now();
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(action.headers ?? {})) {
          headers[name.toLowerCase()] = typeof value === 'function' ? value(serverNow) : value;
        }
        const fallback = errorBody(action.status, STATUS_CODES[action.status] ?? 'Error');
        send(res, record, { status: action.status, headers, body: action.body ?? fallback });
        return;
      }
      record.fault = action.kind;
      if (action.kind === 'reset') {
        const socket = req.socket;
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      if (action.kind === 'hang') return; // never answer; close() destroys the socket
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, action.ms);
        timers.add(timer);
      });
      if (closed) return;
    }

    if (!inPrefix) {
      send(res, record, { status: 404, body: errorBody(404, 'Not Found') });
      return;
    }
    const result = route(state, { method, path, body, bodyInvalid, auth, nowMs: now(), apiUrl: origin + pathPrefix });
    send(res, record, result);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(errorBody(500, `fake-github internal error: ${String(error)}`)));
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin + pathPrefix,
    origin,
    port,
    pathPrefix,
    app: {
      id: state.app.id,
      clientId: state.app.clientId,
      slug: state.app.slug,
      botUserId: state.app.botUserId,
      permissions: state.app.permissions
    },
    installations: state.installations,
    requests,
    tokens: state.tokens,
    faults,
    now,
    setClockOffset(ms: number) {
      clockOffsetMs = ms;
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Fault helpers: each returns a Fault; pass { match, times } to target it.

const RATE_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SUPPORT = 'If you reach out to GitHub Support for help, please include the request ID 0A1B:2C3D:4E5F60:7A8B9C:6789ABCD.';

export function statusFault(status: number, body?: unknown, headers?: Record<string, HeaderValue>, options: FaultOptions = {}): Fault {
  return { ...options, action: { status, body, headers } };
}

/** Primary rate limit: 403 with x-ratelimit-remaining: 0 and x-ratelimit-reset in resetInSeconds (server clock). */
export function rateLimited(resetInSeconds = 60, options: FaultOptions & { installationId?: number } = {}): Fault {
  const { installationId = 1001, ...rest } = options;
  return statusFault(
    403,
    { message: `API rate limit exceeded for installation ID ${installationId}. ${SUPPORT}`, documentation_url: RATE_DOCS, status: '403' },
    {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-resource': 'core',
      'x-ratelimit-reset': (serverNowMs) => String(Math.floor(serverNowMs / 1000) + resetInSeconds)
    },
    rest
  );
}

/** Secondary rate limit as GitHub usually sends it: 403 with retry-after. */
export function secondaryRateLimited(retryAfterSeconds = 60, options: FaultOptions = {}): Fault {
  return statusFault(
    403,
    {
      message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ${SUPPORT}`,
      documentation_url: `${RATE_DOCS}#about-secondary-rate-limits`,
      status: '403'
    },
    { 'retry-after': String(retryAfterSeconds) },
    options
  );
}

/** 429 Too Many Requests with retry-after (seconds). */
export function tooManyRequests(retryAfterSeconds = 1, options: FaultOptions = {}): Fault {
  return statusFault(
    429,
    {
      message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ${SUPPORT}`,
      documentation_url: `${RATE_DOCS}#about-secondary-rate-limits`,
      status: '429'
    },
    { 'retry-after': String(retryAfterSeconds) },
    options
  );
}

/** 5xx with GitHub's JSON error body (502/503/504 carry the usual reason phrase). */
export function serverError(status = 500, options: FaultOptions = {}): Fault {
  return statusFault(status, errorBody(status, status === 500 ? 'Server Error' : (STATUS_CODES[status] ?? 'Error')), undefined, options);
}

export function connectionReset(options: FaultOptions = {}): Fault {
  return { ...options, action: { kind: 'reset' } };
}

export function hang(options: FaultOptions = {}): Fault {
  return { ...options, action: { kind: 'hang' } };
}

export function delay(ms: number, options: FaultOptions = {}): Fault {
  return { ...options, action: { kind: 'delay', ms } };
}
