// The forms of GitHub's answers, and the one refusal for a value of another form.
import { describe, expect, it } from '@jest/globals';
import { answerChecker, checkTokenAnswer, isTimestamp } from '../../src/check-answer.ts';
import type { Token } from '../../src/token.ts';

const REQ = 'GET /app/installations/1';
const check = answerChecker({ request: REQ });
const checkForm = (request: string, field: string, value: unknown, form: Parameters<typeof check.form>[2], after?: string) => answerChecker({ request, after }).form(field, value, form);
const noRedact = (text: string) => text;

describe('forms', () => {
  it.each([
    ['an app slug', ['my-app', 'dependabot', 'a', 'My_App-2', 'x'.repeat(100)]],
    ['a login', ['octo-org', 'octocat', 'user_shortcode', 'A1']],
    ['an enterprise slug', ['octo-enterprise', 'e1']],
    ['a repository name', ['app-token', '.github', 'a.b_c-d', 'x'.repeat(100)]],
    ['a permission name', ['contents', 'pull_requests', 'organization_copilot_seat_management']],
    ['a permission level', ['read', 'write', 'admin']],
    ['a timestamp', ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.123Z', '2026-11-21T10:00:00+01:00']]
  ] as const)('accepts %s as GitHub sends it', (form, values) => {
    for (const value of values) expect(checkForm(REQ, 'x', value, form)).toBe(value);
  });

  it.each([
    ['an app slug', ['', '-app', 'my app', 'my-app[bot]', 'my-app##[add-mask]x', 'a'.repeat(101), 'my-app\n::warning::x', 'é']],
    ['a login', ['', 'octo org', '-octo', 'octo/org', 'x'.repeat(101)]],
    ['an enterprise slug', ['Octo', 'octo-', 'octo_ent']],
    ['a repository name', ['', '.', '..', 'a/b', 'a b', '![x](https://e.example)', '<img>', 'x'.repeat(101)]],
    ['a permission name', ['Contents', 'pull-requests', '::error::x', '0abc', '']],
    ['a permission level', ['none', 'Read', 'write ', '']],
    ['a timestamp', ['2030-01-01T00:00:00Z\n::warning::x', 'tomorrow', '2026-13-45T99:99:99Z', '', '1700000000']]
  ] as const)('refuses another form of %s, with one message naming the request, the field and the form', (form, values) => {
    for (const value of values) {
      expect(() => checkForm(REQ, 'the field', value, form)).toThrow(new RegExp(`^The answer to GET /app/installations/1 has the field '.*', which is not ${form}: GitHub does not send that\\. Check that 'github-api-url'`));
    }
  });

  it('refuses values that are not strings, and quotes them as JSON, escaped and cut', () => {
    expect(() => checkForm(REQ, 'f', 42, 'a login')).toThrow("has f '42', which is not a login");
    expect(() => checkForm(REQ, 'f', undefined, 'a login')).toThrow("has f '', which is not a login");
    expect(() => checkForm(REQ, 'f', { a: '##[x' }, 'a login')).toThrow(`has f '{"a":"#\\u0023[x"}'`);
    expect(check.strange('f', 'y'.repeat(1000), 'z').message).toContain(`'${'y'.repeat(60)}…'`);
  });

  it('adds what follows, e.g. that post revokes the token', () => {
    expect(() => checkForm(REQ, 'f', 'x y', 'a login', ' After.')).toThrow(/place\. After\.$/);
  });
});

describe('ids and timestamps', () => {
  it('takes positive safe integers only', () => {
    expect(check.id('the id', 1001)).toBe(1001);
    for (const bad of [0, -1, 1.5, 2 ** 53, '1001', null, Number.NaN]) expect(() => check.id('the id', bad)).toThrow(/which is not a positive whole number/);
  });
  it('knows a timestamp', () => {
    expect(isTimestamp('2026-11-21T10:00:00Z')).toBe(true);
    expect(isTimestamp('')).toBe(false);
    expect(isTimestamp('2026-02-30T10:00:00Z##[')).toBe(false);
  });
});

describe('checkTokenAnswer', () => {
  const token = (over: Partial<Token> = {}): Token => ({ token: 'ghs_x', expiresAt: '2026-11-21T11:00:00Z', permissions: { contents: 'read' }, repositories: ['api'], ...over });
  const AFTER = / The post step revokes the token it minted\.$/;

  it('passes what GitHub sends, up to its limits', () => {
    expect(() => checkTokenAnswer({ token: token(), installationId: 1, redact: noRedact })).not.toThrow();
    const repositories = Array.from({ length: 500 }, (_, i) => `repo-${i}`);
    expect(() => checkTokenAnswer({ token: token({ repositories, permissions: {} }), installationId: 1, redact: noRedact })).not.toThrow();
  });

  it.each([
    ['an expiry that is no timestamp', token({ expiresAt: 'soon' }), /has expires_at 'soon', which is not a timestamp/],
    ['a permission name of another form', token({ permissions: { 'Contents!': 'read' } }), /has a permission 'Contents!'/],
    ['a level of another form', token({ permissions: { contents: 'all' } }), /has the level of permission 'contents' 'all'/],
    ['more permissions than GitHub has', token({ permissions: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, 'read'])) }), /has 101 permissions, the first 'p0', which is not one of at most 100/],
    ['a repository name of another form', token({ repositories: ['a b'] }), /has a repository 'a b'/],
    ['more repositories than a token can have', token({ repositories: Array.from({ length: 501 }, (_, i) => `r${i}`) }), /has 501 repositories, the first 'r0', which is not one of at most 500 \(GitHub's limit for a token\)/]
  ])('refuses %s, saying post revokes the token', (_name, answer, message) => {
    expect(() => checkTokenAnswer({ token: answer, installationId: 1001, redact: noRedact })).toThrow(message);
    expect(() => checkTokenAnswer({ token: answer, installationId: 1001, redact: noRedact })).toThrow(AFTER);
    expect(() => checkTokenAnswer({ token: answer, installationId: 1001, redact: noRedact })).toThrow(/^The answer to POST \/app\/installations\/1001\/access_tokens has /);
  });
});

describe('redacted, then cut', () => {
  it('a secret the server echoes into a checked field is redacted before the value is cut', () => {
    const secret = 'ghs_' + 'S'.repeat(36);
    const redact = (text: string) => text.split(secret).join('***');
    const answer = { token: secret, expiresAt: `${'x'.repeat(21)}${secret}`, permissions: {}, repositories: [] };
    let message = '';
    try {
      checkTokenAnswer({ token: answer, installationId: 1001, redact });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`has expires_at '${'x'.repeat(21)}***', which is not a timestamp`);
    expect(message).not.toMatch(/S{8}/);
    expect(answerChecker({ request: REQ, redact }).strange('f', { echoed: secret }, 'z').message).toContain(`'{"echoed":"***"}'`);
  });
});
