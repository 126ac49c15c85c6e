// A runner clock that disagrees with GitHub's: the action re-signs its JWT with GitHub's time
// (from the Date header of the 401) and keeps the corrected clock for every later request.
import { afterEach, describe, expect, it } from '@jest/globals';
import { JWT_MESSAGES, serverError, statusFault, type RecordedRequest } from '../../fake-github/server.ts';
import { findSecretLeaks, maskedLog, type StepResult } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();
afterEach(() => s.gh.setClockOffset(0));

const MINUTE = 60_000;
const jwtRequests = () => s.gh.requests.filter((r) => r.auth.kind === 'jwt');
const rejected = () => s.gh.requests.filter((r) => r.status === 401);

function expectNoLeaks(...steps: StepResult[]): void {
  const secrets = [s.key, ...s.gh.tokens.keys(), ...jwtRequests().map((r) => r.auth.token ?? '')];
  for (const step of steps) {
    expect(findSecretLeaks(maskedLog(step), secrets)).toEqual([]);
    expect(findSecretLeaks(step.stderr, secrets)).toEqual([]);
    expect(findSecretLeaks(step.summary, secrets)).toEqual([]);
  }
}

/** GitHub's own rules for an app JWT, on the server clock at the moment the request arrived. */
function expectClaimsAcceptedByServer(request: RecordedRequest, offsetMs: number): void {
  const serverNow = Math.floor((request.receivedAt + offsetMs) / 1000);
  const { iat, exp } = request.auth.claims as { iat: number; exp: number };
  expect(iat).toBeLessThanOrEqual(serverNow + 60);
  expect(exp).toBeGreaterThan(serverNow);
  expect(exp - iat).toBeLessThanOrEqual(600);
  expect(exp).toBeLessThanOrEqual(serverNow + 660);
}

async function runChecked(inputs: Record<string, string> = {}) {
  const result = await s.run(inputs);
  expectNoLeaks(result.main, result.post);
  expect(result.main.code).toBe(0);
  expect(result.post.code).toBe(0);
  expect([...errors(result.main), ...warnings(result.main), ...errors(result.post), ...warnings(result.post)]).toEqual([]);
  expect(s.gh.tokens.get(result.main.outputs['token'] ?? '')?.revoked).toBe(true);
  return result;
}

// [minutes, runner ahead?, whether GitHub rejects the first JWT]. The JWT is backdated 60 s and
// lives 10 minutes, so small drifts pass as they are; larger ones need the correction.
const DRIFTS: [number, boolean, boolean][] = [
  [2, true, false],
  [5, true, true],
  [10, true, true],
  [2, false, false],
  [5, false, false],
  [10, false, true]
];
const label = (minutes: number, ahead: boolean) => `runner ${minutes} min ${ahead ? 'ahead of' : 'behind'} GitHub`;

describe('clock skew', () => {
  it.each(DRIFTS.map(([m, ahead, corrected]) => [`${label(m, ahead)}${corrected ? ', corrected after one 401' : ', accepted as it is'}`, m, ahead, corrected] as const))(
    '%s: the token is minted and revoked',
    async (_name, minutes, ahead, corrected) => {
    const offset = (ahead ? -1 : 1) * minutes * MINUTE;
    s.gh.setClockOffset(offset);
    const { main } = await runChecked();
    expect(routes(s.gh)).toEqual([
      ...(corrected ? ['GET /repos/octo-org/app-token/installation'] : []),
      'GET /repos/octo-org/app-token/installation',
      'POST /app/installations/1001/access_tokens',
      'DELETE /installation/token'
    ]);
    expect(rejected()).toHaveLength(corrected ? 1 : 0);
    if (corrected) {
      expect(s.gh.requests[0]?.status).toBe(401);
      expect(main.stdout).toMatch(/GitHub's clock differs from this runner's by -?\d+ s: signing again with GitHub's time\./);
      // the correction is what GitHub's Date header said, to within the header's 1 s resolution
      const learnt = Number(/differs from this runner's by (-?\d+) s/.exec(main.stdout)?.[1]);
      expect(Math.abs(learnt * 1000 - offset)).toBeLessThanOrEqual(2_000);
    }
    // the create request after the corrected lookup is signed with the corrected clock
    const accepted = jwtRequests().filter((r) => r.status < 300);
    expect(accepted.map((r) => r.method)).toEqual(['GET', 'POST']);
    for (const request of accepted) expectClaimsAcceptedByServer(request, offset);
    }
  );

  it.each([
    [label(10, true), -10 * MINUTE],
    [label(10, false), 10 * MINUTE]
  ])('%s, by installation-id with bot-identity: the correction holds for every later app request', async (_name, offset) => {
    s.gh.setClockOffset(offset);
    const { main } = await runChecked({ 'installation-id': '1001', 'bot-identity': 'true' });
    expect(routes(s.gh)).toEqual([
      'POST /app/installations/1001/access_tokens',
      'POST /app/installations/1001/access_tokens',
      'GET /app/installations/1001',
      'GET /users/my-app[bot]',
      'DELETE /installation/token'
    ]);
    expect(rejected()).toHaveLength(1);
    expect(s.gh.requests[0]?.status).toBe(401);
    const accepted = jwtRequests().filter((r) => r.status < 300);
    expect(accepted).toHaveLength(2);
    for (const request of accepted) expectClaimsAcceptedByServer(request, offset);
    expect(main.outputs['app-slug']).toBe('my-app');
    expect(main.outputs['bot-name']).toBe('my-app[bot]');
  });

  it('a correction is not a failed attempt: 3 server errors after it, on the same request, still end in success', async () => {
    // the runner is 10 minutes behind: GitHub rejects the lookup's JWT as expired (its Date header
    // carries GitHub's time), then the same lookup meets three 500s; the correction must not use
    // up one of its 4 attempts
    s.gh.setClockOffset(10 * MINUTE);
    const lookup = { method: 'GET', path: '/repos/octo-org/app-token/installation' };
    s.gh.faults.push(statusFault(401, { body: { message: JWT_MESSAGES.expired }, match: lookup }), serverError(500, { match: lookup, times: 3 }));
    const { main } = await runChecked();
    expect(s.gh.requests.filter((r) => r.path === lookup.path).map((r) => r.status)).toEqual([401, 500, 500, 500, 200]);
    expect(main.stdout).toMatch(/signing again with GitHub's time/);
    expect(main.outputs['token']).toMatch(/^ghs_/);
  });
});

describe('clock skew that cannot be corrected', () => {
  it('a 401 about the JWT times with no usable Date header fails at once, pointing at the runner clock', async () => {
    s.gh.faults.push(statusFault(401, { body: { message: JWT_MESSAGES.iat }, headers: { date: 'not a date' }, times: Infinity }));
    const { main, post } = await s.run();
    expect(main.code).toBe(1);
    expect(s.gh.requests).toHaveLength(1);
    expect(errors(main)).toEqual([expect.stringMatching(/GET \/repos\/octo-org\/app-token\/installation failed: GitHub rejected the JWT's times .* Check the runner's clock \(NTP\)\./)]);
    expect(post.stdout).toMatch(/No token to revoke/);
    expectNoLeaks(main, post);
  });

  it('a server that keeps rejecting the corrected JWT is given up on after two corrections', async () => {
    s.gh.faults.push(statusFault(401, { body: { message: JWT_MESSAGES.expired }, times: Infinity }));
    const { main } = await s.run();
    expect(main.code).toBe(1);
    expect(s.gh.requests).toHaveLength(3);
    expect(errors(main)).toEqual([expect.stringMatching(/GitHub rejected the JWT's times .*Check the runner's clock \(NTP\)/)]);    expectNoLeaks(main);
  });

  it('a 401 for another reason is not mistaken for clock skew', async () => {
    s.gh.faults.push(statusFault(401, { body: { message: JWT_MESSAGES.unknownApp }, times: Infinity }));
    const { main } = await s.run();
    expect(main.code).toBe(1);
    expect(s.gh.requests).toHaveLength(1);
    expect(main.stdout).not.toMatch(/signing again/);
    expect(errors(main)).toEqual([expect.stringContaining("Check that 'client-id'")]);    expectNoLeaks(main);
  });
});
