// The built action, run as the runner runs it, against the fake GitHub API: which installation, permissions, the JWT, masking, outputs, post, GHES.
import { describe, expect, it } from '@jest/globals';
import { startFakeGitHub, statusFault } from '../../fake-github/server.ts';
import { findSecretLeaks, generateAppKey, maskedLog, runAction, runStep } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();

function tokenBody(index = 1) {
  return s.gh.requests.filter((r) => r.method === 'POST')[index - 1]?.body as { repositories?: string[]; permissions?: Record<string, string> };
}

describe('which installation and which repositories', () => {
  it('defaults to the workflow repository, limited to it', async () => {
    const { main } = await s.run();
    expect(main.code).toBe(0);
    expect(routes(s.gh).slice(0, 2)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens']);
    expect(tokenBody()).toEqual({ repositories: ['app-token'] });
    expect(main.outputs).toMatchObject({ 'installation-id': '1001', 'app-slug': 'my-app', repositories: 'app-token' });
  });

  it('owner that is an organisation: every repository of the installation', async () => {
    const { main } = await s.run({ owner: 'octo-org' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)[0]).toBe('GET /users/octo-org/installation');
    expect(tokenBody()?.repositories).toBeUndefined();
    expect(tokenBody()?.permissions).toBeUndefined();
    expect(main.outputs['repositories']).toBe('');
  });

  it('owner that is a user', async () => {
    const { main } = await s.run({ owner: 'octo-user' });
    expect(main.code).toBe(0);
    expect(routes(s.gh).slice(0, 2)).toEqual(['GET /users/octo-user/installation', 'POST /app/installations/1002/access_tokens']);
    expect(main.outputs['installation-id']).toBe('1002');
  });

  it.each([
    ['comma', 'api, web'],
    ['newline', '\napi\n  web  \n\n']
  ])('owner + repositories, %s separated', async (_, repositories) => {
    const { main } = await s.run({ owner: 'octo-org', repositories });
    expect(main.code).toBe(0);
    expect(routes(s.gh)[0]).toBe('GET /repos/octo-org/api/installation');
    expect(tokenBody()).toEqual({ repositories: ['api', 'web'] });
    expect(main.outputs['repositories']).toBe('api\nweb');
  });

  it('repositories without owner use the workflow repository owner', async () => {
    const { main } = await s.run({ repositories: 'web' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)[0]).toBe('GET /repos/octo-org/web/installation');
    expect(tokenBody()).toEqual({ repositories: ['web'] });
  });
});

describe('permissions', () => {
  it('sends every non-empty permission input, hyphens as underscores, and ignores empty ones', async () => {
    const { main } = await s.run({ 'permission-pull-requests': 'write', 'permission-contents': 'read', 'permission-issues': '' });
    expect(main.code).toBe(0);
    expect(tokenBody().permissions).toEqual({ pull_requests: 'write', contents: 'read' });
    expect(JSON.parse(main.outputs['permissions'] ?? '')).toEqual({ pull_requests: 'write', contents: 'read' });
  });

  it('sends no permissions field when none is set, so the token inherits the app\'s', async () => {
    const { main } = await s.run();
    expect(tokenBody()).not.toHaveProperty('permissions');
    expect(JSON.parse(main.outputs['permissions'] ?? '')).toEqual(s.gh.app.permissions);
  });
});

describe('the JWT', () => {
  it('is RS256, iss as given, iat 60 s back, exp within 10 minutes of iat', async () => {
    const before = Math.floor(Date.now() / 1000);
    await s.run();
    const after = Math.floor(Date.now() / 1000);
    const jwtRequests = s.gh.requests.filter((r) => r.auth.kind === 'jwt');
    expect(jwtRequests).toHaveLength(2);
    for (const r of jwtRequests) {
      expect(r.status).toBeLessThan(300);
      const claims = r.auth.claims as { iss: unknown; iat: number; exp: number };
      expect(claims.iss).toBe(s.gh.app.clientId);
      expect(claims.iat).toBeGreaterThanOrEqual(before - 61);
      expect(claims.iat).toBeLessThanOrEqual(after - 59);
      expect(claims.exp - claims.iat).toBeLessThanOrEqual(600);
      expect(claims.exp).toBeGreaterThan(after);
    }
  });

  it('uses app-id as iss when client-id is empty (deprecated input)', async () => {
    const { main } = await s.run({ 'client-id': '', 'app-id': String(s.gh.app.id) });
    expect(main.code).toBe(0);
    expect(s.gh.requests[0]?.auth.claims?.iss).toBe(String(s.gh.app.id));
  });

  it.each([
    ['a PKCS#8 key', () => generateAppKey('pkcs8').privateKeyPem],
    ['a key with literal \\n', () => s.key.trim().replace(/\n/g, '\\n')]
  ])('accepts %s', async (_, makeKey) => {
    const key = makeKey();
    const gh = key.includes('BEGIN PRIVATE KEY') ? await startFakeGitHub({ app: { privateKey: key } }) : s.gh;
    try {
      const { main, post } = await runAction({ inputs: { 'client-id': gh.app.clientId, 'private-key': key }, env: { GITHUB_API_URL: gh.url } });
      expect(main.code).toBe(0);
      expect(post.code).toBe(0);
      expect(main.outputs['token']).toMatch(/^ghs_/);
      expect(findSecretLeaks(maskedLog(main) + maskedLog(post), [key, main.outputs['token'] ?? ''])).toEqual([]);
    } finally {
      if (gh !== s.gh) await gh.close();
    }
  });
});

describe('masking and outputs', () => {
  it('masks the token, the JWTs and every key line before any of them could be printed', async () => {
    const { main } = await s.run();
    const token = main.outputs['token'] ?? '';
    const jwts = s.gh.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token ?? '');
    expect(jwts.every(Boolean)).toBe(true);
    const keyLines = s.key.split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const secret of [token, ...jwts, ...keyLines]) expect(main.masks).toContain(secret);
    // each secret's add-mask line comes before any other line that mentions it
    const lines = main.stdout.split('\n');
    for (const secret of [token, ...jwts]) {
      const first = lines.findIndex((l) => l.includes(secret));
      expect(lines[first]).toBe(`::add-mask::${secret}`);
    }
    expect(main.stderr).not.toContain(token);
    expect(findSecretLeaks(maskedLog(main), [token, s.key, ...jwts])).toEqual([]);
    expect(findSecretLeaks(main.summary, [token, s.key, ...jwts])).toEqual([]);
  });

  it('sets token, installation-id, app-slug and expires-at as GitHub returned them', async () => {
    const { main } = await s.run();
    const issued = s.gh.tokens.get(main.outputs['token'] ?? '');
    expect(issued).toBeDefined();
    expect(main.outputs).toMatchObject({ 'installation-id': '1001', 'app-slug': 'my-app' });
    expect(main.outputs['expires-at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(main.outputs['expires-at'] ?? '')).toBe(issued!.expiresAt.getTime());
    expect(main.fileCommandErrors).toEqual([]);
  });

  it('saves the token and its expiry for post', async () => {
    const { main } = await s.run();
    expect(main.state['token']).toBe(main.outputs['token']);
    expect(main.state['expires-at']).toBe(main.outputs['expires-at']);
  });
});

describe('post', () => {
  it('revokes the same token, authenticated with the token itself', async () => {
    const { main, post } = await s.run();
    const token = main.outputs['token'] ?? '';
    const del = s.gh.requests.filter((r) => r.method === 'DELETE');
    expect(del).toHaveLength(1);
    expect(del[0]?.path).toBe('/installation/token');
    expect(del[0]?.auth.token).toBe(token);
    expect(del[0]?.status).toBe(204);
    expect(s.gh.tokens.get(token)?.revoked).toBe(true);
    expect(post.stdout).toContain('Token revoked.');
    expect(post.code).toBe(0);
  });

  it('skip-token-revoke: says so and sends nothing', async () => {
    const { main, post } = await s.run({ 'skip-token-revoke': 'true' });
    expect(s.gh.requests.some((r) => r.method === 'DELETE')).toBe(false);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(false);
    expect(post.stdout).toMatch(/Token not revoked: 'skip-token-revoke' is true/);
    expect(post.code).toBe(0);
  });

  it('skips a token that has already expired', async () => {
    const post = await s.post({ inputs: s.base(), state: { token: 'ghs_expired0000000000000000000000000000', 'expires-at': '2020-01-01T00:00:00Z', 'api-url': s.gh.url } });
    expect(post.stdout).toMatch(/Token not revoked: it already expired at 2020-01-01T00:00:00Z/);
    expect(s.gh.requests).toHaveLength(0);
    expect(post.code).toBe(0);
  });

  it('says there is nothing to revoke when main saved nothing', async () => {
    const post = await s.post({ inputs: s.base(), state: {} });
    expect(post.stdout).toMatch(/No token to revoke/);
    expect(errors(post)).toEqual([]);
    expect(s.gh.requests).toHaveLength(0);
  });

  it('turns a failed revoke into a warning carrying GitHub\'s message, not a failure', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    // (a 401, already revoked, is an info line)
    s.gh.faults.push(statusFault(403, { body: { message: 'Resource not accessible by integration' }, match: { method: 'DELETE' } }));
    const post = await s.post({ inputs: s.base(), state: { token: 'ghs_unknown000000000000000000000000000', 'expires-at': future, 'api-url': s.gh.url } });
    expect(post.code).toBe(0);
    expect(errors(post)).toEqual([]);
    expect(warnings(post)).toHaveLength(1);
    expect(warnings(post)[0]).toMatch(/Could not revoke the installation token: DELETE \/installation\/token failed: 403 Resource not accessible by integration/);
    expect(warnings(post)[0]).not.toContain('ghs_unknown');
  });
});

describe('GitHub Enterprise Server', () => {
  it('sends every request under github-api-url, trailing slash or not', async () => {
    const ghes = await startFakeGitHub({ app: { privateKey: s.key }, pathPrefix: '/api/v3' });
    try {
      for (const url of [`${ghes.url}/`, ghes.url]) {
        ghes.reset();
        const { main, post } = await runAction({
          inputs: { 'client-id': ghes.app.clientId, 'private-key': s.key, 'github-api-url': url },
          env: { GITHUB_API_URL: 'http://127.0.0.1:9/unreachable' }
        });
        expect(main.code).toBe(0);
        expect(post.code).toBe(0);
        expect(ghes.requests.map((r) => r.url.split('?')[0])).toEqual([
          '/api/v3/repos/octo-org/app-token/installation',
          '/api/v3/app/installations/1001/access_tokens',
          '/api/v3/installation/token'
        ]);
      }
    } finally {
      await ghes.close();
    }
  });
});

describe('a failure', () => {
  it('is one ::error annotation, exit code 1, no token and nothing to revoke', async () => {
    const main = await runStep('main', { inputs: { ...s.base(), owner: 'nobody-here' }, env: { GITHUB_API_URL: s.gh.url } });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/The app is not installed on the account 'nobody-here'/)]);
    expect(main.outputs['token']).toBeUndefined();
    expect(main.state).toEqual({});
  });
});
