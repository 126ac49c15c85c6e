/** When to try a request again, and how long to wait first. Pure: the client does the waiting. */
import { TOO_LARGE } from './response.js';

export interface RetryPolicy {
  /** attempts in all, the first included */
  readonly attempts: number;
  /** first backoff delay; doubles each attempt, with jitter */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** a rate limit that resets later than this fails at once instead of waiting */
  readonly maxRateLimitWaitMs: number;
  /** the wait for a rate limit whose headers say nothing usable about when it resets */
  readonly unknownRateLimitWaitMs: number;
  /** each request is abandoned after this long */
  readonly timeoutMs: number;
  /** requests made with a token minted in this run, while GitHub may still be replicating it */
  readonly freshToken: LagRule;
  /** the `verify-token` request */
  readonly verifyToken: LagRule;
}

/**
 * GitHub replicates a new token for a few seconds: its first uses can answer 401 ("Bad
 * credentials") or 404. Those answers are waited out, with backoff, this long after the mint.
 */
export interface LagRule {
  readonly statuses: readonly number[];
  /** the wait before each new try (jitter takes up to half off); their number bounds the tries */
  readonly delaysMs: readonly number[];
  /** no new try starts later than this after the mint */
  readonly windowMs: number;
}

/** At most 4 attempts and about 7 s of backoff: well under a minute even when every try times out. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 4000,
  maxRateLimitWaitMs: 60_000,
  unknownRateLimitWaitMs: 60_000,
  timeoutMs: 10_000,
  // ≈ 7.5 s of waits: the last try ends about 10 s after the mint
  freshToken: { statuses: [401, 404], delaysMs: [500, 1000, 2000, 4000], windowMs: 10_000 },
  // ≈ 27.5 s of waits: about 30 s in all
  verifyToken: { statuses: [401, 403, 404], delaysMs: [500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000], windowMs: 30_000 }
};

/** What a failed request looked like. */
export interface Failure {
  /** undefined when no answer came */
  readonly status: number | undefined;
  readonly message: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** the request was authenticated with the app's JWT */
  readonly asApp: boolean;
  /** the network error's code (ECONNRESET, ENOTFOUND, CERT_HAS_EXPIRED…), when no answer came */
  readonly code?: string;
  /** the answer was not GitHub's JSON (an HTML page, an empty body): something else answered */
  readonly foreign?: boolean;
}

/** Network errors that another try cannot fix: the name does not resolve, TLS cannot be trusted, or the answer is far larger than GitHub's. */
export function isPermanentNetworkError(failure: Failure): boolean {
  const code = failure.code ?? '';
  return failure.status === undefined && (code === 'ENOTFOUND' || code === TOO_LARGE || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code));
}

export type Decision =
  | { readonly kind: 'fail'; readonly reason?: string; readonly serverTimeMs?: number }
  | { readonly kind: 'resign'; readonly serverTimeMs: number }
  | { readonly kind: 'wait'; readonly ms: number; readonly reason: string }
  /** the token is not replicated yet: wait, and do not count the try as a failed attempt */
  | { readonly kind: 'lag'; readonly ms: number; readonly reason: string };

/**
 * How far a server's Date header may move the JWT's clock. Runner clocks drift by minutes; a
 * larger correction would have the action sign JWTs for another time (years ahead, say), which
 * whoever answered could keep and use until the app's key is rotated.
 */
export const MAX_CLOCK_CORRECTION_MS = 15 * 60_000;

const CLOCK_MESSAGE = /'Issued at' claim \('iat'\)|'Expiration time' claim \('exp'\)/;

/** GitHub rejected the JWT because the runner's clock disagrees with its own. */
export function isClockSkew(failure: Failure): boolean {
  return failure.asApp && failure.status === 401 && CLOCK_MESSAGE.test(failure.message);
}

export function isRateLimit(failure: Failure): boolean {
  const h = failure.headers;
  if (failure.status === 429) return true;
  return failure.status === 403 && (h['retry-after'] !== undefined || h['x-ratelimit-remaining'] === '0');
}

export interface Attempt {
  /** 1 for the first try */
  readonly attempt: number;
  /** clock corrections already made in this run */
  readonly clockFixes: number;
  /** the runner's clock, ms */
  readonly now: number;
  /** 0 ≤ random < 1, for jitter */
  readonly random: number;
  /** waits already made for replication lag (see LagRule) */
  readonly lagWaits?: number;
  /** the JWT was signed elsewhere (`app-jwt`): a clock rejection cannot be fixed by signing again */
  readonly givenJwt?: boolean;
}

/** A request made with a token minted in this run: which rule, and when the token was minted (ms). */
export interface Fresh {
  readonly rule: LagRule;
  readonly mintedAt: number;
}

/** What to do about a failed request: which one it was, how far along, under which policy, and whether its token is new. */
export interface DecideInput {
  readonly failure: Failure;
  readonly at: Attempt;
  readonly policy: RetryPolicy;
  readonly fresh?: Fresh | undefined;
}

export function decide({ failure, at, policy, fresh }: DecideInput): Decision {
  if (isClockSkew(failure)) {
    if (at.givenJwt) return { kind: 'fail', reason: 'given-jwt' };
    const serverTime = Date.parse(failure.headers['date'] ?? '');
    if (Number.isNaN(serverTime) || at.clockFixes >= 2) {
      return { kind: 'fail', reason: 'clock' };
    }
    if (Math.abs(serverTime - at.now) > MAX_CLOCK_CORRECTION_MS) return { kind: 'fail', reason: 'clock-bound', serverTimeMs: serverTime };
    return { kind: 'resign', serverTimeMs: serverTime };
  }
  const lastAttempt = at.attempt >= policy.attempts;
  if (fresh && failure.status !== undefined && fresh.rule.statuses.includes(failure.status) && !isRateLimit(failure)) {
    return lagDecision(failure.status, at, fresh);
  }
  if (isRateLimit(failure)) {
    const ms = rateLimitWait(failure, at.now, policy.unknownRateLimitWaitMs);
    if (ms > policy.maxRateLimitWaitMs) return { kind: 'fail', reason: 'rate-limit' };
    if (lastAttempt) return { kind: 'fail', reason: 'attempts' };
    return { kind: 'wait', ms, reason: `rate limited (${failure.status})` };
  }
  if (isPermanentNetworkError(failure)) return { kind: 'fail', reason: 'network' };
  const transient = failure.status === undefined || failure.status >= 500;
  if (!transient) return { kind: 'fail' };
  if (lastAttempt) return { kind: 'fail', reason: 'attempts' };
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (at.attempt - 1));
  const ms = Math.round(backoff * (0.5 + at.random / 2));
  const reason = failure.status === undefined ? failure.message : `GitHub answered ${failure.status}`;
  return { kind: 'wait', ms, reason };
}

function lagDecision(status: number, at: Attempt, { rule, mintedAt }: Fresh): Decision {
  const waits = at.lagWaits ?? 0;
  const delay = rule.delaysMs[waits];
  if (delay === undefined) return { kind: 'fail', reason: 'not-replicated' };
  const ms = Math.round(delay * (0.5 + at.random / 2));
  if (at.now + ms - mintedAt > rule.windowMs) return { kind: 'fail', reason: 'not-replicated' };
  return { kind: 'lag', ms, reason: `GitHub answered ${status}, as it does while a new token is being replicated` };
}

/** The latest time a Date can hold (ms): a header past it is no time at all. */
const MAX_DATE_MS = 8.64e15;

/** How long the rate-limit headers ask us to wait, in ms (60 s when they do not say, or say something unusable). */
export function rateLimitWait(failure: Failure, now: number, unknownMs = 60_000): number {
  const h = failure.headers;
  const retryAfter = Number(h['retry-after']);
  if (h['retry-after'] !== undefined && Number.isFinite(retryAfter) && Math.abs(now + retryAfter * 1000) <= MAX_DATE_MS) return Math.max(0, retryAfter * 1000);
  const reset = Number(h['x-ratelimit-reset']);
  if (!Number.isFinite(reset) || h['x-ratelimit-reset'] === undefined || Math.abs(reset * 1000) > MAX_DATE_MS) return unknownMs;
  // The reset time is GitHub's clock; measure it against GitHub's Date header when there is one.
  const serverNow = Date.parse(h['date'] ?? '');
  return Math.max(0, reset * 1000 - (Number.isNaN(serverNow) ? now : serverNow));
}

/** When a rate limit resets, as an ISO time, for the failure message. */
export function rateLimitReset(failure: Failure, now: number, unknownMs?: number): string {
  const reset = new Date(now + rateLimitWait(failure, now, unknownMs));
  return Number.isNaN(reset.getTime()) ? 'an unknown time' : reset.toISOString();
}
