// The agent in this process: its server, token rules and clients against the fake GitHub.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { signAppJwt } from '../../src/app-jwt.js';
import { ask, credentialLines, erasedToken, parseAttributes, runClient, type ClientIO } from '../../src/agent-client.js';
import { repositoryOf } from '../../src/agent-protocol.js';
import { serveAgent, type AgentStart } from '../../src/agent-server.js';
import { stopAgent } from '../../src/agent-stop.js';
import { isFresh, TokenKeeper } from '../../src/agent-tokens.js';
import { createGitHub, type GitHub } from '../../src/github.js';
import { readSettings, type Settings } from '../../src/inputs.js';
import { findInstallation, type Installation } from '../../src/installation.js';
import { parsePrivateKey } from '../../src/private-key.js';
import { createToken, type Token } from '../../src/token.js';
import { decorated, startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { NO_DELAY_RETRY } from '../support/in-process.ts';
import { recorder } from '../support/recorder.ts';
import { generateAppKey } from '../support/runner.ts';

const key = generateAppKey('pkcs1').privateKeyPem;
const quiet = { debug: () => undefined, info: () => undefined, warning: () => undefined, warn: () => undefined, error: () => undefined };
let gh: FakeGitHub;
let github: GitHub;
let settings: Settings;
let installation: Installation;
let token: Token;

beforeAll(async () => {
  gh = await startFakeGitHub({
    app: { privateKey: key },
    installations: [
      { id: 1001, account: 'octo-org', accountType: 'Organization', repositories: ['app-token', 'api', 'web'] },
      { id: 1003, account: 'other-org', accountType: 'Organization', repositories: ['lib'] }
    ]
  });
  const env: Record<string, string> = { GITHUB_API_URL: gh.url, GITHUB_REPOSITORY: 'octo-org/app-token', INPUT_AGENT: 'true', 'INPUT_AGENT-OWNERS': 'other-org', INPUT_REPOSITORIES: 'api', 'INPUT_CLIENT-ID': gh.app.clientId, 'INPUT_PRIVATE-KEY': key, 'INPUT_PERMISSION-CONTENTS': 'read' };
  settings = readSettings(env);
  const parsed = parsePrivateKey(key);
  github = await createGitHub({ baseUrl: gh.url, signJwt: (now) => signAppJwt(parsed, settings.issuer, now), retry: NO_DELAY_RETRY, log: quiet, octokitLog: quiet, env: {} });
  installation = await findInstallation(github, settings);
  token = await createToken(github, installation, settings);
});
afterAll(() => gh.close());

const configFor = (dir: string, mintedAt = Date.now()) => ({
  dir,
  secret: 'a'.repeat(64),
  settings,
  installation,
  token: { token: token.token, expiresAt: token.expiresAt, mintedAt, repositories: token.repositories },
  lifetimeMs: 60_000
});

describe('the freshness rule', () => {
  it('10 minutes or a sixth of the lifetime left, whichever is shorter', () => {
    const hour = { mintedAt: 0, expiresAtMs: 3_600_000 };
    expect(isFresh(hour, 3_600_000 - 600_001)).toBe(true);
    expect(isFresh(hour, 3_600_000 - 600_000)).toBe(false);
    const twoHours = { mintedAt: 0, expiresAtMs: 7_200_000 }; // a sixth is 20 min: the 10 min are shorter
    expect(isFresh(twoHours, 7_200_000 - 600_001)).toBe(true);
    expect(isFresh(twoHours, 7_200_000 - 600_000)).toBe(false);
    const minute = { mintedAt: 0, expiresAtMs: 60_000 };
    expect(isFresh(minute, 49_999)).toBe(true);
    expect(isFresh(minute, 50_000)).toBe(false);
  });
  it('main’s token is handed out while fresh, then a new one is minted first', async () => {
    let now = Date.now();
    const keeper = new TokenKeeper(github, configFor('/none', now), () => now);
    expect((await keeper.token()).token).toBe(token.token);
    now = Date.parse(token.expiresAt) - 599_000;
    const fresh = await keeper.token();
    expect(fresh.token).not.toBe(token.token);
    expect(gh.tokens.get(fresh.token)).toMatchObject({ repositories: ['api'], permissions: { contents: 'read' } });
    expect(keeper.erase(fresh.token)).toBe(true);
    expect(keeper.erase(fresh.token)).toBe(false);
    expect((await keeper.token('octo-org/API')).token).not.toBe(fresh.token);
    expect(keeper.mintedTotal()).toBe(2);
    const done = await keeper.revokeAll();
    expect(done).toEqual({ revoked: 2, expired: 0, failed: [] });
  });
  it('an enterprise token reaches no repository', async () => {
    const keeper = new TokenKeeper(github, { ...configFor('/none'), installation: { ...installation, enterprise: true, account: 'ent' } });
    await expect(keeper.token('octo-org/api')).rejects.toThrow("No token for octo-org/api: this step's token is for the enterprise 'ent', which reaches no repository.");
    expect((await keeper.token()).token).toBe(token.token);
  });
});

describe('the agent, its clients and post', () => {
  it('serves tokens by the scope rules, refuses the rest, and stops with a report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    const exit = jest.fn<(code: number) => void>();
    const start: AgentStart = { ...configFor(dir), retry: NO_DELAY_RETRY };
    await serveAgent({ input: Readable.from([JSON.stringify(start)]), exit });

    expect(await ask(dir, { op: 'token' })).toMatchObject({ ok: true, token: token.token });
    const lib = await ask(dir, { op: 'token', repository: 'other-org/lib' });
    if (!lib.ok || !('token' in lib)) throw new Error('no token for other-org/lib');
    expect(gh.tokens.get(lib.token)).toMatchObject({ installationId: 1003, repositories: ['lib'] });
    expect(await ask(dir, { op: 'token', repository: 'octo-org/web' })).toEqual({
      ok: false,
      message: "No token for octo-org/web: it is outside this step's scope (octo-org/api). To allow it, add 'web' to 'repositories', or add 'octo-org' to 'agent-owners' of the App Token step."
    });
    expect(await ask(dir, { op: 'token', repository: 'third/x' })).toEqual({
      ok: false,
      message: "No token for third/x: it is outside this step's scope (octo-org/api). To allow it, add 'third' to 'agent-owners' of the App Token step."
    });
    expect(await ask(dir, { op: 'token', repository: 'other-org/missing' })).toEqual({
      ok: false,
      message:
        "No token for other-org/missing: the app is not installed on it (or cannot see it): GitHub answered 404 to GET /repos/other-org/missing/installation. The account 'other-org' is in 'agent-owners' of the App Token step: install the app on 'other-org' and give it access to 'missing', or check the repository's name (the URL git asked for, or app-token --repository)."
    });

    const out: Record<string, string> = { stdout: '', stderr: '' };
    const order: string[] = [];
    const io = (stdin: string): ClientIO => ({ stdin: Readable.from([stdin]), write: (stream, text) => void ((out[stream] += text), order.push(stream)) });
    expect(await runClient('credential', dir, ['get'], io('protocol=http\nhost=h\npath=octo-org/api.git\ncapability[]=authtype\n\n'))).toBe(0);
    expect(out.stderr).toBe(`::add-mask::${token.token}\n`);
    expect(out.stdout).toContain(`password=${token.token}\n`);
    expect(out.stdout).toContain('ephemeral=true');
    expect(order).toEqual(['stderr', 'stdout']); // masked before it is handed out
    out.stdout = out.stderr = '';
    expect(await runClient('credential', dir, ['get'], io('protocol=http\nhost=h\npath=third/x.git\n\n'))).toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^app-token: No token for third\/x: /);
    expect(await runClient('credential', dir, ['erase'], io(`username=x-access-token\npassword=${token.token}\n\n`))).toBe(0);
    expect(await runClient('credential', dir, ['store'], io(''))).toBe(0);
    out.stdout = out.stderr = '';
    order.length = 0;
    expect(await runClient('token', dir, ['--repository=octo-org/api'], io(''))).toBe(0);
    expect(out.stdout.trim()).not.toBe(token.token); // erased: a new one
    expect(out.stderr).toBe(`::add-mask::${out.stdout.trim()}\n`);
    expect(order).toEqual(['stderr', 'stdout']);
    expect(await runClient('token', dir, ['--repository', 'a/b/c'], io(''))).toBe(2);
    expect(await runClient('token', dir, ['--help'], io(''))).toBe(2);
    expect(await runClient('token', dir, ['extra'], io(''))).toBe(2);

    const wrong = await ask(join(dir, 'nothing'), { op: 'token' });
    expect(wrong).toMatchObject({ ok: false, message: expect.stringMatching(/^the App Token agent is not running/) });

    const runner = recorder();
    await stopAgent({ runner, env: {}, agent: { dir, pid: 2 ** 22 + 1, include: '', createdConfig: '' }, revoke: true });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the agent exits once post has its answer
    const line = runner.calls.find((c) => c[0] === 'info')?.[1] ?? '';
    expect(line).toMatch(/^Token agent stopped: minted 2 tokens \(other-org\/lib ×1, octo-org\/api ×1\); refused 4 requests \(octo-org\/web outside the scope ×1, third\/x outside the scope ×2, other-org\/missing: app not installed ×1\); revoked 2\.$/);
    expect(exit).toHaveBeenCalledWith(0);
    expect(gh.tokens.get(lib.token)?.revoked).toBe(true);
  });

  it('ends by itself after its lifetime, revoking what it minted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    let exited: (code: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (exited = resolve));
    await serveAgent({ input: Readable.from([JSON.stringify({ ...configFor(dir), lifetimeMs: 400, retry: NO_DELAY_RETRY })]), exit: (code) => exited(code) });
    const lib = await ask(dir, { op: 'token', repository: 'other-org/lib' });
    if (!lib.ok || !('token' in lib)) throw new Error('no token for other-org/lib');
    expect(await done).toBe(0);
    expect(gh.tokens.get(lib.token)?.revoked).toBe(true);
    const started = Date.now();
    expect(await ask(dir, { op: 'token' })).toMatchObject({ ok: false, message: expect.stringMatching(/^the App Token agent is not running/) });
    expect(Date.now() - started).toBeLessThan(500); // its secret is gone with it: no waiting for a start
    const runner = recorder();
    await stopAgent({ runner, env: {}, agent: { dir, pid: 0, include: '', createdConfig: '' }, revoke: true });
    expect(runner.calls.filter((c) => c[0] === 'warning').map((c) => c[1])).toEqual([expect.stringMatching(/^The token agent was not running at the end of the job \(.*\): no token it minted is still valid\.$/)]);
  }, 10_000);

  it('ends when its directory disappears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    let exited: (code: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (exited = resolve));
    await serveAgent({ input: Readable.from([JSON.stringify({ ...configFor(dir), retry: NO_DELAY_RETRY })]), exit: (code) => exited(code), dirCheckMs: 20 });
    expect(await ask(dir, { op: 'token' })).toMatchObject({ ok: true });
    rmSync(dir, { recursive: true, force: true });
    expect(await done).toBe(0);
  }, 10_000);

  it('cuts off a request longer than 16 KiB, or one not sent in time, without an answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    let exited: (code: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (exited = resolve));
    await serveAgent({ input: Readable.from([JSON.stringify({ ...configFor(dir), retry: NO_DELAY_RETRY })]), exit: (code) => exited(code), requestTimeoutMs: 200 });
    const send = (text: string) =>
      new Promise<{ answer: string; ms: number }>((resolve) => {
        const started = Date.now();
        const socket = connect(join(dir, 'agent.sock'));
        let answer = '';
        socket.on('data', (chunk) => (answer += String(chunk)));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
        socket.write(text);
      });
    const long = await send(`{"op":"token","secret":"${'a'.repeat(64)}","repository":"${'x'.repeat(17 * 1024)}`);
    expect(long.answer).toBe('');
    expect(long.ms).toBeLessThan(150);
    const slow = await send(`{"op":"token","secret":"${'a'.repeat(64)}"`); // no newline: never complete
    expect(slow.answer).toBe('');
    expect(slow.ms).toBeGreaterThanOrEqual(150);
    expect(slow.ms).toBeLessThan(2000);
    const wrong = await send(`${JSON.stringify({ op: 'token', secret: 'b'.repeat(64) })}\n`);
    expect(JSON.parse(wrong.answer)).toEqual({ ok: false, message: "Refused: the request does not carry the agent's secret." });
    expect(await ask(dir, { op: 'stop', revoke: true })).toMatchObject({ ok: true });
    expect(await done).toBe(0);
  }, 10_000);

  it("redacts its own JWT from a server's refusal before the message is cut and handed to a client", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    let exited: (code: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => (exited = resolve));
    await serveAgent({ input: Readable.from([JSON.stringify({ ...configFor(dir), retry: NO_DELAY_RETRY })]), exit: (code) => exited(code) });
    gh.faults.push(decorated((_answer, request) => ({ status: 422, body: { message: `${'x'.repeat(280)}${request.headers['authorization']?.replace('Bearer ', '')}` } }), { match: { method: 'POST' } }));
    const reply = await ask(dir, { op: 'token', repository: 'other-org/lib' });
    const jwt = gh.requests.filter((r) => r.method === 'POST').at(-1)?.auth.token ?? '';
    expect(jwt.length).toBeGreaterThan(100);
    expect(reply).toMatchObject({ ok: false, message: expect.stringContaining(`${'x'.repeat(280)}***`) });
    if (!reply.ok) for (let i = 0; i + 12 <= jwt.length; i += 6) expect(reply.message).not.toContain(jwt.slice(i, i + 12));
    expect(await ask(dir, { op: 'stop', revoke: true })).toMatchObject({ ok: true });
    expect(await done).toBe(0);
  }, 10_000);

  it('post, when the agent is gone: a warning, nothing revoked', async () => {
    const runner = recorder();
    await stopAgent({ runner, env: {}, agent: { dir: '/nonexistent/agent', pid: 2 ** 22 + 1, include: '', createdConfig: '' }, revoke: true });
    expect(runner.calls.filter((c) => c[0] === 'warning').map((c) => c[1])).toEqual([
      'The token agent was not running at the end of the job (its directory is gone): no token it minted is still valid.'
    ]);
  });
});

describe('a client', () => {
  it('waits for an agent that is starting, not for one that listened and is gone (a killed agent on Windows leaves no pipe)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    const late = setTimeout(() => void serveAgent({ input: Readable.from([JSON.stringify({ ...configFor(dir), retry: NO_DELAY_RETRY })]), exit: () => undefined }), 300);
    let started = Date.now();
    expect(await ask(dir, { op: 'token' })).toMatchObject({ ok: true, token: token.token });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    clearTimeout(late);
    expect(await ask(dir, { op: 'stop', revoke: false })).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(join(dir, 'agent.sock'))).toBe(false);
    started = Date.now();
    expect(await ask(dir, { op: 'token' })).toMatchObject({ ok: false, message: expect.stringMatching(/^the App Token agent is not running/) });
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('a client, while the agent binds its socket', () => {
  it('takes a socket that refuses before the agent listened for one still starting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    writeFileSync(join(dir, 'agent.sock'), ''); // there, but nobody listens yet
    setTimeout(() => {
      rmSync(join(dir, 'agent.sock'));
      void serveAgent({ input: Readable.from([JSON.stringify({ ...configFor(dir), retry: NO_DELAY_RETRY })]), exit: () => undefined });
    }, 200);
    expect(await ask(dir, { op: 'token' })).toMatchObject({ ok: true, token: token.token });
    expect(await ask(dir, { op: 'stop', revoke: false })).toMatchObject({ ok: true });
  });
});

describe('post after the agent died', () => {
  it('reports the tokens it could not revoke, and removes the git line main added', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret'), 'a'.repeat(64));
    writeFileSync(join(dir, 'agent.sock'), ''); // left behind by a killed agent: nobody listens
    writeFileSync(join(dir, 'ready'), ''); // it had listened
    writeFileSync(join(dir, 'minted'), 'octo-org/api\t2999-01-01T00:00:00Z\nother-org/lib\t2000-01-01T00:00:00Z\n');
    const created = join(dir, 'created.gitconfig');
    writeFileSync(created, '');
    const runner = recorder();
    const calls: string[][] = [];
    await stopAgent({ runner, env: {}, agent: { dir, pid: 2 ** 22 + 1, include: join(dir, 'gitconfig'), createdConfig: created }, revoke: true, git: async (args) => (calls.push(args), '') });
    expect(runner.calls.filter((c) => c[0] === 'warning').map((c) => c[1])).toEqual([
      "The token agent was not running at the end of the job (the App Token agent is not running (post stopped it, 'agent-lifetime' ran out, or it was killed), so there is no fresh token. Run the App Token step with 'agent: true' again, or raise 'agent-lifetime'.): 1 token it minted (for octo-org/api) could not be revoked; they stay valid until 2999-01-01T00:00:00Z at the latest."
    ]);
    expect(calls[0]).toEqual(['config', '--global', '--fixed-value', '--unset-all', 'include.path', join(dir, 'gitconfig')]);
    expect(existsSync(created)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('a git config that cannot be changed: a warning, post goes on', async () => {
    const runner = recorder();
    await stopAgent({ runner, env: {}, agent: { dir: '/nonexistent/x', pid: 2 ** 22 + 1, include: '/nonexistent/x/gitconfig', createdConfig: '' }, revoke: false, git: async () => Promise.reject(new Error('locked')) });
    expect(runner.calls.filter((c) => c[0] === 'warning').map((c) => c[1])[1]).toBe(
      "Could not remove the agent's line from the global git config (include.path = /nonexistent/x/gitconfig): locked. It names a file that no longer exists, which git ignores."
    );
  });
});

describe('the credential protocol', () => {
  it('attributes up to the blank line, capabilities collected', () => {
    const a = parseAttributes('protocol=https\nhost=github.com\ncapability[]=authtype\ncapability[]=state\nbad\n\npath=ignored\n');
    expect([a.get('protocol'), a.get('host'), a.get('path'), a.capabilities]).toEqual(['https', 'github.com', undefined, ['authtype', 'state']]);
  });
  it('the answer: expiry always, the ephemeral pre-encoded form only where git announced authtype', () => {
    expect(credentialLines('ghs_x', '2030-01-01T00:00:00Z', false)).toBe('username=x-access-token\npassword=ghs_x\npassword_expiry_utc=1893456000\n');
    expect(credentialLines('ghs_x', 'never', true)).toBe(
      `username=x-access-token\npassword=ghs_x\ncapability[]=authtype\nauthtype=Basic\ncredential=${Buffer.from('x-access-token:ghs_x').toString('base64')}\nephemeral=true\n`
    );
  });
  it('erase names the token by password or by the Basic credential', () => {
    expect(erasedToken(parseAttributes('password=ghs_a\n'))).toBe('ghs_a');
    expect(erasedToken(parseAttributes(`authtype=Basic\ncredential=${Buffer.from('x-access-token:ghs_b').toString('base64')}\n`))).toBe('ghs_b');
    expect(erasedToken(parseAttributes(`authtype=Bearer\ncredential=abc\n`))).toBeUndefined();
    expect(erasedToken(parseAttributes(`authtype=basic\ncredential=${Buffer.from('someone:x').toString('base64')}\n`))).toBeUndefined();
  });
  it('owner/name from git paths and arguments', () => {
    expect(['octo-org/api.git', '/octo-org/api.git/info/refs', 'octo-org/api', 'octo-org', 'a b/c', 'o/..'].map((p) => repositoryOf(p))).toEqual(['octo-org/api', 'octo-org/api', 'octo-org/api', undefined, undefined, undefined]);
  });
});
