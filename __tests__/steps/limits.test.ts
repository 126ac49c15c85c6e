// The steps in-process (run() of main.ts and post.ts) against a hostile fake: each step's deadline, the clock bound, and
// server values of another form than GitHub's.
import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as runMain } from '../../src/main.ts';
import { run as runPost } from '../../src/post.ts';
import { decorated, hang, JWT_MESSAGES, statusFault } from '../../fake-github/server.ts';
import { NO_DELAY_RETRY, useInProcessGitHub } from '../support/in-process.ts';
import { recorder } from '../support/recorder.ts';

const t = useInProcessGitHub();
const retry = NO_DELAY_RETRY;
const env = (inputs: Record<string, string> = {}) => t.env({ 'skip-token-revoke': 'false', summary: 'true', ...inputs });

describe('the main step deadline', () => {
  it('a hung lookup: one failure that says what it waited for, and that nothing was minted', async () => {
    t.gh.faults.push(hang({ match: { method: 'GET' } }));
    const r = recorder();
    const started = Date.now();
    await runMain({ env: env(), runner: r, retry, deadlineMs: 300 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(r.failures).toEqual([expect.stringMatching(/^The main step stopped at its deadline of 0\.3 s: it was waiting for an answer to GET \/repos\/octo-org\/app-token\/installation\. No token had been received/)]);
    expect(r.state).toEqual({});
  });

  it('a hung verify-token after the mint: the token is saved, and the message says post revokes it', async () => {
    t.gh.faults.push(hang({ match: { method: 'GET', path: '/installation/repositories' } }));
    const r = recorder();
    await runMain({ env: env({ 'verify-token': 'true' }), runner: r, retry, deadlineMs: 300 });
    expect(r.failures).toEqual([expect.stringMatching(/waiting for an answer to GET \/installation\/repositories\. The post step revokes the token it minted\./)]);
    expect(r.state['token']).toMatch(/^ghs_/);
    expect(r.outputs['token']).toBeUndefined();
  });

  it('a hung git: stopped at the deadline too, and git is ended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hung-git-'));
    writeFileSync(join(dir, 'git'), '#!/bin/sh\nexec sleep 30\n');
    chmodSync(join(dir, 'git'), 0o755);
    const r = recorder();
    await runMain({ env: { ...env({ 'configure-git': 'true' }), PATH: `${dir}:${process.env.PATH ?? ''}`, HOME: dir }, runner: r, retry, deadlineMs: 800 });
    expect(r.failures).toEqual([expect.stringMatching(/^The main step stopped at its deadline of 0\.8 s: it was waiting for git config\. The post step revokes the token it minted\./)]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('the post step deadline', () => {
  it('a hung revocation: a warning that says what it waited for, never a failure', async () => {
    const main = recorder();
    await runMain({ env: env(), runner: main, retry });
    t.gh.faults.push(hang({ match: { method: 'DELETE' } }));
    const post = recorder(main.state);
    await runPost({ env: env(), runner: post, retry, deadlineMs: 300 });
    expect(post.failures).toEqual([]);
    expect(post.calls.filter((c) => c[0] === 'warning').map((c) => c[1])).toEqual([
      expect.stringMatching(/^Could not revoke the installation token within the post step's deadline of 0\.3 s: it was waiting for an answer to DELETE \/installation\/token\. It stays valid until 20/)
    ]);
  });

  it('an expiry of another form in the saved state is not printed', async () => {
    const main = recorder();
    await runMain({ env: env(), runner: main, retry });
    const post = recorder({ ...main.state, 'expires-at': '##[add-mask]x' });
    await runPost({ env: env({ 'skip-token-revoke': 'true' }), runner: post, retry });
    expect(post.calls.filter((c) => c[0] === 'info').map((c) => c[1])).toEqual(["Token not revoked: 'skip-token-revoke' is true. It expires at an unknown time (at most an hour after it was minted)."]);
  });
});

describe('a Date header beyond the clock bound', () => {
  it('fails without signing for it, naming both clocks', async () => {
    t.gh.faults.push(statusFault(401, { body: { message: JWT_MESSAGES.iat }, headers: { date: 'Sat, 01 Jan 2050 00:00:00 GMT' }, times: 2 }));
    const r = recorder();
    await runMain({ env: env(), runner: r, retry });
    expect(t.gh.requests).toHaveLength(1);
    expect(r.failures).toEqual([expect.stringMatching(/puts the server's clock at 2050-01-01T00:00:00Z while this runner's clock says .*: \d+ minutes apart, more than the 15 minutes/)]);
  });
});

describe('server values of another form', () => {
  it.each([
    ['an installation id', { id: -1 }, /has the installation id '-1', which is not a positive whole number/],
    ['an enterprise slug', { target_type: 'Enterprise', account: { slug: 'Not A Slug' } }, /has the enterprise's slug 'Not A Slug', which is not an enterprise slug/],
    ['a login', { account: { login: 'octo org' } }, /has the account's login 'octo org', which is not a login/]
  ])('%s in the installation is refused', async (_name, change, message) => {
    t.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), ...change } }), { match: { method: 'GET' } }));
    const r = recorder();
    await runMain({ env: env(), runner: r, retry });
    expect(r.failures).toEqual([expect.stringMatching(message)]);
  });

  it("a bot user's id that is no positive whole number is refused", async () => {
    t.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), id: 1.5 } }), { match: { method: 'GET', path: /\[bot\]$/ } }));
    const r = recorder();
    await runMain({ env: env({ 'bot-identity': 'true' }), runner: r, retry });
    expect(r.failures).toEqual([expect.stringMatching(/has the bot user's id '1\.5', which is not a positive whole number/)]);
  });

  it('a token of another form is not saved or used', async () => {
    t.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), token: 'ghs_with space' } }), { match: { method: 'POST' } }));
    const r = recorder();
    await runMain({ env: env(), runner: r, retry });
    expect(r.failures).toEqual([expect.stringMatching(/was not an installation token/)]);
    expect(r.state).toEqual({});
  });
});
