/**
 * What both transports (node:http here, undici through a proxy) hand Octokit: a response read
 * whole under one size cap, shaped like the part of fetch's Response that @octokit/request reads.
 */
import type { IncomingMessage } from 'node:http';

export type Fetch = typeof globalThis.fetch;

/** What is read of any answer, on every transport (the proxy path too). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** The code of the error for a longer answer: GitHub sends no such answer to these requests, so it is not retried. */
export const TOO_LARGE = 'ERESPONSETOOLARGE';

export function tooLarge(): Error {
  return Object.assign(new Error(`an answer over ${MAX_BODY_BYTES / 1024 / 1024} MiB`), { code: TOO_LARGE });
}

/** Just what @octokit/request reads of a fetch Response. */
export class SmallResponse {
  readonly body = null;
  constructor(
    readonly status: number,
    readonly url: string,
    readonly headers: SmallHeaders,
    private readonly data: Buffer
  ) {}
  async text(): Promise<string> {
    return this.data.toString('utf8');
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.data.toString('utf8'));
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.data).buffer;
  }
}

export class SmallHeaders {
  private readonly map = new Map<string, string>();
  constructor(raw: IncomingMessage['headers']) {
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) this.map.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}
