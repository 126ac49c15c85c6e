// Self-test of the test-support fakes over real sockets, without the action.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import {
  appJwt,
  connectionReset,
  delay,
  hang,
  rateLimited,
  serverError,
  signJwt,
  startFakeGitHub,
  type FakeGitHub
} from '../../fake-github/server.ts';
import { startProxy } from '../support/proxy.ts';
import { findSecretLeaks, generateAppKey, maskedLog, parseFileCommand, parseWorkflowCommands } from '../support/runner.ts';

const key = generateAppKey('pkcs1');
const otherKey = generateAppKey('pkcs8');
const nowS = (): number => Math.floor(Date.now() / 1000);

async function call(base: string, method: string, path: string, auth?: string, body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  if (auth) headers.authorization = auth;
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('fake GitHub API', () => {
  let gh: FakeGitHub;
  const jwt = (overrides: Record<string, unknown> = {}): string => `Bearer ${appJwt(key.privateKeyPem, 123456, Date.now(), overrides)}`;
  beforeAll(async () => {
    gh = await startFakeGitHub({ app: { publicKey: key.publicKeyPem } });
  });
  afterAll(async () => gh.close());

  it('mints a token with a valid JWT and answers with GitHub shapes', async () => {
    const res = await call(gh.url, 'POST', '/app/installations/1001/access_tokens', jwt());
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Math.abs(Date.parse(res.headers.get('date') ?? '') - Date.now())).toBeLessThan(5000);
    const body = res.json as { token: string; expires_at: string; permissions: unknown; repository_selection: string };
    expect(body.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    expect(body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(3_590_000);
    expect(body.permissions).toEqual(gh.app.permissions);
    expect(body.repository_selection).toBe('all');
    expect(res.json).not.toHaveProperty('repositories');
    expect(gh.tokens.get(body.token)).toMatchObject({ installationId: 1001, revoked: false, repositories: null });
    const recorded = gh.requests[gh.requests.length - 1];
    expect(recorded).toMatchObject({ method: 'POST', path: '/app/installations/1001/access_tokens', status: 201 });
    expect(recorded.auth.kind).toBe('jwt');
    expect(recorded.auth.claims?.iss).toBe(123456);
  });

  it('accepts the client ID or a numeric string as iss and looks installations up', async () => {
    const byClient = `Bearer ${appJwt(key.privateKeyPem, 'Iv23liFakeClient01')}`;
    const repo = await call(gh.url, 'GET', '/repos/OCTO-ORG/Api/installation', byClient);
    expect(repo.status).toBe(200);
    expect(repo.json).toMatchObject({ id: 1001, app_id: 123456, app_slug: 'my-app', client_id: 'Iv23liFakeClient01', target_type: 'Organization' });
    expect((repo.json?.account as { login: string }).login).toBe('octo-org');
    expect((await call(gh.url, 'GET', '/users/octo-user/installation', jwt({ iss: '123456' }))).json?.id).toBe(1002);
    expect((await call(gh.url, 'GET', '/orgs/octo-user/installation', jwt())).status).toBe(404);
    expect((await call(gh.url, 'GET', '/repos/octo-org/nope/installation', jwt())).json?.message).toBe('Not Found');
    expect((await call(gh.url, 'GET', '/app/installations/999', jwt())).status).toBe(404);
  });

  it.each([
    ['a bad signature', () => `Bearer ${appJwt(otherKey.privateKeyPem, 123456)}`, 'A JSON web token could not be decoded'],
    ['exp too far ahead', () => jwt({ exp: nowS() + 1200 }), "'Expiration time' claim ('exp') is too far in the future"],
    ['exp - iat over 10 minutes', () => jwt({ iat: nowS() - 300, exp: nowS() + 400 }), "'Expiration time' claim ('exp') is too far in the future"],
    ['an expired JWT', () => jwt({ iat: nowS() - 700, exp: nowS() - 120 }), "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires."],
    ['a non-integer iat', () => jwt({ iat: nowS() + 0.5 }), "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued."],
    ['an unknown issuer', () => jwt({ iss: 42 }), 'Integration not found'],
    ['an HS256 header', () => `Bearer ${signJwt(key.privateKeyPem, { iss: 123456, iat: nowS(), exp: nowS() + 60 }, { alg: 'HS256' })}`, 'A JSON web token could not be decoded'],
    ['an installation token', () => 'token ghs_notajwt', 'A JSON web token could not be decoded'],
    ['no credentials', () => undefined, 'Requires authentication']
  ])('rejects %s with 401', async (_name, auth, message) => {
    const res = await call(gh.url, 'GET', '/app/installations/1001', auth());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ message, documentation_url: 'https://docs.github.com/rest', status: '401' });
  });

  it('judges iat against the server clock and sends that clock in Date', async () => {
    gh.setClockOffset(-5 * 60_000); // the runner is 5 minutes ahead of GitHub
    try {
      const res = await call(gh.url, 'GET', '/app/installations/1001', jwt());
      expect(res.status).toBe(401);
      expect(res.json?.message).toBe("'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.");
      const skew = Date.parse(res.headers.get('date') ?? '') - Date.now();
      expect(skew).toBeLessThan(-290_000);
      const serverNow = Date.parse(res.headers.get('date') ?? '');
      const fixed = `Bearer ${appJwt(key.privateKeyPem, 123456, serverNow)}`;
      expect((await call(gh.url, 'GET', '/app/installations/1001', fixed)).status).toBe(200);
    } finally {
      gh.setClockOffset(0);
    }
  });

  it('limits tokens to repositories and permissions, and answers 422 like GitHub', async () => {
    const url = '/app/installations/1001/access_tokens';
    const ok = await call(gh.url, 'POST', url, jwt(), { repositories: ['API', 'web'], permissions: { contents: 'read' } });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ permissions: { contents: 'read' }, repository_selection: 'selected' });
    expect((ok.json?.repositories as Array<{ full_name: string }>).map((r) => r.full_name)).toEqual(['octo-org/api', 'octo-org/web']);
    expect(gh.tokens.get(ok.json?.token as string)?.repositories).toEqual(['api', 'web']);
    const unknownRepo = await call(gh.url, 'POST', url, jwt(), { repositories: ['dotfiles'] });
    expect(unknownRepo.status).toBe(422);
    expect(unknownRepo.json?.message).toBe('There is at least one repository that does not exist or is not accessible to the parent installation.');
    for (const permissions of [{ administration: 'write' }, { actions: 'write' }]) {
      const denied = await call(gh.url, 'POST', url, jwt(), { permissions });
      expect(denied.status).toBe(422);
      expect(denied.json?.message).toBe('The permissions requested are not granted to this installation.');
    }
    const malformed = await call(gh.url, 'POST', url, jwt(), { repositories: 'api' });
    expect(malformed.status).toBe(422);
    expect(malformed.json?.message).toMatch(/^Invalid request/);
    expect((await call(gh.url, 'POST', '/app/installations/77/access_tokens', jwt())).status).toBe(404);
  });

  it('revokes a token once, then answers Bad credentials', async () => {
    const { json } = await call(gh.url, 'POST', '/app/installations/1002/access_tokens', jwt());
    const auth = `token ${json?.token as string}`;
    const bot = await call(gh.url, 'GET', '/users/my-app%5Bbot%5D', auth);
    expect(bot.json).toMatchObject({ login: 'my-app[bot]', id: 987654321, type: 'Bot' });
    expect(gh.requests[gh.requests.length - 1].path).toBe('/users/my-app[bot]');
    const first = await call(gh.url, 'DELETE', '/installation/token', auth);
    expect(first.status).toBe(204);
    expect(first.json).toBeUndefined();
    expect(gh.tokens.get(json?.token as string)?.revoked).toBe(true);
    const second = await call(gh.url, 'DELETE', '/installation/token', auth);
    expect(second.status).toBe(401);
    expect(second.json?.message).toBe('Bad credentials');
    expect((await call(gh.url, 'GET', '/nothing/here', auth)).status).toBe(404);
  });
});

describe('fake GitHub options and faults', () => {
  it('serves under a GHES path prefix and issues stateless tokens', async () => {
    const ghes = await startFakeGitHub({ app: { privateKey: key.privateKeyPem }, pathPrefix: '/api/v3', tokenStyle: 'stateless' });
    try {
      expect(ghes.url).toBe(`http://127.0.0.1:${ghes.port}/api/v3`);
      expect((await call(ghes.origin, 'GET', '/users/octo-org')).status).toBe(404);
      const org = await call(ghes.url, 'GET', '/users/octo-org?x=1');
      expect(org.json).toMatchObject({ login: 'octo-org', type: 'Organization' });
      expect(ghes.requests.map((r) => r.path)).toEqual(['/users/octo-org', '/users/octo-org']);
      expect(ghes.requests[1].url).toBe('/api/v3/users/octo-org?x=1');
      const minted = await call(ghes.url, 'POST', '/app/installations/1001/access_tokens', `Bearer ${appJwt(key.privateKeyPem, 123456)}`);
      const token = minted.json?.token as string;
      expect(token.length).toBeGreaterThan(500);
      expect(token).toMatch(/^ghs_/);
      expect(token).toContain('.');
      expect(token).toContain('-');
      expect((await call(ghes.url, 'DELETE', '/installation/token', `Bearer ${token}`)).status).toBe(204);
      expect(ghes.requests[ghes.requests.length - 1].auth.kind).toBe('token');
    } finally {
      await ghes.close();
    }
  });

  it('applies status, reset, hang and delay faults, then behaves normally', async () => {
    const gh = await startFakeGitHub({ app: { publicKey: key.publicKeyPem } });
    try {
      gh.faults.push(serverError(502, { match: { path: '/users/octo-org' }, times: 2 }), rateLimited(30, { match: { method: 'get', path: /octo-user$/ } }));
      expect((await call(gh.url, 'GET', '/users/octo-user')).status).toBe(403);
      expect((await call(gh.url, 'GET', '/users/octo-org')).status).toBe(502);
      expect((await call(gh.url, 'GET', '/users/octo-org')).status).toBe(502);
      expect((await call(gh.url, 'GET', '/users/octo-org')).status).toBe(200);
      expect(gh.requests.map((r) => r.fault)).toEqual(['status', 'status', 'status', undefined]);
      gh.reset();
      gh.faults.push(rateLimited(30));
      const limited = await call(gh.url, 'GET', '/users/octo-user');
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(limited.headers.get('x-ratelimit-reset')) - nowS()).toBeGreaterThanOrEqual(28);
      expect(limited.json?.message).toMatch(/^API rate limit exceeded for installation ID 1001/);

      gh.faults.push(connectionReset());
      await expect(fetch(`${gh.url}/users/octo-org`)).rejects.toThrow();
      gh.faults.push(hang());
      await expect(fetch(`${gh.url}/users/octo-org`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
      expect(gh.requests.slice(-2).map((r) => [r.fault, r.status])).toEqual([['reset', 0], ['hang', 0]]);

      gh.faults.push(delay(400));
      const started = Date.now();
      expect((await call(gh.url, 'GET', '/users/octo-org')).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(390);
      expect(gh.faults).toHaveLength(0);
      gh.faults.push(hang());
      void fetch(`${gh.url}/users/octo-org`).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      const closing = Date.now();
      await gh.close();
      expect(Date.now() - closing).toBeLessThan(2000);
    }
  });

  it('tunnels through the proxy with CONNECT and forwards absolute-URI requests', async () => {
    const gh = await startFakeGitHub({ app: { publicKey: key.publicKeyPem } });
    const proxy = await startProxy();
    const agent = new ProxyAgent(proxy.url);
    try {
      const res = await undiciFetch(`${gh.url}/users/octo-user`, { dispatcher: agent });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { login: string }).login).toBe('octo-user');
      expect(proxy.seen[0]).toMatchObject({ method: 'CONNECT', target: `127.0.0.1:${gh.port}` });
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: proxy.port, path: `${gh.url}/users/octo-org`, method: 'GET' }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(proxy.seen[1]).toMatchObject({ method: 'GET', target: `${gh.url}/users/octo-org` });
      expect(gh.requests.map((r) => r.path)).toEqual(['/users/octo-user', '/users/octo-org']);
    } finally {
      await agent.close();
      await proxy.close();
      await gh.close();
    }
  });
});

describe('runner output parsing helpers', () => {
  it('parses file commands, workflow commands and masks like the runner', () => {
    const file = parseFileCommand('token<<ghadelimiter_1\nline1\nline2\nghadelimiter_1\nplain=a=b\n');
    expect(file).toEqual({ values: { token: 'line1\nline2', plain: 'a=b' }, errors: [] });
    expect(parseFileCommand('x<<EOF\nnever closed\n').errors).toEqual(["Matching delimiter not found 'EOF'"]);
    const stdout = 'early s3cr3t-value\n::add-mask::s3cr3t-value\n::warning file=a%3Ab.ts,line=2::50%25%0Adone\nlate s3cr3t-value\n';
    const { commands, masks } = parseWorkflowCommands(stdout);
    expect(masks).toEqual(['s3cr3t-value']);
    expect(commands[1]).toEqual({ command: 'warning', properties: { file: 'a:b.ts', line: '2' }, message: '50%\ndone', line: 2 });
    const log = maskedLog({ stdout, stderr: 'err s3cr3t-value' });
    expect(log).toContain('early s3cr3t-value');
    expect(log).toContain('late ***');
    expect(log).toContain('err ***');
    expect(log).not.toContain('::add-mask::');
    const pemLine = key.privateKeyPem.split('\n')[2];
    expect(findSecretLeaks(`log ${pemLine}`, [key.privateKeyPem, 'other-secret'])).toEqual([pemLine]);
    expect(findSecretLeaks('clean log', [key.privateKeyPem])).toEqual([]);
  });
});
