// The built action against a server made hostile in the ways an outside review tried: a Date header
// years ahead (JWTs for the future), '##[' legacy commands in its text, secrets echoed where a cut
// would leave most of them, oversized answers, Markdown links for the summary, an unusable
// rate-limit reset; and a user's key flattened onto one line, a github-api-url with a password.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { decorated, JWT_MESSAGES, rateLimited, statusFault, type RecordedRequest } from '../../fake-github/server.ts';
import { findSecretLeaks, maskedLog, type StepResult } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();

const MINUTE = 60_000;
const TOKEN_ROUTE = { method: 'POST', path: /^\/app\/installations\/\d+\/access_tokens$/ };
const LOOKUP = { method: 'GET', path: '/repos/octo-org/app-token/installation' };
const jwts = () => s.gh.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token ?? '');
const secrets = () => [s.key, ...s.gh.tokens.keys(), ...jwts()];

/** Every run of 12 characters of each secret: what a cut secret would leave visible. */
function fragmentLeaks(text: string, values: readonly string[]): string[] {
  const found: string[] = [];
  for (const value of values) {
    for (let i = 0; i + 12 <= value.length; i += 6) if (text.includes(value.slice(i, i + 12))) found.push(value.slice(i, i + 12));
  }
  return found;
}

function expectNoLeaks(...steps: StepResult[]): void {
  for (const step of steps) {
    expect(findSecretLeaks(maskedLog(step) + step.summary, secrets())).toEqual([]);
    expect(findSecretLeaks(step.stderr, secrets())).toEqual([]);
  }
}

describe('a Date header far from the runner clock', () => {
  const iatOf = (r: RecordedRequest) => (r.auth.claims as { iat: number }).iat;

  it('years ahead: no JWT is signed for it, and the message names both clocks', async () => {
    s.gh.faults.push(statusFault(401, { body: { message: JWT_MESSAGES.iat }, headers: { date: 'Sat, 01 Jan 2050 00:00:00 GMT' }, times: 2 }));
    const before = Math.floor(Date.now() / 1000);
    const { main, post } = await s.run();
    expect(main.code).toBe(1);
    // one JWT, for the runner's own time: none for 2049 or 2050
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation']);
    for (const request of s.gh.requests) expect(Math.abs(iatOf(request) + 60 - before)).toBeLessThan(30);
    expect(main.stdout).not.toMatch(/signing again/);
    expect(errors(main)).toEqual([
      expect.stringMatching(
        /^GET \/repos\/octo-org\/app-token\/installation failed: GitHub rejected the JWT's times \(.*\), and its Date header puts the server's clock at 2050-01-01T00:00:00Z while this runner's clock says 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ: \d+ minutes apart, more than the 15 minutes this action corrects, so it did not sign a JWT for the server's time\. Set the runner's clock right \(NTP\)/
      )
    ]);
    expect(post.stdout).toMatch(/No token to revoke/);
    expectNoLeaks(main, post);
  });

  it.each([
    ['16 minutes behind GitHub', 16 * MINUTE],
    ['16 minutes ahead of GitHub', -16 * MINUTE]
  ])('runner %s: refused after the first 401, without signing again', async (_name, offset) => {
    s.gh.setClockOffset(offset);
    try {
      const main = await s.main();
      expect(main.code).toBe(1);
      expect(s.gh.requests.map((r) => r.status)).toEqual([401]);
      expect(errors(main)).toEqual([expect.stringMatching(/: 16 minutes apart, more than the 15 minutes this action corrects/)]);
    } finally {
      s.gh.setClockOffset(0);
    }
  });

  it.each([
    ['14 minutes behind GitHub', 14 * MINUTE],
    ['14 minutes ahead of GitHub', -14 * MINUTE]
  ])('runner %s: still corrected, minted and revoked', async (_name, offset) => {
    s.gh.setClockOffset(offset);
    try {
      const { main, post } = await s.run();
      expect(errors(main)).toEqual([]);
      expect(main.stdout).toMatch(/signing again with GitHub's time/);
      expect(post.stdout).toContain('Token revoked.');
    } finally {
      s.gh.setClockOffset(0);
    }
  });
});

describe("'##[' legacy commands in server text", () => {
  const LEGACY = '##[set-output name=committer]evil <e@x>##[add-mask]octo##[stop-commands]abc';

  it('in an error message: printed escaped, never as a command', async () => {
    s.gh.faults.push(statusFault(422, { body: { message: `Validation failed ${LEGACY}` }, match: TOKEN_ROUTE }));
    const { main, post } = await s.run();
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringContaining('Validation failed #\\u0023[set-output name=committer]evil')]);
    for (const step of [main, post]) expect(`${step.stdout}${step.stderr}`).not.toContain('##[');
  });

  it.each([
    ['the app slug', LOOKUP, (body: object) => ({ ...body, app_slug: `my-app${LEGACY}` })],
    ["the account's login", LOOKUP, (body: object) => ({ ...body, account: { login: `octo${LEGACY}` } })],
    ['expires_at', TOKEN_ROUTE, (body: object) => ({ ...body, expires_at: `2030-01-01T00:00:00Z${LEGACY}` })]
  ])('in %s: refused with one message, escaped, in main and in post', async (field, match, change) => {
    s.gh.faults.push(decorated(({ body }) => ({ body: change(body as object) }), { match }));
    const { main, post } = await s.run({ 'bot-identity': 'true' });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(new RegExp(`has ${field} '.*#\\\\u0023\\[set-output`))]);
    for (const step of [main, post]) expect(`${step.stdout}${step.stderr}`).not.toContain('##[');
    expect(main.outputs['committer']).toBeUndefined();
    expect(post.code).toBe(0);
  });
});

describe('secrets echoed in server text', () => {
  it('a JWT echoed at character 280 of an error message is redacted before the message is cut', async () => {
    s.gh.faults.push(decorated((_answer, request) => ({ status: 403, body: { message: `${'x'.repeat(280)}${request.headers['authorization']?.replace('Bearer ', '')}` } }), { match: TOKEN_ROUTE }));
    const main = await s.main();
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/\(403: x{280}\*\*\*\)/)]);
    expect(fragmentLeaks(maskedLog(main), jwts())).toEqual([]);
  });

  it('the token echoed at character 270 of a revocation error is redacted before the message is cut', async () => {
    s.gh.faults.push(decorated((_answer, request) => ({ status: 422, body: { message: `${'y'.repeat(270)}${request.headers['authorization']?.replace('token ', '')}` } }), { match: { method: 'DELETE' } }));
    const { main, post } = await s.run();
    const token = main.outputs['token'] ?? '';
    expect(token).toMatch(/^ghs_/);
    expect(warnings(post)).toEqual([expect.stringMatching(/^Could not revoke the installation token: DELETE \/installation\/token failed: 422 y{270}\*\*\*/)]);
    expect(fragmentLeaks(maskedLog(post), [token])).toEqual([]);
  });

  it('the token echoed into the expires_at of its own answer is redacted before the value is quoted and cut', async () => {
    s.gh.faults.push(decorated((answer) => ({ ...answer, body: { ...(answer.body as object), expires_at: `${'z'.repeat(21)}${(answer.body as { token: string }).token}` } }), { match: TOKEN_ROUTE }));
    const { main, post } = await s.run();
    const token = [...s.gh.tokens.keys()][0] ?? '';
    expect(token).toMatch(/^ghs_/);
    expect(errors(main)).toEqual([expect.stringMatching(/^The answer to POST \/app\/installations\/1001\/access_tokens has expires_at 'z{21}\*\*\*', which is not a timestamp/)]);
    expect(fragmentLeaks(maskedLog(main) + main.stderr, [token])).toEqual([]);
    expect(s.gh.tokens.get(token)?.revoked).toBe(true);
    expectNoLeaks(main, post);
  });

  it("a 'github-api-url' with a password: refused in main and in post without quoting it", async () => {
    const url = `https://someone:hunter2-password@ghe.example.com/api/v3`;
    const main = await s.main({ 'github-api-url': url });
    expect(errors(main)).toEqual([expect.stringMatching(/^Input 'github-api-url' has credentials in it \(user:password@ before the host\); it is not quoted here/)]);
    const good = await s.main();
    const post = await s.post({ inputs: { ...s.base(), 'github-api-url': url }, state: good.state });
    expect(warnings(post)).toEqual([expect.stringMatching(/^Token not revoked: Input 'github-api-url' has credentials in it/)]);
    for (const step of [main, post]) expect(`${step.stdout}${step.stderr}`).not.toMatch(/hunter2|someone/);
  });
});

describe('oversized answers', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `repository-${String(i).padStart(3, '0')}-${'r'.repeat(80)}` }));

  it('a 2 MB app slug: one short refusal, nothing in the outputs, the summary or git', async () => {
    s.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), app_slug: 'a'.repeat(2 * 1024 * 1024) } }), { match: LOOKUP }));
    const main = await s.main({ 'configure-git': 'true' });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/^The answer to GET \/repos\/octo-org\/app-token\/installation has the app slug 'a{60}…', which is not an app slug/)]);
    expect(main.stdout.length).toBeLessThan(10_000);
    expect(readFileSync(main.env['GITHUB_OUTPUT'] ?? '', 'utf8')).toBe('');
    expect(main.summary).toBe('');
  });

  it('600 repositories (more than a token can have): refused, the token revoked by post', async () => {
    s.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), repositories: names(600) } }), { match: TOKEN_ROUTE }));
    const { main, post } = await s.run();
    expect(errors(main)).toEqual([expect.stringMatching(/has 600 repositories, the first 'repository-000-r+…', which is not one of at most 500 .* The post step revokes the token it minted\.$/)]);
    expect(main.stdout.length).toBeLessThan(10_000);
    expect(post.stdout).toContain('Token revoked.');
  });

  it("500 repositories: the output has all of them; the log line and the summary list 50 '… and 450 more'", async () => {
    s.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), repositories: names(500) } }), { match: TOKEN_ROUTE }));
    const { main } = await s.run();
    expect(errors(main)).toEqual([]);
    expect(main.outputs['repositories']?.split('\n')).toHaveLength(500);
    const scope = main.stdout.split('\n').find((line) => line.startsWith('Token for')) ?? '';
    expect(scope).toContain('repository-049-');
    expect(scope).not.toContain('repository-050-');
    expect(scope).toContain('… and 450 more;');
    expect(scope.length).toBeLessThan(8_000);
    expect(main.summary).toContain('… and 450 more |');
    expect(Buffer.byteLength(main.summary)).toBeLessThan(16_000);
  });
});

describe('Markdown from the server', () => {
  it('a repository named as an image or a link is refused, and the summary stays empty', async () => {
    s.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), repositories: [{ name: '![track](https://evil.example/pixel.png)' }, { name: '[Re-run here](https://evil.example/phish)' }] } }), { match: TOKEN_ROUTE }));
    const { main, post } = await s.run();
    expect(errors(main)).toEqual([expect.stringMatching(/^The answer to POST \/app\/installations\/1001\/access_tokens has a repository '!\[track\]\(https:\/\/evil\.example\/pixel\.png\)', which is not a repository name/)]);
    expect(main.summary).toBe('');
    expect(post.stdout).toContain('Token revoked.');
  });
});

describe('rate-limit headers', () => {
  it('x-ratelimit-reset: 99999999999999 is treated as no reset time: a plain failure after 4 attempts, no crash', async () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999999' };
    s.gh.faults.push(statusFault(403, { body: { message: 'API rate limit exceeded' }, headers, match: LOOKUP, times: Infinity }));
    const main = await s.main();
    expect(main.code).toBe(1);
    expect(main.stderr).toBe('');
    expect(errors(main)).toEqual([expect.stringMatching(/^GET \/repos\/octo-org\/app-token\/installation failed: 403 API rate limit exceeded \(gave up after 4 attempts\)/)]);
  });

  it('retry-after: 99999999999999 is treated as none: the reset header decides, no crash', async () => {
    s.gh.faults.push(statusFault(403, { body: { message: 'API rate limit exceeded' }, headers: { 'retry-after': '99999999999999' }, match: LOOKUP, times: Infinity }));
    const main = await s.main();
    expect(main.stderr).toBe('');
    // the fake's usual x-ratelimit-reset is an hour ahead: too long to wait
    expect(errors(main)).toEqual([expect.stringMatching(/rate limit is exhausted until 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\. Wait for the reset/)]);
  });

  it('a reset an hour ahead still fails at once with its time', async () => {
    s.gh.faults.push(rateLimited(3600, { match: LOOKUP, times: Infinity }));
    const main = await s.main();
    expect(errors(main)).toEqual([expect.stringMatching(/rate limit is exhausted until 20\d\d-\d\d-\d\dT/)]);
  });
});

describe('a private key flattened onto one line', () => {
  it('every line of its body is masked before anything else', async () => {
    const flat = s.key.trim().replace(/\n/g, ' ');
    const main = await s.main({ 'private-key': flat });
    const body = s.key.trim().split('\n').filter((line) => !line.startsWith('-----'));
    for (const line of body.filter((l) => l.length >= 8)) expect(main.masks).toContain(line);
    expect(main.stdout.indexOf('::add-mask::')).toBe(0);
    expect(fragmentLeaks(maskedLog(main), body.filter((l) => l.length >= 12))).toEqual([]);
  });
});
