/**
 * The fetch Octokit uses when no proxy applies: node:http / node:https, the body read whole.
 * Node's global fetch costs ~25 ms to initialise (it loads its bundled undici, http2, zlib,
 * workers…), more than the rest of a run; the action makes two small JSON requests.
 */
import type { RequestOptions } from 'node:http';
import { MAX_BODY_BYTES, SmallHeaders, SmallResponse, tooLarge, type Fetch } from './response.js';

const MAX_REDIRECTS = 5;

type Init = NonNullable<Parameters<Fetch>[1]>;

export const nodeFetch = (async (input: Parameters<Fetch>[0], init: Init = {}) => {
  let url = new URL(String(input));
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body as string | undefined;
  const headers = { ...(init.headers as Record<string, string>) };
  for (let hop = 0; ; hop++) {
    const response = await send({ url, method, headers, body, signal: init.signal ?? undefined });
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

interface OneRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly signal: AbortSignal | undefined;
}

/** One hop: no redirect followed here. */
async function send({ url, method, headers, body, signal }: OneRequest): Promise<SmallResponse> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const options: RequestOptions = { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } };
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) req.destroy(tooLarge());
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
