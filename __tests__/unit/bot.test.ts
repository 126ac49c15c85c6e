// The app's bot identity, against the fake GitHub on a real socket.
import { describe, expect, it } from '@jest/globals';
import { lookupBot, noreplyDomain } from '../../src/bot.ts';
import { createToken } from '../../src/token.ts';
import { statusFault } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();

async function bot() {
  const { github, settings } = await t.client();
  const { token } = await createToken(github, { id: 1001, appSlug: 'my-app', account: 'octo-org' }, settings);
  return lookupBot(github, { token: { token, mintedAt: Date.now() }, appSlug: 'my-app', apiUrl: settings.apiUrl });
}

describe('lookupBot', () => {
  it("names the bot user and its noreply email from the user's ID", async () => {
    await expect(bot()).resolves.toEqual({
      userId: 987654321,
      name: 'my-app[bot]',
      email: '987654321+my-app[bot]@users.noreply.127.0.0.1',
      committer: 'my-app[bot] <987654321+my-app[bot]@users.noreply.127.0.0.1>'
    });
  });

  it('an answer that is not a user is not used as one', async () => {
    t.gh.faults.push(statusFault(200, { body: { login: 'my-app[bot]' }, match: { path: '/users/my-app[bot]' } }));
    await expect(bot()).rejects.toThrow(/^The answer to GET \/users\/my-app\[bot\] was not a user \(it has no numeric id\)/);
  });

  it('a refusal that outlasts the replication-lag waits says the token outputs are set', async () => {
    t.gh.faults.push(statusFault(404, { body: { message: 'Not Found' }, match: { path: '/users/my-app[bot]' }, times: Infinity }));
    await expect(bot()).rejects.toThrow(/Could not look up the app's bot user 'my-app\[bot\]'.*404 Not Found \(the new token still failed .* after 4 waits\)\. The token outputs are set/);
  });
});

describe('noreplyDomain', () => {
  it('is users.noreply.github.com on github.com and users.noreply.<host> on GHES', () => {
    expect(noreplyDomain('https://api.github.com')).toBe('users.noreply.github.com');
    expect(noreplyDomain('https://ghe.example.com/api/v3')).toBe('users.noreply.ghe.example.com');
    expect(noreplyDomain('https://api.octo.ghe.com')).toBe('users.noreply.octo.ghe.com');
  });
});
