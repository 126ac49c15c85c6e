// A failed request in words: what decide() is given, and the message once it gives up.
import { describe, expect, it } from '@jest/globals';
import { redirectedTo, toApiError, toFailure } from '../../src/api-failure.ts';

const hints = { noAnswer: ' [no answer hint]', notGitHub: ' [not GitHub hint]' };
const redact = (text: string) => text.split('ghs_secret').join('***');

describe('toFailure', () => {
  it("takes GitHub's message from the answer, redacted before it is cut", () => {
    const failure = toFailure({ error: { response: { status: 422, data: { message: `${'x'.repeat(295)}ghs_secret` }, headers: {} } }, asApp: true, timeoutMs: 10_000, redact });
    expect(failure).toMatchObject({ status: 422, asApp: true });
    expect(failure.message).toBe(`${'x'.repeat(295)}***`);
  });

  it('names the network error by its innermost cause and code, or the timeout', () => {
    const refused = { message: 'fetch failed', cause: { message: 'connect ECONNREFUSED 127.0.0.1:9', code: 'ECONNREFUSED' } };
    expect(toFailure({ error: refused, asApp: false, timeoutMs: 10_000, redact })).toMatchObject({ status: undefined, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(toFailure({ error: { name: 'TimeoutError', message: 't' }, asApp: false, timeoutMs: 10_000, redact }).message).toBe('no answer within 10 s');
  });
});

describe('toApiError', () => {
  const base = { request: 'GET /x', attempt: 1, now: Date.parse('2026-12-02T00:00:00Z'), hints };
  it('says an answer over the cap is not GitHub\'s', () => {
    const error = toApiError({ ...base, failure: { status: undefined, message: 'an answer over 10 MiB', headers: {}, asApp: true, code: 'ERESPONSETOOLARGE' }, reason: 'network' });
    expect(error.message).toBe('GET /x failed: an answer over 10 MiB. [not GitHub hint]');
  });

  it('names both clocks when the Date header is beyond the bound', () => {
    const error = toApiError({ ...base, failure: { status: 401, message: 'iat', headers: {}, asApp: true }, reason: 'clock-bound', serverTimeMs: Date.parse('2050-01-01T00:00:00Z') });
    expect(error.message).toMatch(/puts the server's clock at 2050-01-01T00:00:00Z while this runner's clock says 2026-12-02T00:00:00Z: \d+ minutes apart, more than the 15 minutes/);
  });
});

describe('redirectedTo', () => {
  it('names where a redirect ended, unless it is the request path itself', () => {
    expect(redirectedTo('https://ghe.example.com/login?return=x', 'GET /api/v3/repos/o/r/installation')).toBe(', after a redirect to /login');
    expect(redirectedTo('https://ghe.example.com/api/v3/repos/o/r/installation', 'GET /repos/o/r/installation')).toBe('');
    expect(redirectedTo('not a url', 'GET /x')).toBe('');
  });
});
