// The fake GitHub: a REST API and git over HTTP on 127.0.0.1 for tests, the demo, the bench and
// `npm run local` (README.md). This file owns the HTTP server, its clock and its lifetime; each
// request is recorded (record.ts), may meet a fault (apply-fault.ts), is routed (dispatch.ts) and
// answered in one place (answer.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { send } from './answer.ts';
import { applyFault, decorateResult } from './apply-fault.ts';
import { dispatch } from './dispatch.ts';
import { takeFault, type Fault } from './faults.ts';
import { errorBody, liveTokenRecord, type IssuedToken, type PermissionLevel, type ResolvedInstallation } from './objects.ts';
import { normalizePrefix, resolveState, type FakeGitHubOptions } from './options.ts';
import { ConnectionLog, readRequest, type RecordedRequest } from './record.ts';
import { ReplicationLag, type TokenLag } from './tokens.ts';
import { listenOnLoopback } from './listen.ts';

export type { JwtClaims, RequestAuth } from './auth.ts';
export { appJwt, JWT_MESSAGES, parseAuthorization, signJwt } from './auth.ts';
export type { Fault, FaultAction, FaultMatch, FaultOptions, HeaderValue, StatusFaultOptions } from './faults.ts';
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
} from './faults.ts';
export type { Decorate, EchoSource } from './faults.ts';
export type { IssuedToken, PermissionLevel, ResolvedApp, ResolvedInstallation } from './objects.ts';
export type { FakeAppOptions, FakeGitHubOptions, FakeInstallationOptions } from './options.ts';
export { DEFAULT_APP_PERMISSIONS, DEFAULT_INSTALLATIONS } from './options.ts';
export type { RecordedRequest } from './record.ts';
export type { TokenLag } from './tokens.ts';
export { appAuthorizations } from './tokens.ts';
export { API_VERSION } from './dispatch.ts';

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

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const state = resolveState(options);
  const pathPrefix = normalizePrefix(options.pathPrefix);
  let clockOffsetMs = options.clockOffsetMs ?? 0;
  const now = (): number => Date.now() + clockOffsetMs;
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const lag = new ReplicationLag();
  const connections = new ConnectionLog();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';
  let closed = false;

  /** A delay fault's wait, cut short by close(). */
  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const incoming = await readRequest(req, pathPrefix);
    if (!incoming) return; // client went away mid-body
    const { record } = incoming;
    record.carried = record.auth.kind === 'token' ? record.auth.token : undefined;
    record.live = liveTokenRecord(state, record.carried, now()) !== undefined;
    requests.push(record);
    connections.track(req.socket, record);
    const fault = takeFault(faults, record.method, [record.path, incoming.rawStripped]);
    const outcome = fault ? await applyFault(fault, { res, socket: req.socket, record, now, wait }) : { kind: 'route' as const };
    if (outcome.kind === 'done' || closed) return;
    if (outcome.kind === 'answer') return send(res, record, outcome.result, now());
    const routing = { state, git: options.git, lag, requireApiVersion: options.requireApiVersion ?? false, apiUrl: origin + pathPrefix, nowMs: now() };
    const result = await dispatch(routing, incoming);
    send(res, record, outcome.decorate ? decorateResult(outcome.decorate, result, record) : result, now());
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
  const port = await listenOnLoopback(server);
  origin = `http://127.0.0.1:${port}`;
  const { id, clientId, slug, botUserId, permissions } = state.app;

  return {
    url: origin + pathPrefix,
    origin,
    port,
    pathPrefix,
    app: { id, clientId, slug, botUserId, permissions },
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
    closedAt: (request) => connections.closedAt(request),
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
