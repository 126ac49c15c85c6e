// In-process: each GitHub refusal becomes one message that names what is involved and the fix.
import { describe, expect, it } from '@jest/globals';
import { noreplyDomain } from '../../src/bot.ts';
import { runMain } from '../../src/run-main.ts';
import { rateLimited, serverError, statusFault, type Fault } from '../../fake-github/server.ts';
import { NO_DELAY_RETRY, useInProcessGitHub } from '../support/in-process.ts';
import { recorder } from '../support/recorder.ts';

const t = useInProcessGitHub();

async function main(inputs: Record<string, string>, faults: Fault[] = []) {
  t.gh.faults.push(...faults);
  const r = recorder();
  await runMain({ env: t.env(inputs), runner: r, retry: NO_DELAY_RETRY });
  return r;
}

describe('explanations', () => {
  it.each([
    ['app not on the repository', { repositories: 'missing' }, [], /The app is not installed on octo-org\/missing .*GET \/repos\/octo-org\/missing\/installation/],
    ['app not on the account', { owner: 'nobody' }, [], /The app is not installed on the account 'nobody'/],
    ['app not on the enterprise', { enterprise: 'nowhere' }, [], /^The app is not installed on the enterprise 'nowhere': GitHub answered 404 to GET \/enterprises\/nowhere\/installation\./],
    ['a retired permission GitHub no longer knows (422)', { owner: 'octo-org', 'permission-team-discussions': 'read' }, [statusFault(422, { body: { message: 'Invalid request. "team_discussions" is not a permitted key.' }, match: { method: 'POST' } })], /^GitHub refused a token with the retired permission 'team_discussions' \(input 'permission-team-discussions'\).*Remove 'permission-team-discussions'/],
    ['unknown repository (422)', { owner: 'octo-org', repositories: 'api' }, [statusFault(422, { body: { message: 'There is at least one repository that does not exist or is not accessible to the parent installation.' }, match: { method: 'POST' } })], /GitHub refused a token for repositories api: There is at least one repository/],
    ['ungranted permission (422)', { 'permission-administration': 'write' }, [], /GitHub refused a token with permissions administration: write: The permissions requested are not granted/],
    ['wrong client ID (401)', { 'client-id': 'Iv23liWrongClient' }, [], /GitHub rejected the app's credentials \(401: Integration not found\)\. Check that 'client-id' \('Iv23liWrongClient'\)/],
    ['wrong app ID (401), named as the input given', { 'client-id': '', 'app-id': '424242' }, [], /GitHub rejected the app's credentials \(401: Integration not found\)\. Check that 'app-id' \('424242'\)/],
    ['suspended or restricted (403)', {}, [statusFault(403, { body: { message: 'This installation has been suspended' }, match: { method: 'POST' } })], /GitHub refused to create a token for the installation on 'octo-org' \(403: This installation has been suspended\)/],
    ['unknown installation-id (404)', { 'installation-id': '999' }, [], /Input 'installation-id' is 999, but this app has no installation with that ID/],
    ['unknown installation-id looked up for bot-identity', { 'installation-id': '999', 'bot-identity': 'true' }, [statusFault(201, { body: { token: 'ghs_x', expires_at: '2030-01-01T00:00:00Z' }, match: { method: 'POST' } })], /Input 'installation-id' is 999/],
    ['rate limit resetting in an hour', {}, [rateLimited(3600)], /rate limit is exhausted until \d{4}-\d\d-\d\dT/],
    ['persistent 5xx', {}, [serverError(502, { times: 4 })], /failed: 502 .*\(gave up after 4 attempts\)\. GitHub is having trouble/],
    ['a redirect without Location', {}, [statusFault(302, { body: '' })], /GET \/repos\/octo-org\/app-token\/installation failed: 302 a redirect without a Location$/],
    ['a success that is not an installation', {}, [statusFault(200, { body: { hello: 'captive portal' } })], /^The answer to GET \/repos\/octo-org\/app-token\/installation was not an installation/],
    ['a long list of refused repositories, cut', { owner: 'octo-org', repositories: ['api', ...Array.from({ length: 29 }, (_, i) => `r${i}`)].join(',') }, [statusFault(422, { body: { message: 'There is at least one repository that does not exist or is not accessible to the parent installation.' }, match: { method: 'POST' } })], /repositories api, r0, r1, r2, r3, r4, r5, r6, r7, r8 and 20 more: /],
    ['bot lookup refused', { 'bot-identity': 'true' }, [statusFault(404, { body: { message: 'Not Found' }, match: { path: '/users/my-app[bot]' }, times: Infinity })], /Could not look up the app's bot user 'my-app\[bot\]'.*404 Not Found \(the new token still failed .* after 4 waits\)\. The token outputs are set/]
  ])('%s', async (_, inputs, faults, message) => {
    const r = await main(inputs as Record<string, string>, faults as Fault[]);
    expect(r.failures).toEqual([expect.stringMatching(message as RegExp)]);
  });
});

// configure-git itself is tested end to end (__tests__/e2e/features.test.ts): in-process it would
// write the real global git config, since child processes see the real environment, not jest's.
describe('bot identity in-process', () => {
  it('sets the outputs from the bot user', async () => {
    const r = await main({ 'bot-identity': 'true' });
    expect(r.failures).toEqual([]);
    expect(r.outputs).toMatchObject({
      'bot-user-id': '987654321',
      'bot-name': 'my-app[bot]',
      'bot-email': '987654321+my-app[bot]@users.noreply.127.0.0.1',
      committer: 'my-app[bot] <987654321+my-app[bot]@users.noreply.127.0.0.1>'
    });
  });

  it('with installation-id, looks the installation up for the slug', async () => {
    const r = await main({ 'installation-id': '1001', 'bot-identity': 'true' });
    expect(r.failures).toEqual([]);
    expect(r.outputs['app-slug']).toBe('my-app');
    expect(t.gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /app/installations/1001/access_tokens', 'GET /app/installations/1001', 'GET /users/my-app[bot]']);
  });
});

describe('noreplyDomain', () => {
  it('is users.noreply.github.com on github.com and users.noreply.<host> on GHES', () => {
    expect(noreplyDomain('https://api.github.com')).toBe('users.noreply.github.com');
    expect(noreplyDomain('https://ghe.example.com/api/v3')).toBe('users.noreply.ghe.example.com');
    expect(noreplyDomain('https://api.octo.ghe.com')).toBe('users.noreply.octo.ghe.com');
  });
});
