// The client every request goes through, against the fake GitHub on a real socket: retries, rate
// limits and clock correction, as each request of the steps meets them.
import { describe, expect, it } from '@jest/globals';
import { findInstallation } from '../../src/installation.ts';
import { rateLimited, serverError, statusFault } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';
import { startProxy } from '../support/proxy.ts';
import { TEST_HOST } from '../support/test-tls.ts';

const t = useInProcessGitHub();

async function lookup() {
  const { github, settings, log } = await t.client();
  const found = findInstallation(github, settings);
  return { found, log };
}

describe('retries', () => {
  it('retries a 5xx and logs the retry', async () => {
    t.gh.faults.push(serverError(503));
    const { found, log } = await lookup();
    await expect(found).resolves.toMatchObject({ id: 1001 });
    expect(log.calls).toContainEqual(['info', expect.stringMatching(/^GET \/repos\/octo-org\/app-token\/installation: GitHub answered 503; trying again in 0\.0 s \(attempt 2 of 4\)\.$/)]);
  });

  it('gives up on a persistent 5xx after 4 attempts, saying GitHub is having trouble', async () => {
    t.gh.faults.push(serverError(502, { times: 4 }));
    await expect((await lookup()).found).rejects.toThrow(/failed: 502 .*\(gave up after 4 attempts\)\. GitHub is having trouble/);
  });

  it('does not wait out a rate limit that resets in an hour, and says when it resets', async () => {
    t.gh.faults.push(rateLimited(3600));
    await expect((await lookup()).found).rejects.toThrow(/rate limit is exhausted until \d{4}-\d\d-\d\dT/);
    expect(t.gh.requests).toHaveLength(1);
  });
});

describe('clock correction', () => {
  it("signs a new JWT with GitHub's time and keeps it for later requests", async () => {
    t.gh.setClockOffset(-10 * 60_000);
    const { github, settings, log } = await t.client();
    await findInstallation(github, settings);
    await findInstallation(github, { ...settings, repositories: undefined, owner: 'octo-org' });
    const [rejected, lookup, again] = t.gh.requests;
    expect(rejected?.status).toBe(401);
    expect(lookup?.auth.token).not.toBe(rejected?.auth.token);
    expect(again?.auth.token).toBe(lookup?.auth.token);
    expect(log.calls).toContainEqual(['info', expect.stringMatching(/^GitHub's clock differs from this runner's by -\d+ s: signing again with GitHub's time\.$/)]);
  });
});

describe('the proxy from the environment', () => {
  // loopback never goes through a proxy: the client is pointed at a name only the test proxy resolves
  const name = (port: number) => `http://${TEST_HOST}:${port}`;

  it('goes through HTTP_PROXY when set, and not when NO_PROXY names the host', async () => {
    const proxy = await startProxy({ hosts: { [TEST_HOST]: '127.0.0.1' } });
    try {
      const via = await t.client({}, { HTTP_PROXY: proxy.url }, name(t.gh.port));
      await findInstallation(via.github, via.settings);
      expect(proxy.seen.map((p) => p.target)).toContain(`${TEST_HOST}:${t.gh.port}`);
      expect(via.log.calls).toContainEqual(['debug', `Using the proxy from the environment for ${name(t.gh.port)}`]);
      const seen = proxy.seen.length;
      const direct = await t.client({}, { HTTP_PROXY: proxy.url, NO_PROXY: TEST_HOST }, name(t.gh.port));
      await expect(findInstallation(direct.github, direct.settings)).rejects.toThrow(/ENOTFOUND/);
      expect(proxy.seen.length).toBe(seen);
    } finally {
      await proxy.close();
    }
  });

  it('never for loopback, whatever the variables say', async () => {
    const proxy = await startProxy();
    try {
      const all = { HTTP_PROXY: proxy.url, http_proxy: proxy.url, HTTPS_PROXY: proxy.url, https_proxy: proxy.url };
      const { github, settings, log } = await t.client({}, all);
      await findInstallation(github, settings);
      expect(proxy.seen).toEqual([]);
      expect(log.calls.filter((c) => c[0] === 'debug' && /Using the proxy/.test(c[1] ?? ''))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});

describe('no answer', () => {
  it('names the request, says no answer came, and where to look (URL, proxy)', async () => {
    const { github, settings } = await t.client({ 'github-api-url': 'http://127.0.0.1:9' });
    await expect(findInstallation(github, settings)).rejects.toThrow(
      /^GET \/repos\/octo-org\/app-token\/installation failed: no answer \(connect ECONNREFUSED 127\.0\.0\.1:9\) \(gave up after 4 attempts\)\. Check that 'github-api-url' is right and that the runner can reach it/
    );
  });
});

describe("an answer that is not GitHub's JSON", () => {
  it.each([
    ['an HTML 404 page', statusFault(404, { body: '<!DOCTYPE html><html></html>', headers: { 'content-type': 'text/html' } }), "404 (an HTML page, not GitHub's JSON)"],
    ['an empty 401', statusFault(401, { body: '' }), "401 (an empty body, not GitHub's JSON)"],
    ['text where an installation should be', statusFault(200, { body: 'welcome' }), "200 (a body that is not GitHub's JSON)"]
  ])('%s: named, with the API root to check, and not retried', async (_, fault, answer) => {
    t.gh.faults.push(fault);
    const { github, settings } = await t.client({});
    await expect(findInstallation(github, settings)).rejects.toThrow(
      `GET /repos/octo-org/app-token/installation failed: ${answer}. This is not GitHub's REST API: check that 'github-api-url' ('${settings.apiUrl}') is the API root, https://<host>/api/v3 on GitHub Enterprise Server (https://api.github.com on github.com).`
    );
    expect(t.gh.requests).toHaveLength(1);
  });

  it('a login page after a redirect says where the redirect went', async () => {
    t.gh.faults.push(statusFault(302, { headers: { location: '/login?return_to=x' }, body: '' }), statusFault(200, { body: '<html>Sign in</html>', headers: { 'content-type': 'text/html' }, match: { path: '/login' } }));
    const { github, settings } = await t.client({});
    await expect(findInstallation(github, settings)).rejects.toThrow(/failed: 200 \(an HTML page, not GitHub's JSON, after a redirect to \/login\)\./);
  });

  it('a 5xx page is still GitHub having trouble, retried', async () => {
    t.gh.faults.push(statusFault(502, { body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' }, times: Infinity }));
    const { github, settings } = await t.client({});
    await expect(findInstallation(github, settings)).rejects.toThrow(/failed: 502 \(an HTML page, not GitHub's JSON\) \(gave up after 4 attempts\)\. GitHub is having trouble/);
  });
});

describe('a dead proxy', () => {
  it('is named as the proxy, by its variable, with the NO_PROXY entry that bypasses it', async () => {
    // not loopback, which never goes through a proxy
    const { github, settings } = await t.client({}, { HTTP_PROXY: 'http://user:pw-5678@127.0.0.1:9' }, `http://${TEST_HOST}:${t.gh.port}`);
    const error = await findInstallation(github, settings).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/failed: no answer \(.*ECONNREFUSED.*\) \(gave up after 4 attempts\)\. The request went to the proxy from HTTP_PROXY \(127\.0\.0\.1:9\), .*adding 'api\.github\.invalid' to NO_PROXY\.$/);
    expect((error as Error).message).not.toContain('pw-5678');
  });
});

describe('answers that cannot come right', () => {
  it('a name that does not resolve is not retried, and the message says to check the URL', async () => {
    const { github, settings } = await t.client({ 'github-api-url': 'https://api.nothing.invalid' });
    await expect(findInstallation(github, settings)).rejects.toThrow(/^GET \/repos\/octo-org\/app-token\/installation failed: no answer \(.*ENOTFOUND.*\)\. Check that 'github-api-url' is right/);
  });
});
