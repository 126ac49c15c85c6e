// `app-jwt`, a JWT an earlier step signed (in a KMS): masked first, checked before any
// request, sent exactly as given (never re-signed), with the same requests as with a key.
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { appAuthorizations, JWT_MESSAGES, signJwt } from '../../fake-github/server.ts';
import { findSecretLeaks, maskedLog, type StepResult } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();
const now = () => Math.floor(Date.now() / 1000);
/** A JWT as a KMS step would sign it, with the fake app's throwaway key. */
const kmsJwt = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) =>
  signJwt(s.key, { iat: now() - 60, exp: now() + 540, iss: s.gh.app.clientId, ...claims }, header);
/** Inputs with the JWT in place of the key and the client ID. */
const withJwt = (jwt: string, extra: Record<string, string> = {}) => ({ 'client-id': '', 'private-key': '', 'app-jwt': jwt, ...extra });

/** stdout as the runner shows it before masking (::add-mask:: lines hidden), plus stderr. */
const shown = (step: StepResult) => step.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + step.stderr;

function expectJwtHidden(jwt: string, ...steps: StepResult[]): void {
  for (const step of steps) {
    expect(findSecretLeaks(shown(step) + step.summary, [jwt])).toEqual([]);
    expect(findSecretLeaks(maskedLog(step), [jwt, ...s.gh.tokens.keys()])).toEqual([]);
  }
}

describe('app-jwt', () => {
  it('mints with the JWT as given: masked first, same requests as with a key, never re-signed', async () => {
    const jwt = kmsJwt();
    const { main, post } = await s.run(withJwt(jwt));
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(appAuthorizations(s.gh.requests)).toEqual([`Bearer ${jwt}`]);
    expect(main.masks[0]).toBe(jwt);
    expect(main.stdout.indexOf(`::add-mask::${jwt}`)).toBe(0);
    expect(main.outputs['token']).toMatch(/^ghs_/);
    expect(main.outputs['app-slug']).toBe('my-app');
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
    expect([...errors(main), ...warnings(main), ...errors(post), ...warnings(post)]).toEqual([]);
    expectJwtHidden(jwt, main, post);
  });

  it.each([
    ['client-id equal to its iss', () => ({ 'client-id': s.gh.app.clientId }), () => ({})],
    ['app-id equal to a numeric iss', () => ({ 'app-id': String(s.gh.app.id) }), () => ({ iss: s.gh.app.id })],
    ['a numeric iss without app-id', () => ({}), () => ({ iss: s.gh.app.id })]
  ])('with %s', async (_name, inputs, claims) => {
    const jwt = kmsJwt(claims());
    const { main } = await s.run(withJwt(jwt, inputs()));
    expect(main.code).toBe(0);
    expect(appAuthorizations(s.gh.requests)).toEqual([`Bearer ${jwt}`]);
  });

  it('installation-id and bot-identity: the same requests as with a key, the JWT reused for both app requests', async () => {
    const jwt = kmsJwt();
    const { main } = await s.run(withJwt(jwt, { 'installation-id': '1001', 'bot-identity': 'true' }));
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['POST /app/installations/1001/access_tokens', 'GET /app/installations/1001', 'GET /users/my-app[bot]', 'DELETE /installation/token']);
    expect(appAuthorizations(s.gh.requests)).toEqual([`Bearer ${jwt}`]);
    expect(main.outputs['bot-name']).toBe('my-app[bot]');
  });

  it('a runner whose clock is ahead of GitHub: not re-signed, one request, and the signing step is told what to set', async () => {
    s.gh.setClockOffset(-15 * 60_000); // GitHub sees 'iat' in the future
    try {
      const jwt = kmsJwt();
      const { main, post } = await s.run(withJwt(jwt));
      expect(main.code).toBe(1);
      expect(s.gh.requests.filter((r) => r.method !== 'DELETE')).toHaveLength(1);
      expect(main.stdout).not.toMatch(/signing again/);
      expect(errors(main)).toEqual([
        `GET /repos/octo-org/app-token/installation failed: GitHub rejected the times in 'app-jwt' (${JWT_MESSAGES.iat}). A JWT signed elsewhere cannot be signed again here: in the step that signs it, set 'iat' 60 s in the past from a correct clock (NTP), and 'exp' at most 10 minutes after 'iat'.`
      ]);
      expect(post.stdout).toContain('No token to revoke');
      expectJwtHidden(jwt, main, post);
    } finally {
      s.gh.setClockOffset(0);
    }
  });

  it('a runner whose clock is behind GitHub: the expired-JWT rejection gets the same advice', async () => {
    s.gh.setClockOffset(12 * 60_000);
    try {
      const { main } = await s.run(withJwt(kmsJwt()));
      expect(s.gh.requests).toHaveLength(1);
      expect(errors(main)).toEqual([expect.stringMatching(/GitHub rejected the times in 'app-jwt' \('Expiration time' claim .*set 'iat' 60 s in the past from a correct clock/)]);
    } finally {
      s.gh.setClockOffset(0);
    }
  });

  it('a JWT signed with another key: GitHub says 401, the message points at the signing step', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const jwt = signJwt(other, { iat: now() - 60, exp: now() + 540, iss: s.gh.app.clientId });
    const { main } = await s.run(withJwt(jwt));
    expect(s.gh.requests).toHaveLength(1);
    expect(errors(main)).toEqual([
      `GitHub rejected 'app-jwt' (401: ${JWT_MESSAGES.undecodable}). Check that the step that signs it uses the app's private key (for a KMS, the key imported from the app's .pem) and sets 'iss' ('${s.gh.app.clientId}') to the app's client ID or app ID.`
    ]);
    expectJwtHidden(jwt, main);
  });
});

describe('app-jwt that fails before any request', () => {
  const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const cases: [string, () => string, Record<string, string>, RegExp][] = [
    ['not a JWT', () => 'not-a-jwt', {}, /^Input 'app-jwt' is not a JWT: it must be three base64url parts joined by dots/],
    ['with a Bearer prefix', () => `Bearer ${kmsJwt()}`, {}, /^Input 'app-jwt' is not a JWT: .*without 'Bearer ' or quotes or spaces/],
    ['four parts', () => `${kmsJwt()}.abc`, {}, /^Input 'app-jwt' is not a JWT: it must be three base64url parts/],
    ['a base64 (not base64url) signature', () => `${kmsJwt().split('.').slice(0, 2).join('.')}.ab+c/d==`, {}, /^Input 'app-jwt' is not a JWT: .*Encode the signature as base64url/],
    ['a header that is not JSON', () => `${b64('nope')}.${kmsJwt().split('.').slice(1).join('.')}`, {}, /^Input 'app-jwt' is not a JWT: its header is not base64url-encoded JSON\.$/],
    ['a payload that is not JSON', () => { const [h, , sig] = kmsJwt().split('.'); return `${h}.${b64('[1')}.${sig}`; }, {}, /^Input 'app-jwt' is not a JWT: its payload is not base64url-encoded JSON\.$/],
    ['alg HS256', () => kmsJwt({}, { alg: 'HS256', typ: 'JWT' }), {}, /^Input 'app-jwt' has header alg 'HS256'; GitHub accepts only RS256/],
    ['no alg', () => kmsJwt({}, { typ: 'JWT' }), {}, /^Input 'app-jwt' has header alg ''; GitHub accepts only RS256/],
    ['no iat', () => kmsJwt({ iat: undefined }), {}, /^Input 'app-jwt' has no integer 'iat' claim/],
    ['a fractional iat', () => kmsJwt({ iat: now() - 60.5 }), {}, /^Input 'app-jwt' has no integer 'iat' claim/],
    ['exp as a string', () => kmsJwt({ exp: String(now() + 500) }), {}, /^Input 'app-jwt' has no integer 'exp' claim/],
    ['an expired JWT', () => kmsJwt({ iat: now() - 700, exp: now() - 100 }), {}, /^Input 'app-jwt' expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(this runner's clock says .*Sign it in the step just before this one/],
    ['a JWT that lives 601 s', () => kmsJwt({ iat: now() - 1, exp: now() + 600 }), {}, /^Input 'app-jwt' lives 601 s from 'iat' to 'exp'; GitHub accepts at most 600 s/],
    ['no iss', () => kmsJwt({ iss: undefined }), {}, /^Input 'app-jwt' has no 'iss' claim\. Set 'iss' to the app's client ID/],
    ['an empty iss', () => kmsJwt({ iss: ' ' }), {}, /^Input 'app-jwt' has no 'iss' claim/],
    ['a client-id that is not its iss', () => kmsJwt(), { 'client-id': 'Iv23liSomeOtherApp' }, /^Input 'client-id' is 'Iv23liSomeOtherApp', but the 'iss' claim of 'app-jwt' is 'Iv23liFakeClient01'; they must be the same/],
    ['an app-id that is not its iss', () => kmsJwt(), { 'app-id': '123456' }, /^Input 'app-id' is '123456', but the 'iss' claim of 'app-jwt' is 'Iv23liFakeClient01'/],
    ['a private-key as well', () => kmsJwt(), { 'private-key': 'KEY' }, /^Inputs 'private-key' and 'app-jwt' cannot be used together: .*Remove one of them\.$/]
  ];
  it.each(cases)('%s: names the input and what is wrong, never the JWT', async (_name, make, extra, pattern) => {
    const jwt = make();
    const inputs = withJwt(jwt, extra);
    if (inputs['private-key'] === 'KEY') inputs['private-key'] = s.key;
    const { main, post } = await s.run(inputs);
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(pattern)]);
    expect(main.masks).toContain(jwt);
    expect(findSecretLeaks(shown(main), [jwt, s.key])).toEqual([]);
    expect(s.gh.requests).toEqual([]);
    expect(post.stdout).toContain('No token to revoke');
  });

  it('neither a key nor a JWT', async () => {
    const { main } = await s.run({ 'private-key': '', 'app-jwt': '' });
    expect(errors(main)).toEqual([expect.stringMatching(/^Input 'private-key' is empty \(and so is 'app-jwt'\)\. .*or set 'app-jwt' to a JWT an earlier step signed/)]);
    expect(s.gh.requests).toEqual([]);
  });
});
