// A fake GitHub REST API on 127.0.0.1 for end-to-end tests, demos and benchmarks.
// Routes, JWT checks, body builders and faults live in fake-github-{routes,auth,objects,faults}.ts,
// the token-checked resource routes in fake-github-resources.ts, git over HTTP in fake-git.ts, enterprise
// installations in fake-github-enterprise.ts and the replication-lag fault in fake-github-tokens.ts;
// this file owns the HTTP server, request recording, the server clock and applying faults.
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { parseAuthorization, type RequestAuth } from './fake-github-auth.ts';
import { takeFault, type Decorate, type Fault } from './fake-github-faults.ts';
import { errorBody, liveTokenRecord, type FakeState, type IssuedToken, type PermissionLevel, type ResolvedInstallation } from './fake-github-objects.ts';
import { route, type RouteResult } from './fake-github-routes.ts';
import { ReplicationLag, type TokenLag } from './fake-github-tokens.ts';
import { basicToken, isGitPath, readRepoFile, serveGit, type GitRepos } from './fake-git.ts';
import { resourceRoute } from './fake-github-resources.ts';

export type { JwtClaims, RequestAuth } from './fake-github-auth.ts';
export { appJwt, JWT_MESSAGES, parseAuthorization, signJwt } from './fake-github-auth.ts';
export type { Fault, FaultAction, FaultMatch, FaultOptions, HeaderValue } from './fake-github-faults.ts';
export {
  connectionReset,
  decorated,
  delay,
  hang,
  rateLimited,
  secondaryRateLimited,
  serverError,
  stalledBody,
  statusFault,
  streamedBody,
  tooManyRequests
} from './fake-github-faults.ts';
export type { Decorate, EchoSource } from './fake-github-faults.ts';
export type { IssuedToken, PermissionLevel, ResolvedApp, ResolvedInstallation } from './fake-github-objects.ts';
export type { TokenLag } from './fake-github-tokens.ts';
export { appAuthorizations } from './fake-github-tokens.ts';

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
  /** 'Enterprise': `account` is the enterprise's slug (see fake-github-enterprise.ts). */
  accountType: 'Organization' | 'User' | 'Enterprise';
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
  /** Serve git over HTTP (and repository contents) from these bare repositories (fake-git.ts). */
  git?: GitRepos;
  /**
   * Answer 400 to a request without `X-GitHub-Api-Version: 2022-11-28` (GitHub itself falls back
   * to its default version; the action must not rely on that). Off for raw-request tests.
   */
  requireApiVersion?: boolean;
}

export const API_VERSION = '2022-11-28';

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
  /** The installation token the request carried (`token …`, `Bearer …` or git's Basic), if any: GitHub's or not. */
  carried?: string;
  /** Whether `carried` was a live installation token (issued, not revoked, not expired) on arrival. */
  live: boolean;
  /** Real-clock (Date.now()) arrival time, for measuring client back-off. */
  receivedAt: number;
  /**
   * Real-clock time the request's connection closed. The action's keep-alive connections stay
   * open until its process exits, so this bounds how long the step went on after the request.
   */
  connectionClosedAt?: number;
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
  /** Answers the first `uses` requests made with each token issued so far or later with `status` (GitHub replicating it); undefined turns it off. */
  setTokenLag(lag: TokenLag | undefined): void;
  /** When the request's connection closed (waits for it, up to 5 s; Infinity if it stays open). */
  closedAt(request: RecordedRequest): Promise<number>;
  /** Clears recorded requests, queued faults and the token lag (tokens are kept). */
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

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const appOptions = options.app;
  const keySource = appOptions?.publicKey ?? appOptions?.privateKey;
  if (!keySource) throw new Error('startFakeGitHub: app.publicKey or app.privateKey is required');
  const pathPrefix = normalizePrefix(options.pathPrefix);
  const requireApiVersion = options.requireApiVersion ?? false;
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
  const lag = new ReplicationLag();
  const sockets = new Set<Socket>();
  const bySocket = new WeakMap<Socket, RecordedRequest[]>();
  const socketOf = new WeakMap<RecordedRequest, Socket>();
  const closeWaiters = new WeakMap<Socket, (() => void)[]>();
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';
  let closed = false;

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
    const rawBytes = Buffer.concat(chunks);
    const rawBody = rawBytes.toString('utf8');
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
    const carried = auth.kind === 'token' ? auth.token : basicToken(req.headers.authorization);
    const record: RecordedRequest = {
      carried,
      live: liveTokenRecord(state, carried, now()) !== undefined,
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
    let onSocket = bySocket.get(req.socket);
    if (!onSocket) {
      const list: RecordedRequest[] = [];
      bySocket.set(req.socket, (onSocket = list));
      req.socket.once('close', () => {
        for (const r of list) r.connectionClosedAt = Date.now();
        for (const resolve of closeWaiters.get(req.socket) ?? []) resolve();
      });
    }
    onSocket.push(record);
    socketOf.set(record, req.socket);

    let decoration: { decorate: Decorate } | undefined;
    const fault = takeFault(faults, method, [path, rawStripped]);
    if (fault) {
      const action = fault.action;
      if (!('kind' in action)) {
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
      if (action.kind === 'stream') {
        await streamBody(res, record, action.status, action.bytes);
        return;
      }
      if (action.kind === 'stall') {
        record.status = action.status;
        res.writeHead(action.status, { 'content-type': 'application/json; charset=utf-8', date: new Date(now()).toUTCString() });
        res.write('{"id": 1001, "account": {"login": "octo');
        return; // never ends; close() destroys the socket
      }
      if (action.kind === 'reset') {
        const socket = req.socket;
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      if (action.kind === 'hang') return; // never answer; close() destroys the socket
      if (action.kind === 'decorate') decoration = action;
      else await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, action.ms);
        timers.add(timer);
      });
      if (closed) return;
    }

    const git = options.git;
    if (git && isGitPath(rawPath)) {
      const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
      record.status = await serveGit(state, git, { method, rawPath, query, headers: record.headers, body: rawBytes, nowMs: now() }, res);
      return;
    }
    if (!inPrefix) {
      send(res, record, { status: 404, body: errorBody(404, 'Not Found') });
      return;
    }
    const lagged = lag.answer(state, auth);
    if (lagged) {
      record.fault = 'lag';
      send(res, record, lagged);
      return;
    }
    const routeRequest = { method, path, body, bodyInvalid, auth, nowMs: now(), apiUrl: origin + pathPrefix };
    const readFile = git && ((owner: string, repo: string, file: string) => readRepoFile(git, owner, repo, file));
    const resource = resourceRoute(state, routeRequest, readFile || undefined);
    // The action's own requests must name the API version; git and the token's other users need not.
    if (!resource && requireApiVersion && record.headers['x-github-api-version'] !== API_VERSION) {
      send(res, record, { status: 400, body: errorBody(400, `fake-github: X-GitHub-Api-Version must be ${API_VERSION}, got ${JSON.stringify(record.headers['x-github-api-version'] ?? null)}`) });
      return;
    }
    const result = resource ?? route(state, routeRequest);
    if (decoration) {
      const changed = decoration.decorate({ status: result.status, headers: { ...result.headers }, body: result.body }, { headers: record.headers, rawBody });
      send(res, record, { status: changed.status ?? result.status, headers: { ...result.headers, ...changed.headers }, body: 'body' in changed ? changed.body : result.body });
      return;
    }
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
    setTokenLag(value) {
      lag.set(value);
    },
    async closedAt(request) {
      const socket = socketOf.get(request);
      if (request.connectionClosedAt === undefined && socket) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 5_000);
          closeWaiters.set(socket, [...(closeWaiters.get(socket) ?? []), () => (clearTimeout(timer), resolve())]);
        });
      }
      return request.connectionClosedAt ?? Infinity;
    },
    reset() {
      requests.length = 0;
      faults.length = 0;
      lag.set(undefined);
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
