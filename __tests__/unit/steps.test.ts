// What both steps are given: the test knobs of the retry policy.
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_RETRY } from '../../src/retry.ts';
import { deadlineFromEnv, retryFromEnv } from '../../src/steps.ts';

describe('retryFromEnv', () => {
  it('reads the test knobs and ignores nonsense', () => {
    expect(retryFromEnv({ APP_TOKEN_RETRY_BASE_MS: '0', APP_TOKEN_TIMEOUT_MS: '250' })).toMatchObject({ baseDelayMs: 0, maxDelayMs: 0, timeoutMs: 250 });
    expect(retryFromEnv({ APP_TOKEN_RETRY_BASE_MS: '-5', APP_TOKEN_TIMEOUT_MS: 'x' })).toEqual(DEFAULT_RETRY);
  });

  it('scales the replication-lag waits with the base: as many tries, sooner', () => {
    const zero = retryFromEnv({ APP_TOKEN_RETRY_BASE_MS: '0' });
    expect(zero.freshToken.delaysMs).toEqual([0, 0, 0, 0]);
    expect(zero.verifyToken.delaysMs).toHaveLength(DEFAULT_RETRY.verifyToken.delaysMs.length);
    expect(retryFromEnv({ APP_TOKEN_RETRY_BASE_MS: '10' }).freshToken.delaysMs).toEqual([5, 10, 20, 40]);
  });
});

describe('deadlineFromEnv', () => {
  it('lets tests shorten both steps\' deadline through APP_TOKEN_DEADLINE_MS; nothing else does', () => {
    expect(deadlineFromEnv({ APP_TOKEN_DEADLINE_MS: '1500' })).toEqual({ deadlineMs: 1500 });
    for (const value of [undefined, '', '0', '-5', 'soon']) expect(deadlineFromEnv({ APP_TOKEN_DEADLINE_MS: value })).toEqual({});
  });

  it('the base also scales the wait for a rate limit that says nothing usable about its reset', () => {
    expect(retryFromEnv({ APP_TOKEN_RETRY_BASE_MS: '0' }).unknownRateLimitWaitMs).toBe(0);
    expect(DEFAULT_RETRY.unknownRateLimitWaitMs).toBe(60_000);
  });
});
