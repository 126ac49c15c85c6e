// The errors messages are made of.
import { describe, expect, it } from '@jest/globals';
import { ApiError, listNames, unexpectedAnswer } from '../../src/errors.ts';

describe('listNames', () => {
  it('lists up to the limit, then says how many more', () => {
    expect(listNames(['a', 'b'])).toBe('a, b');
    expect(listNames(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
  });
});

describe('ApiError and unexpectedAnswer', () => {
  it("carry the request and GitHub's answer, and say what to check", () => {
    const error = new ApiError('GET /x failed: 404 Not Found', 'GET /x', { status: 404, message: 'Not Found', headers: {}, asApp: true });
    expect([error.status, error.detail, error.request]).toEqual([404, 'Not Found', 'GET /x']);
    expect(unexpectedAnswer('GET /x', 'a user').message).toMatch(/^The answer to GET \/x was not a user\. Check that 'github-api-url' is the REST API root/);
  });
});
