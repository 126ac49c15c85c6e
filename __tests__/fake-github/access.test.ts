// The fake's access rule (fake-github/access.ts): a credential reaches the same repositories over
// the REST API as over git, however the Authorization carries it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { appJwt, startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { createBareRepo } from '../../fake-github/git.ts';
import { useGitRepos } from '../support/git-repos.ts';
import { generateAppKey } from '../support/runner.ts';

const key = generateAppKey();
const repos = useGitRepos();
let gh: FakeGitHub;
beforeAll(async () => {
  gh = await startFakeGitHub({ app: { privateKey: key.privateKeyPem }, git: repos });
});
afterAll(() => gh.close());
beforeEach(() => {
  for (const [owner, repo] of [['octo-org', 'api'], ['octo-org', 'web'], ['octo-user', 'dotfiles']]) createBareRepo(repos, owner, repo);
});

/** A token for installation 1001 (octo-org) limited to api, as the fake mints it. */
function mintApiToken(): string {
  const token = `ghs_access${gh.tokens.size}`;
  gh.tokens.set(token, { installationId: 1001, issuedAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000), revoked: false, repositories: ['api'], permissions: { contents: 'read' } });
  return token;
}

const bearer = (credential: string): string => `Bearer ${credential}`;
const basic = (credential: string): string => `Basic ${Buffer.from(`x-access-token:${credential}`).toString('base64')}`;

/** The statuses REST (repository, contents) and git (fetch) answer for owner/repo. */
async function reach(authorization: string, owner: string, repo: string): Promise<{ rest: number[]; git: number }> {
  const headers = { authorization };
  const rest = [
    (await fetch(`${gh.url}/repos/${owner}/${repo}`, { headers })).status,
    (await fetch(`${gh.url}/repos/${owner}/${repo}/contents/README.md`, { headers })).status
  ];
  const git = (await fetch(`${gh.origin}/${owner}/${repo}.git/info/refs?service=git-upload-pack`, { headers })).status;
  return { rest, git };
}

describe('one access rule for REST and git', () => {
  it.each([
    ['Bearer', bearer],
    ['Basic x-access-token', basic]
  ])('a token sent as %s reaches its repository on both, and is refused outside its scope on both', async (_scheme, authorize) => {
    const auth = authorize(mintApiToken());
    expect(await reach(auth, 'octo-org', 'api')).toEqual({ rest: [200, 200], git: 200 });
    expect(await reach(auth, 'octo-org', 'web')).toEqual({ rest: [404, 404], git: 404 });
    expect(await reach(auth, 'octo-user', 'dotfiles')).toEqual({ rest: [404, 404], git: 404 });
  });

  it('refuses an app JWT, a revoked token and no credentials with 401 on both', async () => {
    const revoked = mintApiToken();
    gh.tokens.get(revoked)!.revoked = true;
    const jwt = appJwt(key.privateKeyPem, gh.app.id);
    for (const auth of [bearer(jwt), basic(jwt), bearer(revoked), basic(revoked), '']) {
      expect(await reach(auth, 'octo-org', 'api')).toEqual({ rest: [401, 401], git: 401 });
    }
  });
});
