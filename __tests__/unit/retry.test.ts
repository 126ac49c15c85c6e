import { describe, expect, it } from '@jest/globals';
import { decide, DEFAULT_RETRY, isClockSkew, MAX_CLOCK_CORRECTION_MS, rateLimitReset, rateLimitWait, type Failure } from '../../src/retry.js';

const at = (attempt: number, extra: Partial<{ clockFixes: number; now: number; random: number; lagWaits: number; givenJwt: boolean }> = {}) => ({
  attempt,
  clockFixes: 0,
  now: Date.parse('2026-11-21T10:00:00Z'),
  random: 0.5,
  ...extra
});
const failure = (status: number | undefined, message = '', headers: Record<string, string> = {}, asApp = true): Failure => ({
  status,
  message,
  headers,
  asApp
});

describe('decide', () => {
  it.each([400, 401, 403, 404, 422])('never retries %i', (status) => {
    expect(decide({ failure: failure(status, 'Nope'), at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail' });
  });

  it.each([500, 502, 503, 504])('backs off exponentially on %i, with jitter, then gives up', (status) => {
    const delays = [1, 2, 3].map((n) => decide({ failure: failure(status), at: at(n, { random: 0.998 }), policy: DEFAULT_RETRY }));
    expect(delays.map((d) => (d.kind === 'wait' ? d.ms : -1))).toEqual([999, 1998, 3996]);
    const low = decide({ failure: failure(status), at: at(1, { random: 0 }), policy: DEFAULT_RETRY });
    expect(low).toMatchObject({ kind: 'wait', ms: 500 });
    expect(decide({ failure: failure(status), at: at(DEFAULT_RETRY.attempts), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail', reason: 'attempts' });
  });

  it('retries network errors (no status) and says why', () => {
    expect(decide({ failure: failure(undefined, 'read ECONNRESET'), at: at(1), policy: DEFAULT_RETRY })).toMatchObject({ kind: 'wait', reason: 'read ECONNRESET' });
  });

  it('bounds the total backoff well under a minute', () => {
    let total = 0;
    for (let n = 1; n < DEFAULT_RETRY.attempts; n++) {
      const d = decide({ failure: failure(503), at: at(n, { random: 0.998 }), policy: DEFAULT_RETRY });
      total += d.kind === 'wait' ? d.ms : 0;
    }
    expect(total + DEFAULT_RETRY.attempts * DEFAULT_RETRY.timeoutMs).toBeLessThan(60_000);
  });

  it('waits as retry-after says on 429 and on a 403 that carries it', () => {
    expect(decide({ failure: failure(429, 'slow down', { 'retry-after': '3' }), at: at(1), policy: DEFAULT_RETRY })).toMatchObject({ kind: 'wait', ms: 3000 });
    expect(decide({ failure: failure(403, 'secondary', { 'retry-after': '2' }), at: at(1), policy: DEFAULT_RETRY })).toMatchObject({ kind: 'wait', ms: 2000 });
  });

  it('waits until x-ratelimit-reset, measured on GitHub\'s clock, when it is close', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.parse('2026-11-21T09:00:30Z') / 1000), date: 'Sat, 21 Nov 2026 09:00:00 GMT' };
    expect(decide({ failure: failure(403, 'API rate limit exceeded', headers), at: at(1), policy: DEFAULT_RETRY })).toMatchObject({ kind: 'wait', ms: 30_000 });
  });

  it('fails at once when the rate limit resets too late', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Date.parse('2026-11-21T10:30:00Z') / 1000) };
    expect(decide({ failure: failure(403, 'API rate limit exceeded', headers), at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail', reason: 'rate-limit' });
  });

  it('treats a 403 without rate-limit headers as final', () => {
    expect(decide({ failure: failure(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '4000' }), at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail' });
  });

  it('re-signs with GitHub\'s time on each clock message, at most twice', () => {
    const date = 'Sat, 21 Nov 2026 10:05:00 GMT';
    for (const message of [
      "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
      "'Expiration time' claim ('exp') is too far in the future",
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires."
    ]) {
      expect(decide({ failure: failure(401, message, { date }), at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'resign', serverTimeMs: Date.parse(date) });
      expect(decide({ failure: failure(401, message, { date }), at: at(1, { clockFixes: 2 }), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail', reason: 'clock' });
      expect(decide({ failure: failure(401, message, {}), at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail', reason: 'clock' });
    }
  });

  it('never re-signs a JWT signed elsewhere (app-jwt): a clock message fails at once', () => {
    const clock = failure(401, "'Expiration time' claim ('exp') is too far in the future", { date: 'Sat, 21 Nov 2026 10:05:00 GMT' });
    expect(decide({ failure: clock, at: at(1, { givenJwt: true }), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail', reason: 'given-jwt' });
  });

  it('does not take a clock message on a token request, or another 401, for clock skew', () => {
    expect(isClockSkew(failure(401, "'Issued at' claim ('iat') must be an Integer", {}, false))).toBe(false);
    expect(isClockSkew(failure(401, 'A JSON web token could not be decoded'))).toBe(false);
  });
});

describe('rateLimitWait', () => {
  it('is 0 for a reset in the past and a minute when no header says', () => {
    expect(rateLimitWait(failure(403, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }), Date.now())).toBe(0);
    expect(rateLimitWait(failure(429), Date.now())).toBe(60_000);
  });
});

describe('permanent network errors', () => {
  it.each(['ENOTFOUND', 'ERESPONSETOOLARGE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID'])('does not retry %s', (code) => {
    expect(decide({ failure: { ...failure(undefined, 'x'), code }, at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail', reason: 'network' });
  });
  it.each(['ECONNRESET', 'ECONNREFUSED', 'EAI_AGAIN', 'ETIMEDOUT', undefined])('retries %s', (code) => {
    expect(decide({ failure: { ...failure(undefined, 'x'), code }, at: at(1), policy: DEFAULT_RETRY })).toMatchObject({ kind: 'wait' });
  });
});

describe('replication lag of a just-minted token', () => {
  const minted = Date.parse('2026-11-21T10:00:00Z');
  const fresh = { rule: DEFAULT_RETRY.freshToken, mintedAt: minted };
  const token = (status: number, headers: Record<string, string> = {}) => failure(status, 'Bad credentials', headers, false);

  it.each([401, 404])('waits out %i with doubling backoff, at most 4 times, without counting attempts', (status) => {
    const waits = [0, 1, 2, 3].map((lagWaits) => decide({ failure: token(status), at: at(1, { random: 0.998, lagWaits }), policy: DEFAULT_RETRY, fresh }));
    expect(waits.map((d) => d.kind)).toEqual(['lag', 'lag', 'lag', 'lag']);
    expect(waits.map((d) => (d.kind === 'lag' ? d.ms : -1))).toEqual([500, 999, 1998, 3996]);
    expect(decide({ failure: token(status), at: at(1, { lagWaits: 4 }), policy: DEFAULT_RETRY, fresh })).toEqual({ kind: 'fail', reason: 'not-replicated' });
  });

  it('starts no try later than the window after the mint', () => {
    const late = at(1, { now: minted + 9_800, random: 0.998 });
    expect(decide({ failure: token(401), at: late, policy: DEFAULT_RETRY, fresh })).toEqual({ kind: 'fail', reason: 'not-replicated' });
    expect(decide({ failure: token(401), at: { ...late, now: minted + 9_400 }, policy: DEFAULT_RETRY, fresh })).toMatchObject({ kind: 'lag', ms: 500 });
  });

  it('without a fresh token (JWT requests, the revoke) 401 and 404 stay final', () => {
    expect(decide({ failure: token(401), at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail' });
    expect(decide({ failure: token(404), at: at(1), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail' });
  });

  it('403 is lag only for verify-token, and a rate-limited 403 is a rate limit', () => {
    expect(decide({ failure: token(403), at: at(1), policy: DEFAULT_RETRY, fresh })).toEqual({ kind: 'fail' });
    const verify = { rule: DEFAULT_RETRY.verifyToken, mintedAt: minted };
    expect(decide({ failure: token(403), at: at(1), policy: DEFAULT_RETRY, fresh: verify })).toMatchObject({ kind: 'lag' });
    expect(decide({ failure: token(403, { 'retry-after': '2' }), at: at(1), policy: DEFAULT_RETRY, fresh: verify })).toMatchObject({ kind: 'wait', ms: 2000 });
  });

  it('verify-token waits about 30 s in all, and the bot lookup about 7.5 s', () => {
    const sum = (ms: readonly number[]) => ms.reduce((a, b) => a + b, 0);
    expect(sum(DEFAULT_RETRY.verifyToken.delaysMs)).toBeGreaterThanOrEqual(25_000);
    expect(sum(DEFAULT_RETRY.verifyToken.delaysMs)).toBeLessThanOrEqual(DEFAULT_RETRY.verifyToken.windowMs);
    expect(sum(DEFAULT_RETRY.freshToken.delaysMs)).toBeLessThanOrEqual(DEFAULT_RETRY.freshToken.windowMs);
  });
});

describe('the clock correction bound', () => {
  const NOW = Date.parse('2026-11-21T10:00:00Z');
  const clockFailure = (date: string) => failure(401, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.", { date });
  it('corrects up to 15 minutes either way', () => {
    expect(MAX_CLOCK_CORRECTION_MS).toBe(15 * 60_000);
    for (const date of ['Sat, 21 Nov 2026 10:15:00 GMT', 'Sat, 21 Nov 2026 09:45:00 GMT', 'Sat, 21 Nov 2026 10:10:00 GMT']) {
      expect(decide({ failure: clockFailure(date), at: at(1, { now: NOW }), policy: DEFAULT_RETRY })).toEqual({ kind: 'resign', serverTimeMs: Date.parse(date) });
    }
  });
  it('refuses more, with the server time for the message, and signs nothing', () => {
    for (const date of ['Sat, 21 Nov 2026 10:15:01 GMT', 'Sat, 21 Nov 2026 09:44:59 GMT', 'Sat, 01 Jan 2050 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 GMT']) {
      expect(decide({ failure: clockFailure(date), at: at(1, { now: NOW }), policy: DEFAULT_RETRY })).toEqual({ kind: 'fail', reason: 'clock-bound', serverTimeMs: Date.parse(date) });
    }
  });
});

describe('unusable rate-limit headers', () => {
  const now = Date.parse('2026-11-21T10:00:00Z');
  it('a reset or retry-after past the last time a Date holds counts as none', () => {
    expect(rateLimitWait(failure(403, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999999' }), now)).toBe(60_000);
    expect(rateLimitWait(failure(403, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999999' }), now, 5)).toBe(5);
    expect(rateLimitWait(failure(429, '', { 'retry-after': '99999999999999' }), now)).toBe(60_000);
    expect(rateLimitReset(failure(429, '', { 'retry-after': '99999999999999' }), now)).toBe('2026-11-21T10:01:00.000Z');
  });
  it('a reset that cannot be written as a time is said to be unknown, not a crash', () => {
    // a reset at the very end of time, measured against a server clock at its start
    const f = failure(403, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(8.64e12), date: 'Thu, 01 Jan 1970 00:00:00 GMT' });
    expect(rateLimitReset(f, now)).toBe('an unknown time');
  });
  it('with an unusable reset, the test policy waits its scaled fallback, then gives up after the attempts', () => {
    const f = failure(403, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'later' });
    expect(decide({ failure: f, at: at(1), policy: { ...DEFAULT_RETRY, unknownRateLimitWaitMs: 0 } })).toMatchObject({ kind: 'wait', ms: 0 });
    expect(decide({ failure: f, at: at(4), policy: { ...DEFAULT_RETRY, unknownRateLimitWaitMs: 0 } })).toEqual({ kind: 'fail', reason: 'attempts' });
  });
});
