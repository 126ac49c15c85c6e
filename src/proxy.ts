/**
 * The runner's proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, either case), decided for the
 * URL the action really calls. The proxy stack (undici's ProxyAgent) is loaded only when a proxy
 * applies, so the common case pays nothing for it.
 */
import type { Env } from './env.js';
import { isLoopback } from './loopback.js';
import { MAX_BODY_BYTES, SmallHeaders, SmallResponse, tooLarge, type Fetch } from './response.js';

/**
 * The proxy URL to use for `target`, or undefined to connect directly. Loopback never goes through
 * a proxy, as in the toolkit's @actions/http-client: a proxy would see the JWT and the token of a
 * plain-http local server, and resolve `localhost` on its own machine.
 */
export function proxyFor(target: URL, env: Env): string | undefined {
  const variable = proxyVariable(target, env);
  return variable ? env[variable] : undefined;
}

/** The variable whose proxy applies to `target` (the lower-case one wins), for messages; undefined when none does. */
export function proxyVariable(target: URL, env: Env): string | undefined {
  if (isLoopback(target.hostname)) return undefined;
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((name) => env[name]);
  if (!variable) return undefined;
  return bypassesProxy(target, env['no_proxy'] || env['NO_PROXY'] || '') ? undefined : variable;
}

/** NO_PROXY entries: `*`, host names (matching subdomains too, with or without a leading dot), IPs, optional `:port`. */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const [hostPart, entryPort] = splitHostPort(entry);
    const name = hostPart.replace(/^\*?\./, '');
    if (entryPort && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

function splitHostPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1] ?? '', bracketed[2]];
  if ((entry.match(/:/g) ?? []).length > 1) return [entry, undefined]; // a bare IPv6 address
  const colon = entry.lastIndexOf(':');
  return colon < 0 ? [entry, undefined] : [entry.slice(0, colon), entry.slice(colon + 1)];
}

/**
 * A fetch that goes through `proxyUrl`. The body is read here, under the same cap as the direct
 * path: a body cut off (by the timeout, a reset, the cap) is a network failure, retried like the
 * others, not an empty answer.
 */
export async function proxiedFetch(proxyUrl: string): Promise<Fetch> {
  const undici = await import('undici');
  const dispatcher = new undici.ProxyAgent(proxyUrl);
  const proxied = async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const response = await undici.fetch(input as never, { ...(init as object), dispatcher } as never);
    const signal = init?.signal ?? undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += (chunk as Uint8Array).length;
        if (size > MAX_BODY_BYTES) throw tooLarge();
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    } catch (cause) {
      await response.body?.cancel().catch(() => undefined);
      throw signal?.aborted ? signal.reason : Object.assign(new TypeError('fetch failed'), { cause });
    }
    return new SmallResponse(response.status, response.url, new SmallHeaders(Object.fromEntries(response.headers)), Buffer.concat(chunks));
  };
  return proxied as unknown as Fetch;
}
