// Creating the installation token, against the fake GitHub on a real socket: what GitHub grants,
// and what each of its refusals becomes (naming the repositories, permissions or installation).
import { describe, expect, it } from '@jest/globals';
import { createToken } from '../../src/token.ts';
import { statusFault, type Fault } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();
const onCreate = { match: { method: 'POST' } };
const REPOSITORY_422 = { message: 'There is at least one repository that does not exist or is not accessible to the parent installation.' };

async function create(inputs: Record<string, string>, faults: Fault[] = [], id = 1001) {
  t.gh.faults.push(...faults);
  const { github, settings } = await t.client(inputs);
  return createToken(github, { id, appSlug: 'my-app', account: 'octo-org' }, settings);
}

describe('the token GitHub grants', () => {
  it('limited to the repositories and permissions asked for', async () => {
    const token = await create({ repositories: 'api,web', 'permission-issues': 'write' });
    expect(token).toMatchObject({ permissions: { issues: 'write' }, repositories: ['api', 'web'] });
    expect(t.gh.requests.map((q) => [q.path, q.body])).toEqual([['/app/installations/1001/access_tokens', { repositories: ['api', 'web'], permissions: { issues: 'write' } }]]);
  });
});

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

  it('an installation-id the app does not have (404)', async () => {
    await expect(create({ 'installation-id': '999' }, [], 999)).rejects.toThrow(/^Input 'installation-id' is 999, but this app has no installation with that ID/);
  });
});
