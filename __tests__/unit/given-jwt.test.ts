// The checks on `app-jwt` before any request (the end-to-end side: __tests__/e2e/app-jwt.test.ts).
import { describe, expect, it } from '@jest/globals';
import { checkGivenJwt } from '../../src/given-jwt.ts';
import { thrownMessage } from '../support/thrown.ts';

const NOW = 1_800_000_000;
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
/** Shaped like a JWT; the signature is not checked here (GitHub checks it). */
const jwt = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) =>
  `${b64(header)}.${b64({ iat: NOW - 60, exp: NOW + 540, iss: 'Iv23liabc', ...claims })}.c2lnbmF0dXJl`;
const failure = (value: string): string => thrownMessage(() => checkGivenJwt(value, NOW), 'checkGivenJwt');

describe('checkGivenJwt', () => {
  it('accepts a well-formed RS256 JWT and returns its iss', () => {
    const value = jwt();
    expect(checkGivenJwt(value, NOW)).toEqual({ value, issuer: 'Iv23liabc' });
    expect(checkGivenJwt(jwt({ iss: 123456 }), NOW).issuer).toBe('123456');
    expect(checkGivenJwt(jwt({ iat: NOW - 599, exp: NOW + 1 }), NOW).issuer).toBe('Iv23liabc');
  });

  it.each([
    ['two parts', 'a.b', /^Input 'app-jwt' is not a JWT: it must be three base64url parts/],
    ['an empty part', `${b64({ alg: 'RS256' })}..c2lnbmF0dXJl`, /^Input 'app-jwt' is not a JWT/],
    ['quotes', `"${jwt()}"`, /is not a JWT: .*without 'Bearer ' or quotes\. /],
    ['a space', `Bearer ${jwt()}`, /without 'Bearer ' or quotes or spaces\./],
    ['a header that is a JSON array', `${b64([1])}.${b64({})}.sig`, /^Input 'app-jwt' is not a JWT: its header is not base64url-encoded JSON\.$/],
    ['a payload that is JSON null', `${b64({ alg: 'RS256' })}.${b64('null')}.sig`, /its payload is not base64url-encoded JSON/],
    ['alg none', jwt({}, { alg: 'none' }), /^Input 'app-jwt' has header alg 'none'; GitHub accepts only RS256/],
    ['alg RS512', jwt({}, { alg: 'RS512' }), /has header alg 'RS512'/],
    ['iat as a string', jwt({ iat: String(NOW) }), /^Input 'app-jwt' has no integer 'iat' claim/],
    ['no exp', jwt({ exp: undefined }), /^Input 'app-jwt' has no integer 'exp' claim/],
    ['exp now', jwt({ exp: NOW }), /^Input 'app-jwt' expired at 2027-01-15T08:00:00Z \(this runner's clock says 2027-01-15T08:00:00Z\)/],
    ['exp outside the dates a clock can show', jwt({ exp: -9_000_000_000_000 }), /^Input 'app-jwt' expired at -9000000000000 s /],
    ['601 s from iat to exp', jwt({ iat: NOW - 1, exp: NOW + 600 }), /^Input 'app-jwt' lives 601 s from 'iat' to 'exp'; GitHub accepts at most 600 s/],
    ['iss null', jwt({ iss: null }), /^Input 'app-jwt' has no 'iss' claim/],
    ['iss a fraction', jwt({ iss: 1.5 }), /has no 'iss' claim/]
  ])('refuses %s, naming the input and never quoting the JWT', (_name, value, pattern) => {
    const message = failure(value);
    expect(message).toMatch(pattern);
    expect(message).not.toContain(value.split('.')[2] ?? value);
    expect(message).not.toContain(value);
  });
});
