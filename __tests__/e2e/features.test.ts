// Commit as the app, skip the lookup, show the scope, tokens of every shape.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeGitHub, statusFault } from '../../fake-github/server.ts';
import { findSecretLeaks, maskedLog, runAction } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();
const gitConfig = (home: string, key: string) => execFileSync('git', ['config', '--global', '--get', key], { env: { HOME: home, PATH: process.env['PATH'] } }).toString().trim();

describe('bot identity', () => {
  it('is off by default: no bot lookup, no bot outputs', async () => {
    const { main } = await s.run();
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(main.outputs['bot-user-id']).toBeUndefined();
  });

  it('bot-identity looks the bot user up with the new token and sets the outputs', async () => {
    const { main } = await s.run({ 'bot-identity': 'true' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual([
      'GET /repos/octo-org/app-token/installation',
      'POST /app/installations/1001/access_tokens',
      'GET /users/my-app[bot]',
      'DELETE /installation/token'
    ]);
    const lookup = s.gh.requests[2];
    expect(lookup?.auth.kind).toBe('token');
    expect(lookup?.auth.token).toBe(main.outputs['token']);
    expect(main.outputs).toMatchObject({
      'bot-user-id': '987654321',
      'bot-name': 'my-app[bot]',
      'bot-email': '987654321+my-app[bot]@users.noreply.127.0.0.1',
      committer: 'my-app[bot] <987654321+my-app[bot]@users.noreply.127.0.0.1>'
    });
  });

  it('configure-git sets the global git identity, never the token', async () => {
    const { main } = await s.run({ 'configure-git': 'true' });
    expect(main.code).toBe(0);
    expect(gitConfig(main.home, 'user.name')).toBe('my-app[bot]');
    expect(gitConfig(main.home, 'user.email')).toBe(main.outputs['bot-email']);
    const all = execFileSync('git', ['config', '--global', '--list'], { env: { HOME: main.home, PATH: process.env['PATH'] } }).toString();
    expect(all).not.toContain(main.outputs['token']);
    expect(maskedLog(main)).toMatch(/Configured git \(global\) to commit as my-app\[bot\] </);
    // the README recipe: a later step's plain `git commit` is authored by the app
    const repo = join(main.home, 'repo');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { HOME: main.home, PATH: process.env['PATH'] } }).toString().trim();
    mkdirSync(repo);
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'made by the app');
    expect(git('log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe(`${main.outputs['committer']}|${main.outputs['committer']}`);
  });

  it('a failed bot lookup still sets the token outputs, fails the step clearly, and post revokes', async () => {
    s.gh.faults.push(statusFault(404, { body: { message: 'Not Found' }, match: { path: '/users/my-app[bot]' }, times: Infinity }));
    const { main, post } = await s.run({ 'bot-identity': 'true' });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/Could not look up the app's bot user 'my-app\[bot\]'.*The token outputs are set/)]);
    expect(main.outputs['token']).toMatch(/^ghs_/);
    expect(main.outputs['installation-id']).toBe('1001');
    expect(post.code).toBe(0);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
  });
});

describe('installation-id', () => {
  it('mints with one request and leaves app-slug empty', async () => {
    const { main } = await s.run({ 'installation-id': '1001' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(main.outputs['app-slug']).toBe('');
    expect(main.outputs['installation-id']).toBe('1001');
    expect(main.outputs['repositories']).toBe('');
  });

  it('limits the token to repositories when given', async () => {
    const { main } = await s.run({ 'installation-id': '1001', repositories: 'api' });
    expect(main.code).toBe(0);
    expect(s.gh.requests[0]?.body).toEqual({ repositories: ['api'] });
    expect(main.outputs['repositories']).toBe('api');
  });

  it('looks the installation up for its slug only when bot-identity needs it', async () => {
    const { main } = await s.run({ 'installation-id': '1001', 'bot-identity': 'true' });
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['POST /app/installations/1001/access_tokens', 'GET /app/installations/1001', 'GET /users/my-app[bot]', 'DELETE /installation/token']);
    expect(main.outputs['app-slug']).toBe('my-app');
    expect(main.outputs['bot-name']).toBe('my-app[bot]');
  });

  it('fails clearly with owner, before any request', async () => {
    const { main } = await s.run({ 'installation-id': '1001', owner: 'octo-org' });
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/'installation-id' and 'owner' cannot be used together/)]);
    expect(s.gh.requests).toHaveLength(0);
  });

  it('names the ID when the app has no such installation', async () => {
    const { main } = await s.run({ 'installation-id': '4242' });
    expect(errors(main)).toEqual([expect.stringMatching(/Input 'installation-id' is 4242, but this app has no installation with that ID/)]);
  });
});

describe('scope you can see', () => {
  it('outputs the granted permissions and repositories, logs them and writes the job summary', async () => {
    const { main } = await s.run({ owner: 'octo-org', repositories: 'api,web', 'permission-contents': 'read' });
    expect(JSON.parse(main.outputs['permissions'] ?? '')).toEqual({ contents: 'read' });
    expect(main.outputs['repositories']).toBe('api\nweb');
    expect(maskedLog(main)).toContain(
      `Token for app 'my-app', installation 1001 on 'octo-org'; repositories: api, web; permissions: contents: read; expires at ${main.outputs['expires-at']}.`
    );
    expect(main.summary).toContain('### GitHub App token');
    expect(main.summary).toMatch(/\| App \| my-app \|/);
    expect(main.summary).toMatch(/\| Installation \| 1001 \|/);
    expect(main.summary).toMatch(/\| Account \| octo-org \|/);
    expect(main.summary).toMatch(/\| Repositories \| api, web \|/);
    expect(main.summary).toMatch(/\| Permissions \| contents: read \|/);
    expect(main.summary).toContain(`| Expires at | ${main.outputs['expires-at']} |`);
    expect(main.summary).not.toContain(main.outputs['token']);
  });

  it('says "all" for an installation-wide token', async () => {
    const { main } = await s.run({ owner: 'octo-org' });
    expect(main.summary).toMatch(/\| Repositories \| all \|/);
  });

  it('summary: false writes no job summary', async () => {
    const { main } = await s.run({ summary: 'false' });
    expect(main.code).toBe(0);
    expect(main.summary).toBe('');
  });
});

describe('tokens of every shape', () => {
  it('masks, outputs and revokes a long stateless token', async () => {
    const gh = await startFakeGitHub({ app: { privateKey: s.key }, tokenStyle: 'stateless' });
    try {
      const { main, post } = await runAction({ inputs: { 'client-id': gh.app.clientId, 'private-key': s.key, 'bot-identity': 'true' }, env: { GITHUB_API_URL: gh.url } });
      const token = main.outputs['token'] ?? '';
      expect(token.length).toBeGreaterThan(400);
      expect(token).toMatch(/[._-]/);
      expect(main.masks).toContain(token);
      expect(main.state['token']).toBe(token);
      expect(findSecretLeaks(maskedLog(main) + maskedLog(post) + main.summary, [token])).toEqual([]);
      expect(gh.requests.find((r) => r.method === 'GET' && r.path.startsWith('/users/'))?.auth.token).toBe(token);
      expect(gh.tokens.get(token)?.revoked).toBe(true);
      expect(post.code).toBe(0);
    } finally {
      await gh.close();
    }
  });
});

describe('a job summary that cannot be written', () => {
  it('is a warning; the token is still minted, output and revoked', async () => {
    const { main, post } = await s.run({}, { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary.md' });
    expect(main.code).toBe(0);
    expect(warnings(main)).toEqual([expect.stringMatching(/^Could not write the job summary .*set 'summary: false' to skip it\.$/)]);
    expect(main.outputs['token']).toMatch(/^ghs_/);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
    expect(post.code).toBe(0);
  });
});
