/**
 * The fetch Octokit uses when no proxy applies: node:http / node:https, the body read whole.
 * Node's global fetch costs ~25 ms to initialise (it loads its bundled undici, http2, zlib,
 * workers…), more than the rest of a run; the action makes two small JSON requests.
 */
import type { IncomingMessage, RequestOptions } from 'node:http';
import type { Fetch } from './proxy.js';

const MAX_REDIRECTS = 5;
/** What is read of any answer, on every transport (the proxy path too). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

type Init = NonNullable<Parameters<Fetch>[1]>;

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

export const nodeFetch = (async (input: Parameters<Fetch>[0], init: Init = {}) => {
  let url = new URL(String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body as string | undefined;
  const headers = { ...(init.headers as Record<string, string>) };
  for (let hop = 0; ; hop++) {
    const response = await send(url, method, headers, body, init.signal ?? undefined);
    const location = response.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(response.status) || !location || hop >= MAX_REDIRECTS || init.redirect === 'manual') {
      return response as unknown as Response;
    }
    const next = new URL(location, url);
    if (next.origin !== url.origin) delete headers['authorization'];
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    url = next;
  }
}) as unknown as Fetch;

async function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal | undefined): Promise<SmallResponse> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const options: RequestOptions = { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } };
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(new Error(`response body over ${MAX_BODY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => resolve(new SmallResponse(res.statusCode ?? 0, url.href, new SmallHeaders(res.headers), Buffer.concat(chunks))));
      res.on('error', fail);
      res.on('aborted', () => fail(new Error('the connection closed before the response ended')));
    });
    // Shaped like fetch's errors, so Octokit reports the cause ("connect ECONNREFUSED …").
    function fail(cause: unknown): void {
      reject(signal?.aborted ? signal.reason : Object.assign(new TypeError('fetch failed'), { cause }));
    }
    req.on('error', fail);
    if (signal) {
      if (signal.aborted) req.destroy();
      signal.addEventListener('abort', () => req.destroy(), { once: true });
    }
    req.end(body);
  });
}
