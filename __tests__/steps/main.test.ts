// The main step in-process (run() of src/main.ts), with a recording runner, against the fake
// GitHub API on a real socket: the order of masking, state and outputs, and how it fails.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as runMain } from '../../src/main.ts';
import { run as runPost } from '../../src/post.ts';
import { appAuthorizations, signJwt, statusFault } from '../../fake-github/server.ts';
import { NO_DELAY_RETRY, useInProcessGitHub } from '../support/in-process.ts';
import { recorder } from '../support/recorder.ts';

const t = useInProcessGitHub();
const { key } = t;
const retry = NO_DELAY_RETRY;
const env = (inputs: Record<string, string> = {}, extra: Record<string, string> = {}) => t.env({ 'skip-token-revoke': 'false', summary: 'true', ...inputs }, extra);

describe('masking, state and outputs', () => {
  it('masks the key first, then each JWT before use, then the token before saving state and outputs', async () => {
    const r = recorder();
    await runMain({ env: env(), runner: r, retry });
    expect(r.failures).toEqual([]);
    const token = r.outputs['token'] ?? '';
    const keyLine = key.split('\n')[1] ?? '';
    expect(r.indexOf('setSecret', keyLine)).toBe(0);
    const maskToken = r.indexOf('setSecret', token);
    expect(maskToken).toBeGreaterThan(0);
    expect(maskToken).toBeLessThan(r.indexOf('saveState'));
    expect(r.indexOf('saveState', 'token')).toBeLessThan(r.indexOf('setOutput', 'token'));
    const jwts = t.gh.requests.map((q) => q.auth.token ?? '');
    expect(jwts).toHaveLength(2);
    // one JWT, signed and masked once, serves both requests
    expect(jwts[1]).toBe(jwts[0]);
    expect(r.calls.filter((c) => c[0] === 'setSecret' && c[1] === jwts[0])).toHaveLength(1);
    expect(r.indexOf('setSecret', jwts[0])).toBeGreaterThan(0);
    expect(r.state).toMatchObject({ token, 'api-url': t.gh.url });
    expect(r.summary).toContain('| Installation | 1001 |');
  });

  it.each([
    ['a bad input', { owner: 'not an owner' }, /Input 'owner'/],
    ['a key that cannot be read', { 'private-key': key.split('\n').slice(0, 8).join('\n') }, /Input 'private-key'/]
  ])('masks every line of the key body before it fails on %s', async (_name, inputs, failure) => {
    const r = recorder();
    await runMain({ env: env(inputs), runner: r, retry });
    expect(r.failures).toEqual([expect.stringMatching(failure)]);
    const given = (inputs as Record<string, string>)['private-key'] ?? key;
    const body = given.split('\n').filter((line: string) => line && !line.startsWith('-----'));
    const failed = r.indexOf('setFailed');
    for (const line of body) {
      expect(r.indexOf('setSecret', line)).toBeGreaterThanOrEqual(0);
      expect(r.indexOf('setSecret', line)).toBeLessThan(failed);
    }
  });
});

describe('bot identity', () => {
  it('with installation-id, looks the installation up for its slug, then the bot with the new token', async () => {
    const r = recorder();
    await runMain({ env: env({ 'installation-id': '1001', 'bot-identity': 'true' }), runner: r, retry });
    expect(r.failures).toEqual([]);
    expect(r.outputs['app-slug']).toBe('my-app');
    expect(t.gh.requests.map((q) => `${q.method} ${q.path} ${q.auth.kind}`)).toEqual(['POST /app/installations/1001/access_tokens jwt', 'GET /app/installations/1001 jwt', 'GET /users/my-app[bot] token']);
  });
});

describe('configure-git', () => {
  it("writes the bot's identity to the global git config of the step's HOME, never the token, and says so", async () => {
    const home = mkdtempSync(join(tmpdir(), 'git-home-'));
    try {
      const r = recorder();
      await runMain({ env: { ...env({ 'configure-git': 'true' }), HOME: home, PATH: process.env['PATH'] ?? '' }, runner: r, retry });
      expect(r.failures).toEqual([]);
      const config = readFileSync(join(home, '.gitconfig'), 'utf8');
      expect(config).toContain('name = my-app[bot]');
      expect(config).not.toContain(r.outputs['token'] ?? 'no token');
      expect(r.calls).toContainEqual(['info', `Configured git (global) to commit as ${r.outputs['committer']}.`]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('failures', () => {
  it('reports a failure once, with the stack only in debug mode, and never a secret', async () => {
    for (const debug of [false, true]) {
      const r = recorder({}, debug);
      await runMain({ env: env({ owner: 'nobody' }), runner: r, retry });
      expect(r.failures).toEqual([expect.stringMatching(/not installed on the account 'nobody'/)]);
      const stack = r.calls.filter((c) => c[0] === 'debug' && /\n\s+at /.test(c[1] ?? ''));
      expect(stack.length > 0).toBe(debug);
      for (const c of r.calls.filter((c) => c[0] !== 'setSecret')) expect(c.join(' ')).not.toContain(key.split('\n')[1]);
    }
  });
});

describe('a JWT signed elsewhere, verify-token and replication lag', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const verifies = () => t.gh.requests.filter((q) => q.path === '/installation/repositories');

  it('app-jwt is masked first and sent as given, with no key parsed', async () => {
    const jwt = signJwt(key, { iat: now() - 60, exp: now() + 540, iss: t.gh.app.clientId });
    const r = recorder();
    await runMain({ env: env({ 'client-id': '', 'private-key': '', 'app-jwt': jwt }), runner: r, retry });
    expect(r.failures).toEqual([]);
    expect(r.calls[0]).toEqual(['setSecret', jwt]);
    expect(appAuthorizations(t.gh.requests)).toEqual([`Bearer ${jwt}`]);
    t.gh.reset();
  });

  it('app-jwt rejected for its times is not signed again', async () => {
    t.gh.setClockOffset(20 * 60_000);
    try {
      const r = recorder();
      await runMain({ env: env({ 'client-id': '', 'private-key': '', 'app-jwt': signJwt(key, { iat: now() - 60, exp: now() + 540, iss: t.gh.app.clientId }) }), runner: r, retry });
      expect(r.failures).toEqual([expect.stringMatching(/GitHub rejected the times in 'app-jwt'/)]);
      expect(t.gh.requests).toHaveLength(1);
    } finally {
      t.gh.setClockOffset(0);
      t.gh.reset();
    }
  });

  it('verify-token waits out replication lag, logging each wait', async () => {
    t.gh.setTokenLag({ uses: 2, status: 404 });
    const r = recorder();
    await runMain({ env: env({ 'verify-token': 'true', 'repository-ids': '1', owner: 'octo-org' }), runner: r, retry });
    // the fake has no repository 1: the create request fails, nothing to verify
    expect(r.failures).toEqual([expect.stringMatching(/refused a token for repository IDs 1/)]);
    t.gh.reset();
    t.gh.setTokenLag({ uses: 2, status: 404 });
    const ok = recorder();
    await runMain({ env: env({ 'verify-token': 'true' }), runner: ok, retry });
    expect(ok.failures).toEqual([]);
    expect(verifies().map((q) => q.status)).toEqual([404, 404, 200]);
    expect(ok.calls.filter((c) => c[0] === 'info' && /^GET \/installation\/repositories: GitHub answered 404, .*\(wait \d of 9\)\.$/.test(c[1] ?? ''))).toHaveLength(2);
    expect(ok.indexOf('saveState', 'token')).toBeLessThan(ok.indexOf('setOutput', 'token'));
    t.gh.reset();
  });

  it('verify-token that never works fails naming the installation; post revokes, and a second revoke is an info line', async () => {
    t.gh.faults.push(statusFault(401, { body: { message: 'Bad credentials' }, match: { path: '/installation/repositories' }, times: Infinity }));
    const r = recorder();
    await runMain({ env: env({ 'verify-token': 'true' }), runner: r, retry });
    expect(r.failures).toEqual([expect.stringMatching(/^'verify-token': the new token for installation 1001 on 'octo-org' did not work: .*after 9 waits/)]);
    expect(verifies()).toHaveLength(10);
    expect(r.outputs['token']).toBeUndefined();
    const post = recorder(r.state);
    await runPost({ env: env(), runner: post, retry });
    expect(post.calls).toContainEqual(['info', 'Token revoked.']);
    const again = recorder(r.state);
    await runPost({ env: env(), runner: again, retry });
    expect(again.calls.filter((c) => c[0] === 'warning')).toEqual([]);
    expect(again.calls).toContainEqual(['info', 'Token already revoked (GitHub answered 401 to DELETE /installation/token), for example by an earlier step.']);
    t.gh.reset();
  });

  it('the bot lookup waits out a 401 from the new token', async () => {
    t.gh.setTokenLag({ uses: 1, status: 401 });
    const r = recorder();
    await runMain({ env: env({ 'bot-identity': 'true' }), runner: r, retry });
    expect(r.failures).toEqual([]);
    expect(t.gh.requests.filter((q) => q.path === '/users/my-app[bot]').map((q) => q.status)).toEqual([401, 200]);
    t.gh.reset();
  });
});
