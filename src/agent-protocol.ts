/**
 * What the agent, its clients (the git helper, `app-token`) and the steps share: where the agent
 * listens, where its secret is, and the messages. One request per connection: a JSON line from the
 * client; the agent answers `{"accepted":true}` at once, then the answer line.
 */
import { basename, join } from 'node:path';

/** The agent's 0700 directory holds these. */
export const FILES = { secret: 'secret', socket: 'agent.sock', include: 'gitconfig', bin: 'bin', minted: 'minted' } as const;

/** Requests and answers are small; anything longer is cut off. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** A client gives up when the agent has not accepted its request within this long. */
export const ACCEPT_DEADLINE_MS = 4500;
/** …and when the answer (a token minted with retries) takes longer than this. */
export const ANSWER_DEADLINE_MS = 120_000;

/** A Unix socket in the directory; on Windows a named pipe named after it (the directory name is random). */
export function endpoint(dir: string, platform: string = process.platform): string {
  return platform === 'win32' ? `\\\\.\\pipe\\${basename(dir)}` : join(dir, FILES.socket);
}

export type AgentRequest =
  | { readonly secret: string; readonly op: 'token'; readonly repository?: string }
  | { readonly secret: string; readonly op: 'erase'; readonly token: string }
  | { readonly secret: string; readonly op: 'stop'; readonly revoke: boolean };

export type AgentAnswer =
  | { readonly ok: true; readonly token: string; readonly expiresAt: string }
  | { readonly ok: true; readonly report: AgentReport }
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string };

/** What the agent did, for post's summary line. */
export interface AgentReport {
  readonly minted: readonly { readonly repository: string; readonly count: number }[];
  readonly refused: readonly { readonly reason: string; readonly count: number }[];
  readonly revoked: number;
  readonly expired: number;
  readonly failed: readonly string[];
}

/** `owner/name` from a git path (`owner/name.git`, maybe more after it) or an argument; undefined when it is not one. */
export function repositoryOf(path: string): string | undefined {
  const [owner, name] = path.replace(/^\/+/, '').split('/');
  const repo = (name ?? '').replace(/\.git$/, '');
  if (!owner || !repo || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(owner) || !/^[A-Za-z0-9._-]{1,100}$/.test(repo) || repo === '.' || repo === '..') return undefined;
  return `${owner}/${repo}`;
}
