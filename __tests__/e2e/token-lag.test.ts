// A new token's first uses can answer 401/404 while GitHub replicates it. Requests the
// action makes with it wait that out (about 10 s after the mint); `verify-token` waits up to about
// 30 s so the next step never meets it; JWT requests keep the usual rules; a revoke answered 401
// is one info line.
import { describe, expect, it } from '@jest/globals';
import { statusFault } from '../../fake-github/server.ts';
import { findSecretLeaks, maskedLog } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();
const BOT = '/users/my-app[bot]';
const VERIFY = '/installation/repositories';
const lines = (text: string, pattern: RegExp) => text.split('\n').filter((l) => pattern.test(l));

describe('requests with the just-minted token', () => {
  it.each([401, 404] as const)('the bot lookup waits out %i answers, one log line per wait, then succeeds', async (status) => {
    s.gh.setTokenLag({ uses: 3, status });
    const { main, post } = await s.run({ 'bot-identity': 'true' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual([
      'GET /repos/octo-org/app-token/installation',
      'POST /app/installations/1001/access_tokens',
      ...Array(4).fill(`GET ${BOT}`),
      'DELETE /installation/token'
    ]);
    expect(s.gh.requests.filter((r) => r.fault === 'lag').map((r) => r.status)).toEqual([status, status, status]);
    const waits = lines(main.stdout, /trying again/);
    expect(waits).toEqual([1, 2, 3].map((n) => `GET ${BOT}: GitHub answered ${status}, as it does while a new token is being replicated; trying again in 0.0 s (wait ${n} of 4).`));
    expect(main.outputs['bot-user-id']).toBe('987654321');
    expect([...errors(main), ...warnings(main)]).toEqual([]);
    expect(post.code).toBe(0);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
  });

  it('gives up after 4 waits, naming the lookup; post still revokes', async () => {
    s.gh.setTokenLag({ uses: 5, status: 401 });
    const { main, post } = await s.run({ 'bot-identity': 'true' });
    expect(main.code).toBe(1);
    expect(s.gh.requests.filter((r) => r.path === BOT)).toHaveLength(5);
    expect(errors(main)).toEqual([
      expect.stringMatching(/^Could not look up the app's bot user 'my-app\[bot\]' .*GET \/users\/my-app\[bot\] failed: 401 Bad credentials \(the new token still failed [\d.]+ s after it was minted, after 4 waits\)\. The token outputs are set/)
    ]);
    expect(post.code).toBe(0);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
  });

  it('a 403 is not replication lag: not retried', async () => {
    s.gh.faults.push(statusFault(403, { body: { message: 'Resource not accessible by integration' }, match: { path: BOT }, times: Infinity }));
    const { main } = await s.run({ 'bot-identity': 'true' });
    expect(main.code).toBe(1);
    expect(s.gh.requests.filter((r) => r.path === BOT)).toHaveLength(1);
  });

  it.each([
    ['401 on the lookup', 'GET', '/repos/octo-org/app-token/installation', 401],
    ['404 on the create request', 'POST', '/app/installations/1001/access_tokens', 404]
  ])('requests with the JWT keep the usual rules: %s is not retried', async (_name, method, path, status) => {
    s.gh.faults.push(statusFault(status, { body: { message: status === 401 ? 'Bad credentials' : 'Not Found' }, match: { method, path }, times: Infinity }));
    const { main } = await s.run();
    expect(main.code).toBe(1);
    expect(s.gh.requests.filter((r) => r.path === path)).toHaveLength(1);
    expect(main.stdout).not.toMatch(/trying again/);
  });
});

describe('verify-token', () => {
  it('one more request, with the token, before the outputs', async () => {
    const { main, post } = await s.run({ 'verify-token': 'true' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens', `GET ${VERIFY}`, 'DELETE /installation/token']);
    const verify = s.gh.requests[2];
    expect(verify?.url).toMatch(/\/installation\/repositories\?per_page=1$/);
    expect(verify?.auth.kind).toBe('token');
    expect(verify?.auth.token).toBe(main.outputs['token']);
    expect([...errors(main), ...warnings(main), ...errors(post), ...warnings(post)]).toEqual([]);
  });

  it('is off by default', async () => {
    await s.run();
    expect(routes(s.gh)).not.toContain(`GET ${VERIFY}`);
  });

  it('waits out 401, 403 and 404 until the token works', async () => {
    s.gh.setTokenLag({ uses: 2, status: 404 });
    s.gh.faults.push(statusFault(403, { body: { message: 'Forbidden' }, match: { path: VERIFY }, times: 2 }));
    s.gh.faults.push(statusFault(401, { body: { message: 'Bad credentials' }, match: { path: VERIFY }, times: 2 }));
    const { main } = await s.run({ 'verify-token': 'true', 'bot-identity': 'true' });
    expect(main.code).toBe(0);
    expect(s.gh.requests.filter((r) => r.path === VERIFY).map((r) => r.status)).toEqual([403, 403, 401, 401, 404, 404, 200]);
    expect(lines(main.stdout, /trying again/)).toHaveLength(6);
    expect(lines(main.stdout, /trying again in 0\.0 s \(wait 6 of 9\)\.$/)).toHaveLength(1);
    // the bot lookup comes after the verified token: nothing left to wait for
    expect(s.gh.requests.filter((r) => r.path === BOT).map((r) => r.status)).toEqual([200]);
  });

  it('a token that never works: fails after 9 waits (about 30 s at full delays), naming the installation; no token output; post revokes', async () => {
    s.gh.faults.push(statusFault(404, { body: { message: 'Not Found' }, match: { path: VERIFY }, times: Infinity }));
    const { main, post } = await s.run({ 'verify-token': 'true' });
    expect(main.code).toBe(1);
    expect(s.gh.requests.filter((r) => r.path === VERIFY)).toHaveLength(10);
    expect(lines(main.stdout, /trying again/)).toHaveLength(9);
    expect(errors(main)).toEqual([
      expect.stringMatching(
        /^'verify-token': the new token for installation 1001 on 'octo-org' did not work: GET \/installation\/repositories failed: 404 Not Found \(the new token still failed [\d.]+ s after it was minted, after 9 waits\)\. GitHub may be slow to replicate tokens right now; re-run the job\. The post step revokes the token\.$/
      )
    ]);
    expect(main.outputs['token']).toBeUndefined();
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('Token revoked.');
    expect(s.gh.tokens.get(main.state['token'] ?? '')?.revoked).toBe(true);
    expect(findSecretLeaks(maskedLog(main) + maskedLog(post), [s.key, ...s.gh.tokens.keys()])).toEqual([]);
  });

  it('other failures are not waited for as lag: a 500 is retried 4 times as usual', async () => {
    s.gh.faults.push(statusFault(500, { body: { message: 'Server Error' }, match: { path: VERIFY }, times: Infinity }));
    const { main } = await s.run({ 'verify-token': 'true' });
    expect(s.gh.requests.filter((r) => r.path === VERIFY)).toHaveLength(4);
    expect(errors(main)).toEqual([expect.stringMatching(/^'verify-token': the new token for installation 1001 on 'octo-org' did not work: .*500 Server Error \(gave up after 4 attempts\)/)]);
  });

  it('with installation-id the message names the ID', async () => {
    s.gh.faults.push(statusFault(401, { body: { message: 'Bad credentials' }, match: { path: VERIFY }, times: Infinity }));
    const { main } = await s.run({ 'verify-token': 'true', 'installation-id': '1001' });
    expect(errors(main)).toEqual([expect.stringMatching(/^'verify-token': the new token for installation 1001 did not work: .*401 Bad credentials/)]);
  });

  it('a bad value fails before any request', async () => {
    const { main } = await s.run({ 'verify-token': 'yes' });
    expect(errors(main)).toEqual(["Input 'verify-token' is 'yes'; use true or false."]);
    expect(s.gh.requests).toEqual([]);
  });
});

describe('post', () => {
  it('post waits out the lag too: a short job whose revoke meets a 401 or 404 still revokes', async () => {
    for (const status of [401, 404] as const) {
      s.gh.reset();
      s.gh.setTokenLag({ uses: 2, status });
      const { main, post } = await s.run();
      expect(main.code).toBe(0);
      expect(main.state['minted-at']).toMatch(/^\d{13}$/);
      expect(s.gh.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([status, status, 204]);
      expect(post.stdout).toContain('Token revoked.');
      expect([...errors(post), ...warnings(post)]).toEqual([]);
      expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
    }
  });

  it('a revoke answered 401 (already revoked) is one info line, not a warning', async () => {
    const { main, post } = await s.run({}, {});
    expect(main.code).toBe(0);
    s.gh.reset();
    // Later in the job: past the replication window, a 401 means something revoked the token.
    const again = await s.post({ state: { ...main.state, 'minted-at': String(Date.now() - 60_000) } });
    expect(again.code).toBe(0);
    expect(s.gh.requests.map((r) => [r.method, r.status])).toEqual([['DELETE', 401]]);
    expect([...errors(again), ...warnings(again)]).toEqual([]);
    expect(again.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('::add-mask::'))).toEqual([
      'Token already revoked (GitHub answered 401 to DELETE /installation/token), for example by an earlier step.'
    ]);
    expect(post.stdout).toContain('Token revoked.');
  });

  it('other revoke failures stay warnings', async () => {
    const main = await s.main();
    s.gh.faults.push(statusFault(403, { body: { message: 'Forbidden' }, match: { method: 'DELETE' } }));
    const post = await s.post({ state: main.state });
    expect(warnings(post)).toEqual([expect.stringMatching(/^Could not revoke the installation token: DELETE \/installation\/token failed: 403 Forbidden/)]);
  });
});
