// The runner's proxy settings: every request of main and post goes through HTTPS_PROXY unless
// NO_PROXY exempts the host, decided for the API URL the action really calls; loopback never
// goes through a proxy. The fake is served over TLS (a test CA in NODE_EXTRA_CA_CERTS) under a
// name that only the test proxy resolves, so a request that skipped the proxy could not arrive.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { startProxy, type TestProxy } from '../support/proxy.ts';
import { findSecretLeaks, maskedLog, runAction, type StepResult } from '../support/runner.ts';
import { errors, useFakeGitHub, warnings } from '../support/scenario.ts';
import { makeTestCa, startTlsFront, TEST_HOST, type TestCa, type TlsFront } from '../support/test-tls.ts';

const s = useFakeGitHub();
let ca: TestCa;
let front: TlsFront;
let proxy: TestProxy;
let authProxy: TestProxy;
const hosts = { [TEST_HOST]: '127.0.0.1' };
beforeAll(async () => {
  ca = makeTestCa();
  front = await startTlsFront(ca, s.gh.port);
  proxy = await startProxy({ hosts });
  authProxy = await startProxy({ auth: 'proxy-user:proxy-pass-1234', hosts });
});
beforeEach(() => {
  proxy.seen.length = 0;
  authProxy.seen.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await authProxy.close();
  await front.close();
  ca.dispose();
});

const host = (url: string) => new URL(url).host;
const ROUTES = ['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token'];

function expectCleanSuccess(main: StepResult, post: StepResult, secrets: string[] = [], gh: FakeGitHub = s.gh): void {
  expect(errors(main)).toEqual([]);
  expect(main.code).toBe(0);
  expect(post.code).toBe(0);
  expect([...warnings(main), ...errors(post), ...warnings(post)]).toEqual([]);
  expect(post.stdout).toContain('Token revoked.');
  expect(gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
  expectNoLeaks([main, post], secrets, gh);
}

function expectNoLeaks(steps: StepResult[], secrets: string[] = [], gh: FakeGitHub = s.gh): void {
  const all = [s.key, ...gh.tokens.keys(), ...gh.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token ?? ''), ...secrets];
  for (const step of steps) {
    expect(findSecretLeaks(maskedLog(step) + step.summary, all)).toEqual([]);
    expect(findSecretLeaks(step.stderr, all)).toEqual([]);
  }
}

/** main then post against `apiUrl` (the TLS front by default); returns how many proxy connections each step opened. */
async function runThrough(p: TestProxy, env: Record<string, string | undefined>, inputs: Record<string, string> = {}, apiUrl = front.urlFor()) {
  let seenByMain = 0;
  const { main, post } = await runAction({
    inputs: { ...s.base(), ...inputs },
    env: { GITHUB_API_URL: apiUrl, APP_TOKEN_RETRY_BASE_MS: '0', NODE_EXTRA_CA_CERTS: ca.caFile, ...env },
    between: () => {
      seenByMain = p.seen.length;
    }
  });
  return { main, post, seenByMain, seenByPost: p.seen.length - seenByMain };
}

/** A run that went around the proxy to the test host: its name does not resolve, so nothing arrives. */
function expectWentDirect(main: StepResult, post: StepResult): void {
  expect(main.code).toBe(1);
  expect(errors(main)).toEqual([expect.stringMatching(new RegExp(`^GET /repos/octo-org/app-token/installation failed: no answer \\(getaddrinfo ENOTFOUND ${TEST_HOST.replace(/\./g, '\\.')}\\)`))]);
  expect(s.gh.requests).toEqual([]);
  expect(post.stdout).toMatch(/No token to revoke/);
}

describe('a proxy from the environment', () => {
  it.each(['HTTPS_PROXY', 'https_proxy'])('%s: every request of main and of post goes through it', async (name) => {
    const { main, post, seenByMain, seenByPost } = await runThrough(proxy, { [name]: proxy.url });
    expectCleanSuccess(main, post);
    expect(s.gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(ROUTES);
    expect(seenByMain).toBeGreaterThanOrEqual(1);
    expect(seenByPost).toBeGreaterThanOrEqual(1);
    expect(proxy.seen.map((r) => `${r.method} ${r.target}`)).toEqual(proxy.seen.map(() => `CONNECT ${host(front.urlFor())}`));
  });

  it('without a proxy the test host cannot be reached: only the proxy resolves it', async () => {
    const { main, post } = await runThrough(proxy, {});
    expectWentDirect(main, post);
    expect(proxy.seen).toEqual([]);
  });

  it('lower-case https_proxy wins over HTTPS_PROXY, as curl and the runner do', async () => {
    const { main, post } = await runThrough(proxy, { https_proxy: proxy.url, HTTPS_PROXY: 'http://127.0.0.1:9' });
    expectCleanSuccess(main, post);
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
  });

  it('a proxy that needs credentials gets them from the proxy URL, and the password is never shown', async () => {
    const url = authProxy.url.replace('//', '//proxy-user:proxy-pass-1234@');
    const { main, post, seenByMain, seenByPost } = await runThrough(authProxy, { HTTPS_PROXY: url, RUNNER_DEBUG: '1' });
    expectCleanSuccess(main, post, ['proxy-pass-1234']);
    expect(seenByMain).toBeGreaterThanOrEqual(1);
    expect(seenByPost).toBeGreaterThanOrEqual(1);
    const expected = `Basic ${Buffer.from('proxy-user:proxy-pass-1234').toString('base64')}`;
    for (const seen of authProxy.seen) expect(seen.headers['proxy-authorization']).toBe(expected);
  });

  it('an unreachable proxy is a network failure that names the proxy and its variable, after 4 attempts', async () => {
    const { main, post } = await runThrough(proxy, { HTTPS_PROXY: 'http://127.0.0.1:9' });
    expect(main.code).toBe(1);
    expect(s.gh.requests).toEqual([]);
    expect(errors(main)).toEqual([expect.stringMatching(/GET \/repos\/octo-org\/app-token\/installation failed: no answer .*\(gave up after 4 attempts\)\. The request went to the proxy from HTTPS_PROXY \(127\.0\.0\.1:9\).*NO_PROXY/)]);
    expect(post.stdout).toMatch(/No token to revoke/);
    expectNoLeaks([main, post]);
  });
});

describe('loopback', () => {
  it.each([
    ['http://127.0.0.1', (port: number) => `http://127.0.0.1:${port}`],
    ['http://127.0.0.1 with a trailing slash', (port: number) => `http://127.0.0.1:${port}/`],
    ['http://localhost', (port: number) => `http://localhost:${port}`]
  ])('%s goes direct whatever HTTP_PROXY, HTTPS_PROXY and ALL_PROXY say: the proxy sees nothing', async (_name, apiUrl) => {
    const env = { HTTP_PROXY: proxy.url, http_proxy: proxy.url, HTTPS_PROXY: proxy.url, https_proxy: proxy.url, ALL_PROXY: proxy.url };
    const { main, post } = await runThrough(proxy, env, { 'github-api-url': apiUrl(s.gh.port) });
    expectCleanSuccess(main, post);
    expect(s.gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual(ROUTES);
    expect(proxy.seen).toEqual([]);
  });
});

describe('NO_PROXY', () => {
  it.each([
    ['NO_PROXY', 'HTTPS_PROXY'],
    ['no_proxy', 'https_proxy'],
    ['NO_PROXY', 'https_proxy'],
    ['no_proxy', 'HTTPS_PROXY']
  ])('%s naming the host bypasses %s: the proxy sees nothing and the action connects directly', async (noProxy, httpsProxy) => {
    const { main, post } = await runThrough(proxy, { [httpsProxy]: proxy.url, [noProxy]: TEST_HOST });
    expect(proxy.seen).toEqual([]);
    expectWentDirect(main, post);
  });

  it('an entry for another host, or another port of this one, does not bypass the proxy', async () => {
    const { main, post } = await runThrough(proxy, { HTTPS_PROXY: proxy.url, NO_PROXY: `github.internal,10.0.0.1,${TEST_HOST}:1` });
    expectCleanSuccess(main, post);
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
  });
});

describe('with github-api-url (GitHub Enterprise Server) while GITHUB_API_URL points elsewhere', () => {
  let ghes: FakeGitHub;
  let ghesFront: TlsFront;
  beforeAll(async () => {
    ghes = await startFakeGitHub({ app: { privateKey: s.key }, pathPrefix: '/api/v3' });
    ghesFront = await startTlsFront(ca, ghes.port);
  });
  beforeEach(() => ghes.reset());
  afterAll(async () => {
    await ghesFront.close();
    await ghes.close();
  });
  const ghesInputs = () => ({ 'client-id': ghes.app.clientId, 'github-api-url': ghesFront.urlFor('/api/v3') });

  it('the proxy is chosen for github-api-url, not for GITHUB_API_URL (which NO_PROXY exempts)', async () => {
    const { main, post, seenByMain, seenByPost } = await runThrough(
      proxy,
      { HTTPS_PROXY: proxy.url, NO_PROXY: 'elsewhere.invalid' },
      ghesInputs(),
      'https://elsewhere.invalid/api/v3'
    );
    expectCleanSuccess(main, post, [], ghes);
    expect(ghes.requests.map((r) => r.url.split('?')[0])).toEqual([
      '/api/v3/repos/octo-org/app-token/installation',
      '/api/v3/app/installations/1001/access_tokens',
      '/api/v3/installation/token'
    ]);
    expect(seenByMain).toBeGreaterThanOrEqual(1);
    expect(seenByPost).toBeGreaterThanOrEqual(1);
    for (const seen of proxy.seen) expect(seen.target).toBe(host(ghesFront.urlFor()));
    expect(s.gh.requests).toEqual([]);
  });

  it("NO_PROXY naming github-api-url's host and port bypasses the proxy, whatever GITHUB_API_URL is", async () => {
    const { main, post } = await runThrough(proxy, { HTTPS_PROXY: proxy.url, NO_PROXY: host(ghesFront.urlFor()) }, ghesInputs(), front.urlFor('/api/v3'));
    expect(proxy.seen).toEqual([]);
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/^GET \/api\/v3\/repos\/octo-org\/app-token\/installation failed: no answer \(getaddrinfo ENOTFOUND|^GET \/repos\/octo-org\/app-token\/installation failed: no answer \(getaddrinfo ENOTFOUND/)]);
    expect(ghes.requests).toEqual([]);
    expect(post.code).toBe(0);
  });
});
