// `repository-ids` limits the token by repository ID, alone or with `repositories`.
import { describe, expect, it } from '@jest/globals';
import { numericId } from '../../fake-github/objects.ts';
import { maskedLog } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();
/** The ID the fake gives octo-org/<name>. */
const id = (name: string) => numericId(`octo-org/${name}`, 100_000_000);
const createBody = () => s.gh.requests.find((r) => r.method === 'POST')?.body;

describe('repository-ids', () => {
  it('with owner: two requests, the IDs in the body, the names GitHub answered with in the output', async () => {
    const { main, post } = await s.run({ owner: 'octo-org', 'repository-ids': `${id('api')}, ${id('web')}` });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['GET /users/octo-org/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(createBody()).toEqual({ repository_ids: [id('api'), id('web')] });
    expect(main.outputs['repositories']).toBe('api\nweb');
    expect(maskedLog(main)).toContain("on 'octo-org'; repositories: api, web;");
    expect(main.summary).toMatch(/\| Repositories \| api, web \|/);
    expect(post.code).toBe(0);
    expect([...errors(main), ...warnings(main)]).toEqual([]);
  });

  it('takes newlines, drops duplicates and blank entries', async () => {
    const { main } = await s.run({ owner: 'octo-org', 'repository-ids': `\n${id('web')}\n\n${id('web')}\n${id('api')},\n` });
    expect(main.code).toBe(0);
    expect(createBody()).toEqual({ repository_ids: [id('web'), id('api')] });
  });

  it.each([
    ['GITHUB_REPOSITORY_OWNER', {}],
    ['GITHUB_REPOSITORY alone', { GITHUB_REPOSITORY_OWNER: undefined }]
  ])('without owner or repositories: the installation of the workflow repository owner (%s)', async (_name, env) => {
    const { main } = await s.run({ 'repository-ids': String(id('web')) }, env);
    expect(main.code).toBe(0);
    // the account's installation, not the current repository's: the token must not cover app-token too
    expect(routes(s.gh)).toEqual(['GET /users/octo-org/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(createBody()).toEqual({ repository_ids: [id('web')] });
    expect(main.outputs['repositories']).toBe('web');
  });

  it('with repositories: both are sent and the token covers the union', async () => {
    const { main } = await s.run({ repositories: 'api', 'repository-ids': `${id('web')},${id('api')}` });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/api/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(createBody()).toEqual({ repositories: ['api'], repository_ids: [id('web'), id('api')] });
    expect(main.outputs['repositories']).toBe('api\nweb');
  });

  it('with installation-id: one request', async () => {
    const { main } = await s.run({ 'installation-id': '1001', 'repository-ids': String(id('api')) });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(createBody()).toEqual({ repository_ids: [id('api')] });
    expect(main.outputs['repositories']).toBe('api');
  });

  it('an ID the installation cannot see: GitHub says 422, the message names the IDs and the input', async () => {
    const { main, post } = await s.run({ owner: 'octo-org', 'repository-ids': `${id('api')}, 42` });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([
      expect.stringMatching(new RegExp(`^GitHub refused a token for repository IDs ${id('api')}, 42: .*does not exist or is not accessible.* Check the IDs in 'repository-ids', and that the installation on 'octo-org' has access`))
    ]);
    expect(main.outputs['token']).toBeUndefined();
    expect(post.stdout).toContain('No token to revoke');
  });

  it('with names too, a 422 names both inputs', async () => {
    const { main } = await s.run({ owner: 'octo-org', repositories: 'api', 'repository-ids': '42' });
    expect(errors(main)).toEqual([expect.stringMatching(/^GitHub refused a token for repositories api and repository IDs 42: .* Check 'repositories' and 'repository-ids'/)]);
  });
});

describe('repository-ids that fail before any request', () => {
  const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => String(from + i)).join(',');
  const names = (n: number) => Array.from({ length: n }, (_, i) => `repo-${i}`).join('\n');
  it.each([
    ['a name', { owner: 'octo-org', 'repository-ids': '12, api' }, /^Input 'repository-ids' has 'api', which is not a repository ID \(a positive whole number/],
    ['zero', { owner: 'octo-org', 'repository-ids': '0' }, /^Input 'repository-ids' has '0', which is not a repository ID/],
    ['a negative number', { owner: 'octo-org', 'repository-ids': '-5' }, /^Input 'repository-ids' has '-5', which is not/],
    ['a decimal', { owner: 'octo-org', 'repository-ids': '1.5' }, /^Input 'repository-ids' has '1\.5', which is not/],
    ['an owner/name', { 'repository-ids': 'octo-org/api' }, /^Input 'repository-ids' has 'octo-org\/api', which is not.*put names in 'repositories'/],
    ['too many digits', { owner: 'octo-org', 'repository-ids': '1234567890123456' }, /^Input 'repository-ids' has '1234567890123456', which is not/],
    ['space-separated IDs', { owner: 'octo-org', 'repository-ids': '12 34' }, /^Input 'repository-ids' has '12 34', which is not.*Separate IDs with commas or newlines/],
    ['501 IDs', { owner: 'octo-org', 'repository-ids': ids(501) }, /^Input 'repository-ids' has 501 IDs; GitHub limits a token to 500 repositories/],
    ['300 names and 201 IDs', { owner: 'octo-org', repositories: names(300), 'repository-ids': ids(201) }, /^Inputs 'repositories' and 'repository-ids' name 501 repositories together \(300 names, 201 IDs\); GitHub limits a token to 500/],
    ['no owner and no workflow repository', { 'repository-ids': '12' }, /^Input 'repository-ids' is set without 'owner', and GITHUB_REPOSITORY_OWNER is not set/]
  ] as [string, Record<string, string>, RegExp][])('%s', async (name, inputs, pattern) => {
    const env = name.startsWith('no owner') ? { GITHUB_REPOSITORY_OWNER: undefined, GITHUB_REPOSITORY: undefined } : {};
    const { main, post } = await s.run(inputs, env);
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(pattern)]);
    expect(s.gh.requests).toEqual([]);
    expect(post.stdout).toContain('No token to revoke');
  });

  it('500 names and IDs together are allowed (GitHub decides)', async () => {
    const { main } = await s.run({ owner: 'octo-org', repositories: names(300), 'repository-ids': ids(200) });
    // the fake has none of them: the request was made, and GitHub's 422 explained
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/repo-0/installation']);
    expect(main.code).toBe(1);
  });
});
