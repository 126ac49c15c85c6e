// The post step in-process (run() of src/post.ts), with a recording runner, against the fake
// GitHub API on a real socket: what it revokes, what it skips, and where it sends the token.
import { describe, expect, it } from '@jest/globals';
import { run as runMain } from '../../src/main.ts';
import { run as runPost } from '../../src/post.ts';
import { statusFault } from '../../fake-github/server.ts';
import { NO_DELAY_RETRY, useInProcessGitHub } from '../support/in-process.ts';
import { recorder } from '../support/recorder.ts';

const t = useInProcessGitHub();
const retry = NO_DELAY_RETRY;
const env = (inputs: Record<string, string> = {}, extra: Record<string, string> = {}) => t.env({ 'skip-token-revoke': 'false', summary: 'true', ...inputs }, extra);

describe('revoking', () => {
  it('says there is nothing to revoke when main saved no token', async () => {
    const r = recorder();
    await runPost({ env: env(), runner: r, retry });
    expect(r.calls).toEqual([['info', 'No token to revoke: the main step did not create one.']]);
    expect(t.gh.requests).toEqual([]);
  });

  it('warns with GitHub\'s answer when the revoke fails, never failing the job', async () => {
    const main = recorder();
    await runMain({ env: env(), runner: main, retry });
    t.gh.faults.push(statusFault(500, { body: { message: 'Server Error' }, match: { method: 'DELETE' }, times: 4 }));
    const r = recorder(main.state);
    await runPost({ env: env(), runner: r, retry });
    expect(r.failures).toEqual([]);
    expect(r.calls.filter((c) => c[0] === 'warning')).toEqual([['warning', expect.stringMatching(/^Could not revoke the installation token: DELETE \/installation\/token failed: 500 Server Error .* It stays valid until \d{4}-/)]]);
  });

  it('revokes the saved token', async () => {
    const r = recorder();
    await runMain({ env: env(), runner: r, retry });
    const post = recorder(r.state);
    await runPost({ env: env(), runner: post, retry });
    expect(t.gh.tokens.get(r.outputs['token'] ?? '')?.revoked).toBe(true);
    expect(post.calls[0]).toEqual(['setSecret', r.outputs['token']]);
    expect(post.calls).toContainEqual(['info', 'Token revoked.']);
  });

  it('revokes when skip-token-revoke has a bad value (main reported it), and skips when true', async () => {
    const r = recorder();
    await runMain({ env: env(), runner: r, retry });
    const skipped = recorder(r.state);
    await runPost({ env: env({ 'skip-token-revoke': 'TRUE' }), runner: skipped, retry });
    expect(t.gh.tokens.get(r.outputs['token'] ?? '')?.revoked).toBe(false);
    const bad = recorder(r.state);
    await runPost({ env: env({ 'skip-token-revoke': 'maybe' }), runner: bad, retry });
    expect(t.gh.tokens.get(r.outputs['token'] ?? '')?.revoked).toBe(true);
  });

  it('treats a token past its expiry by the injected clock as expired', async () => {
    const r = recorder({ token: 'ghs_x', 'expires-at': '2026-01-01T00:00:00Z', 'api-url': t.gh.url });
    await runPost({ env: env(), runner: r, retry, clock: () => Date.parse('2026-01-01T00:00:01Z') });
    expect(r.calls).toContainEqual(['info', 'Token not revoked: it already expired at 2026-01-01T00:00:00Z.']);
    expect(t.gh.requests).toHaveLength(0);
  });
});

describe("main's saved API URL", () => {
  it('sends nothing when the saved URL is not the inputs', async () => {
    const main = recorder();
    await runMain({ env: env(), runner: main, retry });
    t.gh.requests.length = 0;
    const post = recorder({ ...main.state, 'api-url': 'https://elsewhere.example.com' });
    await runPost({ env: env(), runner: post, retry });
    expect(t.gh.requests).toEqual([]);
    expect(post.calls.filter((c) => c[0] === 'warning')).toEqual([['warning', expect.stringMatching(/^Token not revoked: the API URL saved by the main step \('https:\/\/elsewhere\.example\.com'\) is not the one/)]]);
  });

  it("sends nothing when post's own inputs give no usable URL", async () => {
    const post = recorder({ token: 'ghs_x', 'expires-at': '2999-01-01T00:00:00Z', 'api-url': 'http://ghe.example.com' });
    await runPost({ env: env({ 'github-api-url': 'http://ghe.example.com' }), runner: post, retry });
    expect(t.gh.requests).toEqual([]);
    expect(post.calls.filter((c) => c[0] === 'warning')).toEqual([['warning', expect.stringMatching(/^Token not revoked: Input 'github-api-url' .* uses http:\/\/.* It stays valid until 2999-01-01T00:00:00Z\.$/)]]);
  });

  it('says "Token revoked." only for a 204', async () => {
    const main = recorder();
    await runMain({ env: env(), runner: main, retry });
    t.gh.faults.push(statusFault(200, { body: { ok: true }, match: { method: 'DELETE' } }));
    const post = recorder(main.state);
    await runPost({ env: env(), runner: post, retry });
    expect(post.calls).not.toContainEqual(['info', 'Token revoked.']);
    expect(post.calls.filter((c) => c[0] === 'warning')).toEqual([['warning', expect.stringMatching(/answered 200, not 204/)]]);
  });
});
