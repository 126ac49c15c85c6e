// What each of GitHub's refusals of a token becomes, through createToken against the fake GitHub on a
// real socket: one message naming the repositories, permissions or installation, and the fix.
import { describe, expect, it } from '@jest/globals';
import { createToken } from '../../src/token.ts';
import { serverError, statusFault, type Fault } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();
const onCreate = { match: { method: 'POST' } };
const REPOSITORY_422 = { message: 'There is at least one repository that does not exist or is not accessible to the parent installation.' };

async function create(inputs: Record<string, string>, faults: Fault[] = [], id = 1001, granted?: Record<string, string>) {
  t.gh.faults.push(...faults);
  const { github, settings } = await t.client(inputs);
  return createToken(github, { id, appSlug: 'my-app', account: 'octo-org', ...(granted ? { permissions: granted } : {}) }, settings);
}

/** What the fake's installation 1001 was granted, as its lookup returns it. */
const GRANTED = { actions: 'read', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' };

describe("GitHub's refusals, explained", () => {
  it.each([
    ['a retired permission GitHub no longer knows (422)', { owner: 'octo-org', 'permission-team-discussions': 'read' }, [statusFault(422, { body: { message: 'Invalid request. "team_discussions" is not a permitted key.' }, ...onCreate })], /^GitHub refused a token with the retired permission 'team_discussions' \(input 'permission-team-discussions'\).*Remove 'permission-team-discussions'/],
    ['unknown repository (422)', { owner: 'octo-org', repositories: 'api' }, [statusFault(422, { body: REPOSITORY_422, ...onCreate })], /GitHub refused a token for repositories api: There is at least one repository/],
    ['a long list of refused repositories, cut', { owner: 'octo-org', repositories: ['api', ...Array.from({ length: 29 }, (_, i) => `r${i}`)].join(',') }, [statusFault(422, { body: REPOSITORY_422, ...onCreate })], /repositories api, r0, r1, r2, r3, r4, r5, r6, r7, r8 and 20 more: /],
    ['ungranted permission (422)', { 'permission-administration': 'write' }, [], /GitHub refused a token with permissions administration: write: The permissions requested are not granted/],
    ['suspended or restricted (403)', {}, [statusFault(403, { body: { message: 'This installation has been suspended' }, ...onCreate })], /GitHub refused to create a token for the installation on 'octo-org' \(403: This installation has been suspended\)/],
    ['a success that is not a token', {}, [statusFault(201, { body: { not_a_token: true }, ...onCreate })], /^The answer to POST \/app\/installations\/1001\/access_tokens was not an installation token\. Check that 'github-api-url'/]
  ])('%s', async (_, inputs, faults, message) => {
    await expect(create(inputs as Record<string, string>, faults as Fault[])).rejects.toThrow(message as RegExp);
  });

  it.each([
    ['missing and lower grants by input name, and that an owner accepts new ones', { 'permission-administration': 'write', 'permission-actions': 'write', 'permission-issues': 'read' }, /^GitHub refused a token with permissions that the installation on 'octo-org' lacks: permission-actions: write \(granted: read\), permission-administration: write \(granted: none\)\. The permissions requested are not granted.*an owner of the account must then accept the new permissions on the installation/]
  ])('a refused permission (422) with the installation looked up: %s', async (_, inputs, message) => {
    await expect(create(inputs, [], 1001, GRANTED)).rejects.toThrow(message);
  });

  it('refused repositories (422): the names are looked up with the JWT, and those the installation cannot see named', async () => {
    await expect(create({ owner: 'octo-org', repositories: 'api, ghost' })).rejects.toThrow(
      /^GitHub refused a token for repositories api, ghost: There is at least one .* The installation cannot see octo-org\/ghost: it does not exist, or the app's installation was not given access to it\. Check the names/
    );
    expect(t.gh.requests.map((q) => `${q.method} ${q.path} ${q.auth.kind}`)).toEqual([
      'POST /app/installations/1001/access_tokens jwt',
      'GET /repos/octo-org/api/installation jwt',
      'GET /repos/octo-org/ghost/installation jwt'
    ]);
  });

  it('refused repositories (422): a lookup that fails too names nothing', async () => {
    await expect(create({ owner: 'octo-org', repositories: 'api, ghost' }, [serverError(500, { match: { path: '/repos/octo-org/ghost/installation' }, times: Infinity })])).rejects.toThrow(
      /: There is at least one repository that does not exist or is not accessible to the parent installation\. Check the names in 'repositories'/
    );
  });

  it('refused repositories (422): at most 10 lookups, said so', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `gone-${i}`);
    await expect(create({ owner: 'octo-org', repositories: names.join(',') })).rejects.toThrow(/The installation cannot see octo-org\/gone-0, .*octo-org\/gone-9 \(of the first 10 names\)/);
    expect(t.gh.requests.filter((q) => q.method === 'GET')).toHaveLength(10);
  });

  it('an HTML 403 is not a suspended installation', async () => {
    await expect(create({}, [statusFault(403, { body: '<html>Forbidden</html>', headers: { 'content-type': 'text/html' }, ...onCreate })])).rejects.toThrow(/^POST \/app\/installations\/1001\/access_tokens failed: 403 \(an HTML page, not GitHub's JSON\)/);
  });

  it('an installation-id the app does not have (404)', async () => {
    await expect(create({ 'installation-id': '999' }, [], 999)).rejects.toThrow(/^Input 'installation-id' is 999, but this app has no installation with that ID/);
  });
});
