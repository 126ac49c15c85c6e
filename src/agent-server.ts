/**
 * The agent: a process main leaves running for the rest of the job. It reads its configuration
 * (with the private key) from a pipe, then answers token requests on a Unix socket (a named pipe
 * on Windows) in its own 0700 directory, only when they carry the secret from the 0600 file there.
 * It exits when post stops it, after `agent-lifetime`, or when its directory disappears.
 */
import { timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { signAppJwt } from './app-jwt.js';
import { ActionError, ApiError } from './errors.js';
import { createGitHub, type Logger } from './github.js';
import { endpoint, FILES, MAX_MESSAGE_BYTES, type AgentAnswer, type AgentReport, type AgentRequest } from './agent-protocol.js';
import { TokenKeeper, type AgentConfig } from './agent-tokens.js';
import { parsePrivateKey } from './private-key.js';
import { redact } from './secrets.js';
import type { RetryPolicy } from './retry.js';

/** The configuration main writes to the agent's stdin. */
export interface AgentStart extends AgentConfig {
  readonly retry: RetryPolicy;
}

const MAX_CONFIG_BYTES = 512 * 1024;
const REQUEST_TIMEOUT_MS = 5000;
const DIR_CHECK_MS = 2000;

const quiet: Logger & { warn(m: string): void; error(m: string): void } = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  warn: () => undefined,
  error: () => undefined
};

export interface ServeOptions {
  /** where main writes the configuration */
  readonly input?: NodeJS.ReadableStream;
  /** ends the process once post's stop is answered, or the agent stopped itself */
  readonly exit?: (code: number) => void;
  /** how long a client may take to send its request */
  readonly requestTimeoutMs?: number;
  /** how often the agent checks that its directory is still there */
  readonly dirCheckMs?: number;
}

export async function serveAgent({ input = process.stdin, exit = process.exit, requestTimeoutMs = REQUEST_TIMEOUT_MS, dirCheckMs = DIR_CHECK_MS }: ServeOptions = {}): Promise<void> {
  const config = JSON.parse(await readBounded(input, MAX_CONFIG_BYTES)) as AgentStart;
  const key = parsePrivateKey(config.settings.privateKey);
  const settings = { ...config.settings, privateKey: '' }; // the KeyObject is all the agent keeps
  // Nothing masks the agent's JWTs and tokens in the log a client writes to: server text that
  // echoes one is redacted here, before any message is cut or handed out.
  const known = [config.token.token];
  const remember = (value: string): string => (known.includes(value) || known.push(value), value);
  const hide = (text: string): string => redact(text, known);
  const github = await createGitHub({
    baseUrl: settings.apiUrl,
    signJwt: async (now) => remember(await signAppJwt(key, settings.issuer, now)),
    retry: config.retry,
    log: quiet,
    octokitLog: quiet,
    env: process.env,
    redact: hide
  });
  // Which repositories, and when each token expires (never the token): post reports them if the agent dies.
  const keeper = new TokenKeeper(github, { ...config, settings }, Date.now, (held) => {
    remember(held.token);
    try {
      appendFileSync(join(config.dir, FILES.minted), `${held.label}\t${held.expiresAt}\n`, { mode: 0o600 });
    } catch {
      // the directory is gone: the agent is about to exit
    }
  });
  const secret = Buffer.from(config.secret);
  let stopping = false;
  const server: Server = createServer((socket) => serve(socket, { secret, keeper, stop, exit, requestTimeoutMs, hide }));
  const stop = async (revoke: boolean): Promise<AgentReport> => {
    stopping = true;
    server.close();
    const done = revoke ? await keeper.revokeAll() : { revoked: 0, expired: 0, failed: [] };
    return {
      minted: [...keeper.mintedBy].map(([repository, count]) => ({ repository, count })),
      refused: [...keeper.refusedBy].map(([reason, count]) => ({ reason, count })),
      ...done,
      failed: done.failed.map(hide)
    };
  };
  // Ending by itself: the secret goes first, so clients say at once that the agent is gone.
  const end = (): void => {
    if (stopping) return;
    rmSync(join(config.dir, FILES.secret), { force: true });
    void stop(true)
      .then((report) => report.failed.length || rmSync(join(config.dir, FILES.minted), { force: true })) // all revoked: post has nothing to report
      .finally(() => exit(0));
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint(config.dir), () => resolve());
  }).catch((error: unknown) => {
    rmSync(join(config.dir, FILES.secret), { force: true }); // no agent: clients say so at once
    throw error;
  });
  // Once it listened, a missing socket or pipe means the agent is gone, not starting (clients stop waiting).
  writeFileSync(join(config.dir, FILES.ready), '', { mode: 0o600 });
  // unref'd: the server is what keeps the agent running; once it is closed, nothing else should
  setTimeout(end, config.lifetimeMs).unref();
  setInterval(() => existsSync(config.dir) || end(), dirCheckMs).unref();
  process.once('SIGTERM', end);
}

/** One request: the secret checked, accepted at once, then answered; bounded in size and time. */
interface Serving {
  readonly secret: Buffer;
  readonly keeper: TokenKeeper;
  readonly stop: (revoke: boolean) => Promise<AgentReport>;
  readonly exit: (code: number) => void;
  readonly requestTimeoutMs: number;
  /** redacts the agent's secrets from a message */
  readonly hide: (text: string) => string;
}

function serve(socket: Socket, { secret, keeper, stop, exit, requestTimeoutMs, hide }: Serving): void {
  let data = '';
  let handled = false;
  socket.setTimeout(requestTimeoutMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    if (handled) return;
    data += chunk;
    if (data.length > MAX_MESSAGE_BYTES) return void socket.destroy();
    const newline = data.indexOf('\n');
    if (newline < 0) return;
    handled = true;
    let request: AgentRequest;
    try {
      request = JSON.parse(data.slice(0, newline)) as AgentRequest;
    } catch {
      return void answer(socket, { ok: false, message: 'The request is not JSON.' });
    }
    if (typeof request?.secret !== 'string' || !sameSecret(request.secret, secret)) {
      keeper.refusedBy.set('no valid secret', (keeper.refusedBy.get('no valid secret') ?? 0) + 1);
      return void answer(socket, { ok: false, message: 'Refused: the request does not carry the agent\'s secret.' });
    }
    socket.setTimeout(0);
    socket.write('{"accepted":true}\n');
    void handle(request, keeper, stop).then(
      (reply) => {
        answer(socket, reply);
        if (request.op === 'stop') socket.once('close', () => exit(0));
      },
      (error: unknown) => answer(socket, { ok: false, message: hide(messageOf(error)) })
    );
  });
}

async function handle(request: AgentRequest, keeper: TokenKeeper, stop: (revoke: boolean) => Promise<AgentReport>): Promise<AgentAnswer> {
  if (request.op === 'token') {
    const held = await keeper.token(request.repository);
    return { ok: true, token: held.token, expiresAt: held.expiresAt };
  }
  if (request.op === 'erase') {
    keeper.erase(String(request.token));
    return { ok: true };
  }
  if (request.op === 'stop') return { ok: true, report: await stop(request.revoke !== false) };
  return { ok: false, message: 'Unknown request.' };
}

function answer(socket: Socket, reply: AgentAnswer): void {
  if (!socket.destroyed) socket.end(`${JSON.stringify(reply)}\n`);
}

function sameSecret(given: string, secret: Buffer): boolean {
  const buffer = Buffer.from(given);
  return buffer.length === secret.length && timingSafeEqual(buffer, secret);
}

function messageOf(error: unknown): string {
  if (error instanceof ActionError || error instanceof ApiError) return error.message;
  return `Unexpected error in the App Token agent: ${error instanceof Error ? error.message : String(error)}`;
}

async function readBounded(input: NodeJS.ReadableStream, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > max) throw new Error('the configuration is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
