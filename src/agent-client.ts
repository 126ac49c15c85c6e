/**
 * The agent's two clients, one short process each: git's credential helper (`credential <dir>
 * get|store|erase`) and the `app-token` command (`token <dir> [--repository owner/name]`). Each
 * hands out a token only after writing `::add-mask::` for it to its own stderr, which the runner
 * reads, and fails within 5 s with one line when the agent is gone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ACCEPT_DEADLINE_MS, ANSWER_DEADLINE_MS, endpoint, FILES, MAX_MESSAGE_BYTES, repositoryOf, START_DEADLINE_MS, type AgentAnswer, type AgentRequest } from './agent-protocol.js';
import { untrusted } from './untrusted.js';

export interface ClientIO {
  readonly stdin: NodeJS.ReadableStream;
  write(stream: 'stdout' | 'stderr', text: string): void;
}

const processIO: ClientIO = {
  stdin: process.stdin,
  write: (stream, text) => void process[stream].write(text)
};

export const AGENT_GONE =
  "the App Token agent is not running (post stopped it, 'agent-lifetime' ran out, or it was killed), so there is no fresh token. Run the App Token step with 'agent: true' again, or raise 'agent-lifetime'.";
export const AGENT_HUNG = `the App Token agent did not answer within ${ACCEPT_DEADLINE_MS / 1000} s. Run the App Token step with 'agent: true' again to start a new one.`;
const USAGE = 'usage: app-token [--repository owner/name]  (prints a fresh token of the App Token step\'s scope, or for that one repository)';

/** Exit code of the command. */
export async function runClient(command: string, dir: string, args: readonly string[], io: ClientIO = processIO): Promise<number> {
  if (command === 'token') return printToken(dir, args, io);
  const action = args[0];
  if (action === 'get') return credentialGet(dir, await readAttributes(io.stdin), io);
  if (action === 'erase') return credentialErase(dir, await readAttributes(io.stdin));
  return 0; // store: the agent keeps its tokens itself
}

async function printToken(dir: string, args: readonly string[], io: ClientIO): Promise<number> {
  let repository: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = arg === '--repository' ? args[++i] : arg.startsWith('--repository=') ? arg.slice('--repository='.length) : undefined;
    if (value === undefined || repository !== undefined) {
      io.write('stderr', `app-token: ${arg === '--help' ? '' : `unexpected argument '${untrusted(arg)}'. `}${USAGE}\n`);
      return 2;
    }
    repository = repositoryOf(value);
    if (!repository || value.split('/').length !== 2) {
      io.write('stderr', `app-token: '${untrusted(value)}' is not a repository; give it as owner/name.\n`);
      return 2;
    }
  }
  const reply = await ask(dir, { op: 'token', ...(repository ? { repository } : {}) });
  if (!reply.ok || !('token' in reply)) {
    io.write('stderr', `app-token: ${untrusted(reply.ok ? 'no token in the answer' : reply.message, 1000)}\n`);
    return 1;
  }
  io.write('stderr', `::add-mask::${reply.token}\n`);
  io.write('stdout', `${reply.token}\n`);
  return 0;
}

async function credentialGet(dir: string, attributes: Attributes, io: ClientIO): Promise<number> {
  const repository = repositoryOf(attributes.get('path') ?? '');
  const reply = await ask(dir, { op: 'token', ...(repository ? { repository } : {}) });
  if (!reply.ok || !('token' in reply)) {
    // No credential: git goes on as it would without one and fails with its own message below this line.
    io.write('stderr', `app-token: ${untrusted(reply.ok ? 'no token in the answer' : reply.message, 1000)}\n`);
    return reply.ok ? 1 : 0;
  }
  io.write('stderr', `::add-mask::${reply.token}\n`);
  io.write('stdout', credentialLines(reply.token, reply.expiresAt, attributes.capabilities.includes('authtype')));
  return 0;
}

async function credentialErase(dir: string, attributes: Attributes): Promise<number> {
  const token = erasedToken(attributes);
  if (token) await ask(dir, { op: 'erase', token });
  return 0;
}

export interface Attributes {
  get(name: string): string | undefined;
  readonly capabilities: readonly string[];
}

/** git's `key=value` lines, up to a blank line or the end; `capability[]` collected. */
export function parseAttributes(text: string): Attributes {
  const values = new Map<string, string>();
  const capabilities: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') break;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (name === 'capability[]') capabilities.push(value);
    else values.set(name, value);
  }
  return { get: (name) => values.get(name), capabilities };
}

/**
 * The answer to `get`: the user name GitHub takes, the token, and when it expires (git 2.41+ then
 * stops using it in time). Where git announced `authtype` (2.46+), the credential pre-encoded and
 * marked ephemeral, so no storing helper keeps it.
 */
export function credentialLines(token: string, expiresAt: string, authtype: boolean): string {
  const lines = ['username=x-access-token', `password=${token}`];
  const expiry = Date.parse(expiresAt);
  if (Number.isFinite(expiry)) lines.push(`password_expiry_utc=${Math.floor(expiry / 1000)}`);
  if (authtype) {
    lines.push('capability[]=authtype', 'authtype=Basic', `credential=${Buffer.from(`x-access-token:${token}`).toString('base64')}`, 'ephemeral=true');
  }
  return `${lines.join('\n')}\n`;
}

/** The token git says was rejected: the password, or the pre-encoded Basic credential. */
export function erasedToken(attributes: Attributes): string | undefined {
  const password = attributes.get('password');
  if (password) return password;
  const credential = attributes.get('credential');
  if (!credential || !/^basic$/i.test(attributes.get('authtype') ?? '')) return undefined;
  const decoded = Buffer.from(credential, 'base64').toString('utf8');
  return decoded.startsWith('x-access-token:') ? decoded.slice('x-access-token:'.length) : undefined;
}

async function readAttributes(stdin: NodeJS.ReadableStream): Promise<Attributes> {
  let text = '';
  for await (const chunk of stdin) {
    text += String(chunk);
    if (text.length > MAX_MESSAGE_BYTES || text.includes('\n\n')) break;
  }
  return parseAttributes(text.slice(0, MAX_MESSAGE_BYTES));
}

type Ask = { op: 'token'; repository?: string } | { op: 'erase'; token: string } | { op: 'stop'; revoke: boolean };

/** While the agent starts (main does not wait for it), how often a client tries again. */
const RETRY_MS = 20;

/** One request to the agent: accepted within ACCEPT_DEADLINE_MS of connecting, or a one-line failure. */
export async function ask(dir: string, request: Ask): Promise<AgentAnswer> {
  let secret: string;
  try {
    secret = readFileSync(join(dir, FILES.secret), 'utf8').trim();
  } catch {
    return { ok: false, message: AGENT_GONE };
  }
  const startBy = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const reply = await exchange(endpoint(dir), { ...request, secret } as AgentRequest, Date.now() + ACCEPT_DEADLINE_MS);
    // The agent may still be starting, unless it had listened (a killed one leaves its socket, or on Windows no pipe).
    if (reply !== 'retry') return reply;
    if (existsSync(join(dir, FILES.ready)) || Date.now() + RETRY_MS >= startBy) return { ok: false, message: AGENT_GONE };
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

function exchange(path: string, request: AgentRequest, deadline: number): Promise<AgentAnswer | 'retry'> {
  return new Promise((resolve) => {
    const socket = connect(path);
    let data = '';
    let accepted = false;
    const finish = (reply: AgentAnswer | 'retry'): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    let timer = setTimeout(() => finish({ ok: false, message: AGENT_HUNG }), Math.max(0, deadline - Date.now()));
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    // no socket yet, or one not yet listening (between the agent's bind and listen): ask() decides whether to wait
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? 'retry' : { ok: false, message: AGENT_GONE }));
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (data.length > MAX_MESSAGE_BYTES) return finish({ ok: false, message: 'the App Token agent sent an answer too long to be one.' });
      for (let newline = data.indexOf('\n'); newline >= 0; newline = data.indexOf('\n')) {
        const line = data.slice(0, newline);
        data = data.slice(newline + 1);
        const message = parse(line);
        if (!accepted && message && 'accepted' in message) {
          accepted = true;
          clearTimeout(timer);
          timer = setTimeout(() => finish({ ok: false, message: AGENT_HUNG }), ANSWER_DEADLINE_MS);
        } else if (message && 'ok' in message) return finish(message);
        else return finish({ ok: false, message: 'the App Token agent sent an answer that is not one.' });
      }
    });
    socket.on('end', () => finish({ ok: false, message: AGENT_GONE }));
  });
}

function parse(line: string): (AgentAnswer | { accepted: true }) | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' ? (value as AgentAnswer) : undefined;
  } catch {
    return undefined;
  }
}

