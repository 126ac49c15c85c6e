// Which installation a token comes from, against the fake GitHub on a real socket: the lookups,
// and what each of GitHub's refusals becomes (naming the owner/repository and the fix).
import { describe, expect, it } from '@jest/globals';
import { describeInstallation, findInstallation } from '../../src/installation.ts';
import { statusFault } from '../../fake-github/server.ts';
import { startFakeGitHub } from '../../fake-github/server.ts';
import { createGitHub } from '../../src/github.ts';
import { signAppJwt } from '../../src/app-jwt.ts';
import { parsePrivateKey } from '../../src/private-key.ts';
import { readSettings } from '../../src/inputs.ts';
import { NO_DELAY_RETRY, useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();

async function lookup(inputs: Record<string, string>) {
  const { github, settings } = await t.client(inputs);
  return findInstallation(github, settings);
}

describe('finding the installation', () => {
  it('by repository, by account, and not at all with installation-id', async () => {
    // with what the installation was granted, to explain a refused permission later
    const permissions = { actions: 'read', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' };
    await expect(lookup({})).resolves.toEqual({ id: 1001, appSlug: 'my-app', account: 'octo-org', permissions });
    await expect(lookup({ owner: 'octo-org' })).resolves.toEqual({ id: 1001, appSlug: 'my-app', account: 'octo-org', permissions });
    expect(t.gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /repos/octo-org/app-token/installation', 'GET /users/octo-org/installation']);
    await expect(lookup({ 'installation-id': '1001' })).resolves.toEqual({ id: 1001, appSlug: '', account: '' });
    expect(t.gh.requests).toHaveLength(2);
  });

  it('by ID, for the app slug', async () => {
    const { github, settings } = await t.client({ 'installation-id': '1001' });
    await expect(describeInstallation(github, 1001, settings)).resolves.toEqual({ id: 1001, appSlug: 'my-app', account: 'octo-org', permissions: { actions: 'read', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' } });
  });
});

describe("GitHub's refusals, explained", () => {
  it.each([
    ['app not on the repository', { repositories: 'missing' }, [], /The app is not installed on octo-org\/missing .*GET \/repos\/octo-org\/missing\/installation/],
    ['app not on the account', { owner: 'nobody' }, [], /The app is not installed on the account 'nobody'/],
    ['app not on the enterprise', { enterprise: 'nowhere' }, [], /^The app is not installed on the enterprise 'nowhere': GitHub answered 404 to GET \/enterprises\/nowhere\/installation\./],
    ['an app slug in client-id (401): said to look like one, with where the client ID is', { 'client-id': 'my-app' }, [], /rejected the app's credentials \(401: .*'my-app' looks like the app's slug .*copy the Client ID \(Iv…\)/],
    ['an HTML 404 is not "not installed"', {}, [statusFault(404, { body: '<!DOCTYPE html><html><body>Page not found</body></html>', headers: { 'content-type': 'text/html' } })], /^GET \/repos\/octo-org\/app-token\/installation failed: 404 \(an HTML page, not GitHub's JSON\)\. This is not GitHub's REST API/],
    ['an HTML 404 for an enterprise is not "not installed" either', { enterprise: 'nowhere' }, [statusFault(404, { body: '<html></html>', headers: { 'content-type': 'text/html' } })], /^GET \/enterprises\/nowhere\/installation failed: 404 \(an HTML page/],
    ['an empty 401 is not about the app\'s credentials', {}, [statusFault(401, { body: '' })], /failed: 401 \(an empty body, not GitHub's JSON\)\. This is not GitHub's REST API/],
    ['a redirect without Location', {}, [statusFault(302, { body: '' })], /GET \/repos\/octo-org\/app-token\/installation failed: 302 a redirect without a Location$/],
    ['a success that is not an installation', {}, [statusFault(200, { body: { hello: 'captive portal' } })], /^The answer to GET \/repos\/octo-org\/app-token\/installation was not an installation/]
  ])('%s', async (_, inputs, faults, message) => {
    t.gh.faults.push(...faults);
    await expect(lookup(inputs as Record<string, string>)).rejects.toThrow(message as RegExp);
  });

  it('an installation-id looked up for its slug, answered by an HTML page, is not "no such installation"', async () => {
    t.gh.faults.push(statusFault(404, { body: '<html></html>', headers: { 'content-type': 'text/html' } }));
    const { github, settings } = await t.client({ 'installation-id': '1001' });
    await expect(describeInstallation(github, 1001, settings)).rejects.toThrow(/^GET \/app\/installations\/1001 failed: 404 \(an HTML page/);
  });

});

describe("an enterprise's installation", () => {
  it('is found by the slug, and its token reaches no repository', async () => {
    const gh = await startFakeGitHub({ app: { privateKey: t.key }, installations: [{ id: 3001, account: 'octo-enterprise', accountType: 'Enterprise', repositories: [] }] });
    try {
      const settings = readSettings(t.env({ enterprise: 'octo-enterprise' }, { GITHUB_API_URL: gh.url }));
      const log = { debug: () => undefined, info: () => undefined, warning: () => undefined, warn: () => undefined, error: () => undefined };
      const signJwt = (now: number) => signAppJwt(parsePrivateKey(t.key), settings.issuer, now);
      const github = await createGitHub({ baseUrl: gh.url, signJwt, retry: NO_DELAY_RETRY, log, octokitLog: log, env: {} });
      await expect(findInstallation(github, settings)).resolves.toMatchObject({ id: 3001, account: 'octo-enterprise', enterprise: true });
      expect(gh.requests.map((q) => q.path)).toEqual(['/enterprises/octo-enterprise/installation']);
    } finally {
      await gh.close();
    }
  });
});
