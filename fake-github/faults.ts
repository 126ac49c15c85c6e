// Fault injection for the fake GitHub API: fault types, queue matching and helpers for the
// failures clients must survive (rate limits, 5xx, connection resets, hangs, slow answers).
import { STATUS_CODES } from 'node:http';
import { errorBody } from './objects.ts';

/** A header value, or a function of the server clock (ms) computed when the fault fires. */
export type HeaderValue = string | ((serverNowMs: number) => string);

export type FaultAction =
  | { status: number; headers?: Record<string, HeaderValue>; body?: unknown }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  /** a body of `bytes` bytes, chunked, written only as fast as the client reads it */
  | { kind: 'stream'; status: number; bytes: number }
  /** headers and the start of a JSON body, then nothing: a body cut off by the client's timeout */
  | { kind: 'stall'; status: number }
  /** the route answers as usual, then `decorate` may change the answer (hostile bodies, echoed headers) */
  | { kind: 'decorate'; decorate: Decorate };

/** What the request carried, for a decoration that echoes it. */
export interface EchoSource {
  headers: Record<string, string>;
  rawBody: string;
}

/** Turns the route's answer into a hostile one; `body` is the route's body (an object for JSON). */
export type Decorate = (answer: { status: number; headers: Record<string, string>; body: unknown }, request: EchoSource) => {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
};

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

function matchesPath(expected: string | RegExp, candidates: string[]): boolean {
  if (typeof expected === 'string') return candidates.includes(expected);
  return candidates.some((candidate) => {
    expected.lastIndex = 0;
    return expected.test(candidate);
  });
}

/** Takes the first fault matching the request off the queue (decrementing its times). */
export function takeFault(faults: Fault[], method: string, candidates: string[]): Fault | undefined {
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
}

// ---------------------------------------------------------------------------------------------
// Fault helpers: each returns a Fault; pass { match, times } to target it.

const RATE_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SUPPORT = 'If you reach out to GitHub Support for help, please include the request ID 0A1B:2C3D:4E5F60:7A8B9C:6789ABCD.';

export interface StatusFaultOptions extends FaultOptions {
  /** The answer's body: JSON, or text sent as is (default: GitHub's error body for the status). */
  body?: unknown;
  headers?: Record<string, HeaderValue>;
}

/** An answer with `status` instead of the route's. */
export function statusFault(status: number, options: StatusFaultOptions = {}): Fault {
  const { body, headers, ...rest } = options;
  return { ...rest, action: { status, body, headers } };
}

/** Primary rate limit: 403 with x-ratelimit-remaining: 0 and x-ratelimit-reset in resetInSeconds (server clock). */
export function rateLimited(resetInSeconds = 60, options: FaultOptions & { installationId?: number } = {}): Fault {
  const { installationId = 1001, ...rest } = options;
  return statusFault(403, {
    ...rest,
    body: { message: `API rate limit exceeded for installation ID ${installationId}. ${SUPPORT}`, documentation_url: RATE_DOCS, status: '403' },
    headers: {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-resource': 'core',
      'x-ratelimit-reset': (serverNowMs) => String(Math.floor(serverNowMs / 1000) + resetInSeconds)
    }
  });
}

/** GitHub's secondary rate limit answer, with retry-after (seconds): 403 usually, 429 too. */
function secondaryLimit(status: 403 | 429, retryAfterSeconds: number, options: FaultOptions): Fault {
  return statusFault(status, {
    ...options,
    body: {
      message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ${SUPPORT}`,
      documentation_url: `${RATE_DOCS}#about-secondary-rate-limits`,
      status: String(status)
    },
    headers: { 'retry-after': String(retryAfterSeconds) }
  });
}

/** Secondary rate limit as GitHub usually sends it: 403 with retry-after. */
export function secondaryRateLimited(retryAfterSeconds = 60, options: FaultOptions = {}): Fault {
  return secondaryLimit(403, retryAfterSeconds, options);
}

/** 429 Too Many Requests with retry-after (seconds). */
export function tooManyRequests(retryAfterSeconds = 1, options: FaultOptions = {}): Fault {
  return secondaryLimit(429, retryAfterSeconds, options);
}

/** 5xx with GitHub's JSON error body (502/503/504 carry the usual reason phrase). */
export function serverError(status = 500, options: FaultOptions = {}): Fault {
  return statusFault(status, { ...options, body: errorBody(status, status === 500 ? 'Server Error' : (STATUS_CODES[status] ?? 'Error')) });
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

/** A chunked body of `bytes` bytes (a large error page, an endless download). */
export function streamedBody(status: number, bytes: number, options: FaultOptions = {}): Fault {
  return { ...options, action: { kind: 'stream', status, bytes } };
}

/** Headers and half a JSON body, then silence. */
export function stalledBody(status = 200, options: FaultOptions = {}): Fault {
  return { ...options, action: { kind: 'stall', status } };
}

/** The route's own answer, changed by `decorate`. */
export function decorated(decorate: Decorate, options: FaultOptions = {}): Fault {
  return { ...options, action: { kind: 'decorate', decorate } };
}
