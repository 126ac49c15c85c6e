// The token output in the client workflows use (@actions/github's getOctokit, what
// actions/github-script hands a script), against the fake's token-checked REST routes.
import { describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { createBareRepo } from '../../fake-github/git.ts';
import { useGitRepos } from '../support/git-repos.ts';
import { useFakeGitHub } from '../support/scenario.ts';

const repos = useGitRepos();
const s = useFakeGitHub({ git: repos });

/** The HTTP status and message a refused Octokit call rejected with. */
async function refusal(call: Promise<unknown>): Promise<{ status: unknown; message: string }> {
  try {
    await call;
  } catch (error) {
    const { status, message } = error as { status?: unknown; message: string };
    return { status, message };
  }
  throw new Error('the call succeeded, but it should have been refused');
}

describe("getOctokit with the action's token", () => {
  it('creates an issue in a covered repository, and is refused elsewhere, beyond its permissions and after post', async () => {
    createBareRepo(repos, 'octo-org', 'api');
    const main = await s.main({ repositories: 'api', 'permission-issues': 'write' });
    expect(main.code).toBe(0);
    const octokit = getOctokit(main.outputs['token'] ?? '', { baseUrl: s.gh.url });

    const { status, data } = await octokit.rest.issues.create({ owner: 'octo-org', repo: 'api', title: 'Made by the app' });
    expect(status).toBe(201);
    expect(data).toMatchObject({ number: 1, title: 'Made by the app', html_url: 'https://github.com/octo-org/api/issues/1', user: { login: 'my-app[bot]' } });

    // another repository of the same owner, outside the token: GitHub does not say it exists
    expect(await refusal(octokit.rest.issues.create({ owner: 'octo-org', repo: 'web', title: 'Nope' }))).toMatchObject({ status: 404 });
    // a permission the token was not given (contents), in the covered repository
    expect(await refusal(octokit.rest.repos.getContent({ owner: 'octo-org', repo: 'api', path: 'README.md' }))).toEqual({
      status: 403,
      message: expect.stringContaining('Resource not accessible by integration')
    });
    // metadata comes with every token
    expect((await octokit.rest.repos.get({ owner: 'octo-org', repo: 'api' })).data).toMatchObject({ full_name: 'octo-org/api' });

    const post = await s.post({ state: main.state, home: main.home });
    expect(post.code).toBe(0);
    expect(await refusal(octokit.rest.repos.get({ owner: 'octo-org', repo: 'api' }))).toMatchObject({ status: 401, message: expect.stringContaining('Bad credentials') });
  });

  it('reads a file with contents: read, and cannot create an issue with it', async () => {
    createBareRepo(repos, 'octo-org', 'web', 'hello from web\n');
    const kept = await s.main({ repositories: 'web', 'permission-contents': 'read' });
    expect(kept.code).toBe(0);
    const octokit = getOctokit(kept.outputs['token'] ?? '', { baseUrl: s.gh.url });
    const { data } = await octokit.rest.repos.getContent({ owner: 'octo-org', repo: 'web', path: 'README.md' });
    expect(Buffer.from((data as { content: string }).content, 'base64').toString('utf8')).toBe('hello from web\n');
    expect(await refusal(octokit.rest.issues.create({ owner: 'octo-org', repo: 'web', title: 'Nope' }))).toMatchObject({ status: 403 });
    expect(await refusal(octokit.rest.repos.get({ owner: 'octo-org', repo: 'app-token' }))).toMatchObject({ status: 404 });
    expect(await refusal(octokit.rest.repos.get({ owner: 'octo-user', repo: 'dotfiles' }))).toMatchObject({ status: 404 });
    expect((await s.post({ state: kept.state, home: kept.home })).code).toBe(0);
  });
});
