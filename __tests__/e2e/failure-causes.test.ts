// Failures whose first reading misleads, run through the built action: each message names the
// real cause. An answer that is not GitHub's JSON (a GHES URL without /api/v3, a login page) is
// not "the app is not installed"; a refused permission is named by its input and by what the
// installation has; a refused repository is found by name; a dead proxy is named as the proxy;
// an app's slug in 'client-id' is called one.
import { describe, expect, it } from '@jest/globals';
import { statusFault } from '../../fake-github/server.ts';
import { findSecretLeaks, maskedLog, type StepResult } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

/** Exit code 1 and exactly one ::error, returned; post has nothing to revoke. */
function oneError(main: StepResult, post: StepResult): string {
  expect(main.code).toBe(1);
  expect(errors(main)).toHaveLength(1);
  expect(warnings(main)).toEqual([]);
  expect(post.code).toBe(0);
  expect(post.stdout).toContain('No token to revoke');
  return errors(main)[0] ?? '';
}

const HTML_404 = '<!DOCTYPE html>\n<html><head><title>Page not found · GitHub</title></head><body><h1>404</h1></body></html>';

describe("an answer that is not GitHub's JSON", () => {
  const s = useFakeGitHub({ pathPrefix: '/api/v3' });

  it("a GitHub Enterprise Server URL without /api/v3: the server's HTML 404 page is named, with the API root to use", async () => {
    const withoutApi = s.gh.url.replace(/\/api\/v3$/, '');
    s.gh.faults.push(statusFault(404, { body: HTML_404, headers: { 'content-type': 'text/html; charset=utf-8' }, match: { path: /^\/repos\// }, times: Infinity }));
    const { main, post } = await s.run({ 'github-api-url': withoutApi }, { GITHUB_API_URL: withoutApi });
    const message = oneError(main, post);
    expect(message).toBe(
      `GET /repos/octo-org/app-token/installation failed: 404 (an HTML page, not GitHub's JSON). This is not GitHub's REST API: check that 'github-api-url' ('${withoutApi}') is the API root, https://<host>/api/v3 on GitHub Enterprise Server (https://api.github.com on github.com).`
    );
    expect(message).not.toContain('not installed');
    expect(message).not.toContain('DOCTYPE');
    expect(s.gh.requests.map((r) => r.url)).toEqual(['/repos/octo-org/app-token/installation']);
  });

  it('a redirect to a login page: the page and where the redirect went are named', async () => {
    s.gh.faults.push(
      statusFault(302, { body: '', headers: { location: '/login?return_to=%2Fapi%2Fv3' }, match: { path: '/repos/octo-org/app-token/installation' } }),
      statusFault(200, { body: '<html><body><form action="/session">Sign in</form></body></html>', headers: { 'content-type': 'text/html' }, match: { path: '/login' } })
    );
    const { main, post } = await s.run();
    const message = oneError(main, post);
    expect(message).toMatch(/^GET \/repos\/octo-org\/app-token\/installation failed: 200 \(an HTML page, not GitHub's JSON, after a redirect to \/login\)\. This is not GitHub's REST API: check that 'github-api-url' \('http:\/\/127\.0\.0\.1:\d+\/api\/v3'\) is the API root/);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'GET /login']);
  });
});

describe('GitHub refuses what was asked for', () => {
  const s = useFakeGitHub();

  it('permissions (422): only those the installation lacks, by input name, with what it has, and that an owner must accept new ones', async () => {
    // the fake app has issues: write and actions: read, no administration
    const { main, post } = await s.run({ 'permission-issues': 'write', 'permission-actions': 'write', 'permission-administration': 'read' });
    const message = oneError(main, post);
    expect(message).toMatch(
      /^GitHub refused a token with permissions that the installation on 'octo-org' lacks: permission-actions: write \(granted: read\), permission-administration: read \(granted: none\)\. The permissions requested are not granted/
    );
    expect(message).not.toContain('permission-issues');
    expect(message).toContain('an owner of the account must then accept the new permissions on the installation');
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens']);
  });

  it('repositories (422) with owner: the names the installation cannot see are looked up and named', async () => {
    const { main, post } = await s.run({ owner: 'octo-org', repositories: 'api, ghost, web, Spectre' });
    const message = oneError(main, post);
    expect(message).toMatch(/^GitHub refused a token for repositories api, ghost, web, Spectre: There is at least one repository that does not exist or is not accessible/);
    expect(message).toContain('The installation cannot see octo-org/ghost, octo-org/Spectre: it does not exist, or the app\'s installation was not given access to it.');
    // after the refusal, one lookup per name, in the order given
    expect(routes(s.gh)).toEqual([
      'GET /repos/octo-org/api/installation',
      'POST /app/installations/1001/access_tokens',
      ...['api', 'ghost', 'web', 'Spectre'].map((name) => `GET /repos/octo-org/${name}/installation`)
    ]);
    // the lookups go out with the app's JWT, never with a token (none was minted)
    expect(s.gh.requests.every((r) => r.auth.kind === 'jwt')).toBe(true);
  });

  it('repositories (422): the lookups stop at the first 10 names', async () => {
    const names = Array.from({ length: 14 }, (_, i) => `gone-${i}`);
    const { main, post } = await s.run({ owner: 'octo-org', repositories: ['api', ...names].join(',') });
    const message = oneError(main, post);
    expect(message).toContain(`The installation cannot see ${names.slice(0, 9).map((n) => `octo-org/${n}`).join(', ')} (of the first 10 names)`);
    expect(s.gh.requests.filter((r) => r.method === 'GET')).toHaveLength(1 + 10);
  });
});

describe('a dead proxy', () => {
  const s = useFakeGitHub();
  // Loopback never goes through a proxy: the API is a name only a proxy could resolve.
  const apiUrl = 'https://api.github.invalid';

  it.each([
    ['HTTPS_PROXY', 'http://127.0.0.1:9'],
    ['https_proxy', 'http://proxy-user:proxy-pass-5678@127.0.0.1:9']
  ])('%s: the address is named as the proxy, with how to bypass it, and no proxy password', async (variable, proxy) => {
    const { main, post } = await s.run({ 'github-api-url': apiUrl }, { [variable]: proxy });
    const message = oneError(main, post);
    expect(message).toMatch(/^GET \/repos\/octo-org\/app-token\/installation failed: no answer \(.*ECONNREFUSED.*\) \(gave up after 4 attempts\)\./);
    expect(message).toContain(
      `The request went to the proxy from ${variable} (127.0.0.1:9), which did not answer or could not reach api.github.invalid: check that the proxy runs and that the runner can reach it, or bypass it for this host by adding 'api.github.invalid' to NO_PROXY.`
    );
    expect(findSecretLeaks(maskedLog(main) + main.stderr, ['proxy-pass-5678'])).toEqual([]);
    expect(s.gh.requests).toEqual([]);
  });
});

describe("an app's slug in client-id", () => {
  const s = useFakeGitHub();

  it('GitHub rejects it (401), and the message says it looks like a slug and where the client ID is', async () => {
    const { main, post } = await s.run({ 'client-id': 'my-app' });
    const message = oneError(main, post);
    expect(message).toMatch(/^GitHub rejected the app's credentials \(401: Integration not found\)\. Check that 'client-id' \('my-app'\)/);
    expect(message).toContain("'my-app' looks like the app's slug (the name in https://github.com/apps/<slug>), not its client ID: copy the Client ID (Iv…) from the app's settings page");
  });

  it.each(['Iv23liNotThisApp00', '424242'])('a client ID or app ID GitHub does not know (%s) gets no slug hint', async (clientId) => {
    const { main, post } = await s.run({ 'client-id': clientId });
    expect(oneError(main, post)).not.toContain('slug');
  });
});
