// Transient faults, answers that must not be retried, and rate limits, on every request the
// action makes: the built action, run as the runner runs it, against the fake GitHub API.
import { describe, expect, it } from '@jest/globals';
import {
  connectionReset,
  hang,
  rateLimited,
  secondaryRateLimited,
  serverError,
  statusFault,
  tooManyRequests,
  type Fault,
  type FaultOptions,
  type RecordedRequest
} from '../../fake-github/server.ts';
import { findSecretLeaks, maskedLog, type StepResult } from '../support/runner.ts';
import { errors, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();

/** The three requests of a default run, each a kind of request the retry policy must cover. */
const KINDS = {
  lookup: { method: 'GET', path: '/repos/octo-org/app-token/installation' },
  create: { method: 'POST', path: '/app/installations/1001/access_tokens' },
  revoke: { method: 'DELETE', path: '/installation/token' }
} as const;
type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as Kind[];
const described = (kind: Kind) => `${KINDS[kind].method} ${KINDS[kind].path}`;

function of(kind: Kind): RecordedRequest[] {
  return s.gh.requests.filter((r) => r.method === KINDS[kind].method && r.path === KINDS[kind].path);
}

function inject(kind: Kind, make: (options: FaultOptions) => Fault, times: number): void {
  s.gh.faults.push(make({ match: KINDS[kind], times }));
}

/** No token, JWT or key line in what the user sees (masked log), on stderr or in the summary. */
function expectNoLeaks(...steps: StepResult[]): void {
  const secrets = [
    s.key,
    ...s.gh.tokens.keys(),
    ...s.gh.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token ?? '')
  ];
  for (const step of steps) {
    expect(findSecretLeaks(maskedLog(step), secrets)).toEqual([]);
    expect(findSecretLeaks(step.stderr, secrets)).toEqual([]);
    expect(findSecretLeaks(step.summary, secrets)).toEqual([]);
  }
}

async function run(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  const result = await s.run(inputs, env);
  expectNoLeaks(result.main, result.post);
  return result;
}

/** Asserts a run that minted, then revoked, its token without any annotation. */
function expectSuccess({ main, post }: { main: StepResult; post: StepResult }): void {
  expect(main.code).toBe(0);
  expect(post.code).toBe(0);
  expect([...errors(main), ...warnings(main), ...errors(post), ...warnings(post)]).toEqual([]);
  const token = main.outputs['token'] ?? '';
  expect(token).toMatch(/^ghs_/);
  expect(s.gh.tokens.get(token)?.revoked).toBe(true);
  expect(post.stdout).toContain('Token revoked.');
}

/** The one failure of a run: an ::error from main, or for revocation a ::warning from post (which never fails the job). */
function expectOneFailure(kind: Kind, { main, post }: { main: StepResult; post: StepResult }): string {
  if (kind === 'revoke') {
    expect(main.code).toBe(0);
    expect(post.code).toBe(0);
    expect(errors(post)).toEqual([]);
    expect(warnings(post)).toHaveLength(1);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(false);
    return warnings(post)[0] ?? '';
  }
  expect(main.code).toBe(1);
  expect(errors(main)).toHaveLength(1);
  expect(warnings(main)).toEqual([]);
  expect(main.state).toEqual({});
  expect(main.outputs['token']).toBeUndefined();
  expect(post.stdout).toMatch(/No token to revoke/);
  expect([...errors(post), ...warnings(post)]).toEqual([]);
  if (kind === 'lookup') expect(of('create')).toHaveLength(0);
  return errors(main)[0] ?? '';
}

const TRANSIENT: [string, (options: FaultOptions) => Fault, RegExp][] = [
  ['500', (o) => serverError(500, o), /500 Server Error/],
  ['502', (o) => serverError(502, o), /502 Bad Gateway/],
  ['503', (o) => serverError(503, o), /503 Service Unavailable/],
  ['a connection reset', (o) => connectionReset(o), /no answer \(.+\)\. Check that 'github-api-url' is right/]
];
const PAIRS = KIND_NAMES.flatMap((kind) => TRANSIENT.map(([name, make, answer]) => [kind, name, make, answer] as const));

describe('transient faults are retried on every kind of request', () => {
  it.each(PAIRS)('%s: three times %s, then success on the 4th attempt', async (kind, _name, make) => {
    inject(kind, make, 3);
    const result = await run();
    expectSuccess(result);
    expect(of(kind)).toHaveLength(4);
    expect(of(kind).map((r) => r.fault)).toEqual([...Array(3).fill(expect.any(String)), undefined]);
    expect(result[kind === 'revoke' ? 'post' : 'main'].stdout).toMatch(/trying again in .* \(attempt 4 of 4\)/);
  });

  it.each(PAIRS)('%s: %s that persists gives up after exactly 4 attempts, naming the request', async (kind, _name, make, answer) => {
    inject(kind, make, Infinity);
    const message = expectOneFailure(kind, await run());
    expect(of(kind)).toHaveLength(4);
    expect(message).toContain(`${described(kind)} failed: `);
    expect(message).toMatch(answer);
    expect(message).toContain('(gave up after 4 attempts)');
  });
});

describe('a hung connection times out and is retried', () => {
  const env = { APP_TOKEN_TIMEOUT_MS: '300' };

  it.each(KIND_NAMES)('%s: one hang, then success', async (kind) => {
    inject(kind, hang, 1);
    const result = await run({}, env);
    expectSuccess(result);
    expect(of(kind)).toHaveLength(2);
    expect(of(kind)[0]?.fault).toBe('hang');
    const step = result[kind === 'revoke' ? 'post' : 'main'];
    expect(step.stdout).toMatch(/no answer within 0\.3 s; trying again/);
    expect(step.durationMs).toBeGreaterThanOrEqual(300);
    // the upper bound measured on the fake, without Node's start-up: from the hung request to the retry
    const gap = (of(kind)[1]?.receivedAt ?? 0) - (of(kind)[0]?.receivedAt ?? 0);
    expect(gap).toBeLessThan(5_000);
  });

  it.each(KIND_NAMES)('%s: hanging every time, it gives up after 4 timeouts, well within a minute', async (kind) => {
    inject(kind, hang, Infinity);
    const result = await run({}, env);
    const message = expectOneFailure(kind, result);
    expect(of(kind)).toHaveLength(4);
    expect(message).toContain(`${described(kind)} failed: no answer within 0.3 s (gave up after 4 attempts)`);
    const step = result[kind === 'revoke' ? 'post' : 'main'];
    expect(step.timedOut).toBe(false);
    expect(step.durationMs).toBeGreaterThanOrEqual(4 * 300);
    // the upper bound measured on the fake, without Node's start-up: from the first attempt to the last one's connection closing (its timeout)
    const [first, , , last] = of(kind);
    if (!first || !last) throw new Error('4 attempts expected');
    expect((await s.gh.closedAt(last)) - first.receivedAt).toBeLessThan(8_000);
  });
});

describe('answers that are never retried', () => {
  const FINAL: [number, unknown][] = [
    [400, { message: 'Problems parsing JSON' }],
    [401, { message: 'Bad credentials' }],
    [403, { message: 'Resource not accessible by integration' }],
    [404, { message: 'Not Found' }],
    [422, { message: 'Validation Failed' }]
  ];
  // A revoke right after the mint waits out 401/404 as replication lag (token-lag.test.ts), like main's requests with the new token.
  const lag = (kind: Kind, status: number) => kind === 'revoke' && (status === 401 || status === 404);
  const CASES = KIND_NAMES.flatMap((kind) => FINAL.filter(([status]) => !lag(kind, status)).map(([status, body]) => [kind, status, body] as const));

  it.each(CASES)('%s: %d is sent exactly once', async (kind, status, body) => {
    inject(kind, (o) => statusFault(status, { body, ...o }), Infinity);
    const result = await run();
    expect(of(kind)).toHaveLength(1);
    const message = expectOneFailure(kind, result);
    expect(message).not.toContain('gave up');
    expect(message).not.toContain('trying again');
    if (kind === 'revoke') expect(message).toContain(`${described(kind)} failed: ${status}`);
  });
});

describe('rate limits', () => {
  const gap = (kind: Kind) => (of(kind)[1]?.receivedAt ?? 0) - (of(kind)[0]?.receivedAt ?? 0);

  it('429 with retry-after: 1 on the lookup: waits about a second, then succeeds', async () => {
    inject('lookup', (o) => tooManyRequests(1, o), 1);
    const result = await run();
    expectSuccess(result);
    expect(of('lookup')).toHaveLength(2);
    expect(gap('lookup')).toBeGreaterThanOrEqual(900);
    expect(result.main.stdout).toMatch(/rate limited \(429\); trying again in 1\.0 s/);
  });

  it('403 with x-ratelimit-remaining: 0 and a reset 2 s ahead on token creation: waits for the reset, then succeeds', async () => {
    inject('create', (o) => rateLimited(2, o), 1);
    const result = await run();
    expectSuccess(result);
    expect(of('create')).toHaveLength(2);
    expect(gap('create')).toBeGreaterThanOrEqual(900);
    expect(gap('create')).toBeLessThan(4_000);
  });

  it('403 secondary rate limit with retry-after: 1 on revocation: waits, then revokes', async () => {
    inject('revoke', (o) => secondaryRateLimited(1, o), 1);
    const result = await run();
    expectSuccess(result);
    expect(of('revoke')).toHaveLength(2);
    expect(gap('revoke')).toBeGreaterThanOrEqual(900);
  });

  it.each(KIND_NAMES)('%s: a reset an hour ahead fails at once, with the reset time', async (kind) => {
    inject(kind, (o) => rateLimited(3600, o), Infinity);
    const result = await run();
    const message = expectOneFailure(kind, result);
    expect(of(kind)).toHaveLength(1);
    const iso = /rate limit is exhausted until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)/.exec(message)?.[1];
    expect(iso).toBeDefined();
    const expected = (of(kind)[0]?.receivedAt ?? 0) + 3_600_000;
    expect(Math.abs(Date.parse(iso ?? '') - expected)).toBeLessThan(5_000);
    expect(message).toContain(described(kind));
    // no wait: the step ended (its keep-alive connection closed) soon after the answer, by the fake's clock
    const [request] = of(kind);
    if (!request) throw new Error('one request expected');
    expect((await s.gh.closedAt(request)) - request.receivedAt).toBeLessThan(5_000);
  });

  it.each([
    ['429 with retry-after: 3600', (o: FaultOptions) => tooManyRequests(3600, o)],
    ['403 with retry-after: 120', (o: FaultOptions) => secondaryRateLimited(120, o)]
  ])('%s fails at once instead of waiting over a minute', async (_name, make) => {
    inject('create', make, Infinity);
    const { main } = await run();
    expect(main.code).toBe(1);
    expect(of('create')).toHaveLength(1);
    expect(errors(main)).toEqual([expect.stringMatching(/POST \/app\/installations\/1001\/access_tokens failed: GitHub's API rate limit is exhausted until \d{4}-/)]);
    const [request] = of('create');
    if (!request) throw new Error('one request expected');
    expect((await s.gh.closedAt(request)) - request.receivedAt).toBeLessThan(5_000);
  });

  it('a rate limit that keeps answering retry-after: 0 is still bounded to 4 attempts', async () => {
    inject('lookup', (o) => tooManyRequests(0, o), Infinity);
    const message = expectOneFailure('lookup', await run());
    expect(of('lookup')).toHaveLength(4);
    expect(message).toMatch(/GET \/repos\/octo-org\/app-token\/installation failed: 429 .*\(gave up after 4 attempts\)/);
  });
});
