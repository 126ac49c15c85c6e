// Drop-in for create-github-app-token 3.2: `enterprise`, the ghec permission inputs, and
// the retired permission inputs the official action declared, run as the built action.
import { describe, expect, it } from '@jest/globals';
import { appJwt, DEFAULT_APP_PERMISSIONS, DEFAULT_INSTALLATIONS, statusFault } from '../../fake-github/server.ts';
import { ENTERPRISE_INSTALLATION } from '../../fake-github/enterprise.ts';
import { maskedLog, readActionMetadata } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub({
  installations: [...DEFAULT_INSTALLATIONS, ENTERPRISE_INSTALLATION],
  app: { permissions: { ...DEFAULT_APP_PERMISSIONS, enterprise_administration: 'write', enterprise_organization_installations: 'read', team_discussions: 'write' } }
});

const ENTERPRISE_ROUTES = ['GET /enterprises/octo-enterprise/installation', 'POST /app/installations/3001/access_tokens'];

describe('enterprise', () => {
  it('finds the installation on the enterprise and mints with a body of permissions only: 2 requests', async () => {
    const { main, post } = await s.run({ enterprise: 'octo-enterprise', 'permission-enterprise-administration': 'read' });
    expect(main.code).toBe(0);
    expect(errors(main)).toEqual([]);
    expect(routes(s.gh)).toEqual([...ENTERPRISE_ROUTES, 'DELETE /installation/token']);
    expect(s.gh.requests.filter((r) => r.method !== 'DELETE')).toHaveLength(2);
    expect(s.gh.requests[0]?.auth.kind).toBe('jwt');
    expect(s.gh.requests[1]?.body).toEqual({ permissions: { enterprise_administration: 'read' } });
    expect(main.outputs).toMatchObject({ 'installation-id': '3001', 'app-slug': 'my-app', repositories: '', permissions: '{"enterprise_administration":"read"}' });
    expect(main.outputs['token']).toMatch(/^ghs_/);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')).toMatchObject({ installationId: 3001, revoked: true });
    expect(post.code).toBe(0);
    expect(maskedLog(main)).toContain(
      `Token for app 'my-app', installation 3001 on enterprise 'octo-enterprise'; repositories: none (an enterprise installation); permissions: enterprise_administration: read; expires at ${main.outputs['expires-at']}.`
    );
    expect(main.summary).toMatch(/\| Enterprise \| octo-enterprise \|/);
    expect(main.summary).toMatch(/\| Repositories \| none \(an enterprise installation\) \|/);
    expect(main.summary).not.toMatch(/\| Account \|/);
  });

  it('sends no repositories without permission inputs either (the token inherits the installation\'s permissions)', async () => {
    const { main } = await s.run({ enterprise: 'octo-enterprise' });
    expect(main.code).toBe(0);
    expect(routes(s.gh).slice(0, 2)).toEqual(ENTERPRISE_ROUTES);
    const body = (s.gh.requests[1]?.body ?? {}) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([]);
  });

  it.each([
    ['owner', { owner: 'octo-org' }, /Remove 'owner' for a token for the enterprise 'octo-enterprise', or remove 'enterprise' to mint from the installation on 'owner'\.$/],
    ['repositories', { repositories: 'api' }, /Remove 'repositories' for a token for the enterprise 'octo-enterprise', or remove 'enterprise' for a token limited to repositories/],
    ['repository-ids', { 'repository-ids': '123' }, /Remove 'repository-ids' for a token for the enterprise 'octo-enterprise', or remove 'enterprise'/],
    ['installation-id', { 'installation-id': '3001' }, /'enterprise' already finds the installation\. Remove 'installation-id' for a token for the enterprise 'octo-enterprise', or remove 'enterprise' to mint from the installation with that ID\.$/]
  ])('cannot be combined with %s: one message naming both, before any request', async (name, extra, fix) => {
    const { main } = await s.run({ enterprise: 'octo-enterprise', ...extra });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(new RegExp(`^Inputs 'enterprise' and '${name}' cannot be used together: `))]);
    expect(errors(main)[0]).toMatch(fix);
    expect(s.gh.requests).toHaveLength(0);
  });

  it('names the first conflict when several inputs clash, still one message', async () => {
    const { main } = await s.run({ enterprise: 'octo-enterprise', owner: 'octo-org', repositories: 'api' });
    expect(errors(main)).toEqual([expect.stringMatching(/^Inputs 'enterprise' and 'owner' cannot be used together/)]);
    expect(s.gh.requests).toHaveLength(0);
  });

  it.each([
    ['Octo-Enterprise', / Did you mean 'octo-enterprise'\?$/],
    ['octo enterprise', /lowercase letters, digits and hyphens/],
    ['-octo', /not an enterprise slug/],
    ['octo/enterprise', /not an enterprise slug/],
    ['octo_enterprise', /not an enterprise slug/]
  ])('refuses the slug %j before any request', async (slug, message) => {
    const { main } = await s.run({ enterprise: slug });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/^Input 'enterprise' \('.*'\) is not an enterprise slug: /)]);
    expect(errors(main)[0]).toMatch(message);
    expect(s.gh.requests).toHaveLength(0);
  });

  it('says the app is not installed on the enterprise, and how to install it, on a 404', async () => {
    const { main, post } = await s.run({ enterprise: 'other-enterprise' });
    expect(main.code).toBe(1);
    expect(routes(s.gh)).toEqual(['GET /enterprises/other-enterprise/installation']);
    expect(errors(main)).toEqual([
      expect.stringMatching(/^The app is not installed on the enterprise 'other-enterprise': GitHub answered 404 to GET \/enterprises\/other-enterprise\/installation\. An enterprise owner installs it from the app's page .*choosing the enterprise.*Or fix 'enterprise'/)
    ]);
    expect(post.code).toBe(0);
  });

  it('an enterprise installation given by installation-id and looked up for bot-identity is named as the enterprise', async () => {
    const { main } = await s.run({ 'installation-id': '3001', 'bot-identity': 'true' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['POST /app/installations/3001/access_tokens', 'GET /app/installations/3001', 'GET /users/my-app[bot]', 'DELETE /installation/token']);
    expect(maskedLog(main)).toContain("installation 3001 on enterprise 'octo-enterprise'; repositories: none (an enterprise installation);");
  });

  it('bot-identity works with an enterprise token', async () => {
    const { main } = await s.run({ enterprise: 'octo-enterprise', 'bot-identity': 'true' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual([...ENTERPRISE_ROUTES, 'GET /users/my-app[bot]', 'DELETE /installation/token']);
    expect(main.outputs['bot-name']).toBe('my-app[bot]');
  });
});

describe('permission inputs of every description', () => {
  it('passes a ghec permission on to GitHub as given', async () => {
    const { main } = await s.run({ enterprise: 'octo-enterprise', 'permission-enterprise-organization-installations': 'Read' });
    expect(main.code).toBe(0);
    expect(s.gh.requests[1]?.body).toEqual({ permissions: { enterprise_organization_installations: 'read' } });
    expect(JSON.parse(main.outputs['permissions'] ?? '')).toEqual({ enterprise_organization_installations: 'read' });
  });

  it('declares the ghec permission inputs as for enterprise installations on GitHub Enterprise Cloud', () => {
    const inputs = readActionMetadata().inputs ?? {};
    for (const name of ['permission-enterprise-administration', 'permission-enterprise-organization-installations', 'permission-enterprise-organization-installation-repositories']) {
      expect((inputs[name] as { description?: string } | null)?.description).toMatch(/For enterprise installations on GitHub Enterprise Cloud/);
    }
  });
});

describe('retired permission inputs', () => {
  const retired = () => readActionMetadata().inputs?.['permission-team-discussions'] as { description?: string; deprecationMessage?: string } | undefined;

  it('declares permission-team-discussions (create-github-app-token 3.1.1 did) with a deprecationMessage', () => {
    expect(retired()?.description).toMatch(/^Retired: /);
    expect(retired()?.deprecationMessage).toMatch(/^'permission-team-discussions' is retired: GitHub's API description no longer lists the 'team_discussions' permission\. It is still sent as given/);
  });

  it('accepts it and passes it on to GitHub as given', async () => {
    const { main } = await s.run({ owner: 'octo-org', 'permission-team-discussions': 'write', 'permission-contents': 'read' });
    expect(main.code).toBe(0);
    expect(errors(main)).toEqual([]);
    expect(warnings(main)).toEqual([]);
    expect(routes(s.gh)).toEqual(['GET /users/octo-org/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(s.gh.requests[1]?.body).toEqual({ permissions: { contents: 'read', team_discussions: 'write' } });
  });

  it('explains a 422 that names it: GitHub no longer knows it, remove the input', async () => {
    s.gh.faults.push(statusFault(422, { body: { message: 'Invalid request.\n\n"team_discussions" is not a permitted key.' }, match: { method: 'POST' } }));
    const { main, post } = await s.run({ owner: 'octo-org', 'permission-team-discussions': 'read' });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([
      expect.stringMatching(
        /^GitHub refused a token with the retired permission 'team_discussions' \(input 'permission-team-discussions'\): Invalid request\.(?:\\n)+"team_discussions" is not a permitted key\. GitHub no longer knows this permission .*@octokit\/openapi 23\.0\.0.*Remove 'permission-team-discussions' from the workflow\.$/
      )
    ]);
    expect(post.code).toBe(0);
  });

  it('leaves a 422 about another permission to the usual explanation', async () => {
    const { main } = await s.run({ owner: 'octo-org', 'permission-team-discussions': 'read', 'permission-administration': 'write' });
    expect(errors(main)).toEqual([expect.stringMatching(/^GitHub refused a token with permissions that the installation on 'octo-org' lacks: permission-administration: write \(granted: none\)\. The permissions requested are not granted/)]);
  });
});

describe('the fake GitHub, for enterprises', () => {
  const call = async (method: string, path: string, body?: unknown, auth = `Bearer ${appJwt(s.key, s.gh.app.id, Date.now())}`) => {
    const res = await fetch(s.gh.url + path, { method, headers: { authorization: auth, 'x-github-api-version': '2022-11-28' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('answers the enterprise lookup with an enterprise account (slug, no login), and only with the JWT', async () => {
    const found = await call('GET', '/enterprises/octo-enterprise/installation');
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({ id: 3001, target_type: 'Enterprise', app_slug: 'my-app', account: { slug: 'octo-enterprise' } });
    expect(found.json['account']).not.toHaveProperty('login');
    expect((await call('GET', '/enterprises/nope/installation')).status).toBe(404);
    expect((await call('GET', '/enterprises/octo-enterprise/installation', undefined, 'token ghs_nope')).status).toBe(401);
    expect((await call('GET', '/users/octo-enterprise/installation')).status).toBe(404);
  });

  it('refuses repositories in a token request for an enterprise installation', async () => {
    expect((await call('POST', '/app/installations/3001/access_tokens', { repositories: ['api'] })).status).toBe(422);
    const minted = await call('POST', '/app/installations/3001/access_tokens', { permissions: { enterprise_administration: 'read' } });
    expect(minted.status).toBe(201);
    expect(minted.json).toMatchObject({ repository_selection: 'selected', permissions: { enterprise_administration: 'read' } });
    expect(minted.json).not.toHaveProperty('repositories');
  });
});
