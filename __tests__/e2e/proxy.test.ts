// The runner's proxy settings: every request of main and post goes through HTTP(S)_PROXY unless
// NO_PROXY exempts the host, decided for the API URL the action really calls.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { startProxy, type TestProxy } from '../support/proxy.ts';
import { findSecretLeaks, maskedLog, runAction, type StepResult } from '../support/runner.ts';
import { errors, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();
let proxy: TestProxy;
let authProxy: TestProxy;
beforeAll(async () => {
  proxy = await startProxy();
  authProxy = await startProxy({ auth: 'proxy-user:proxy-pass-1234' });
});
beforeEach(() => {
  proxy.seen.length = 0;
  authProxy.seen.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await authProxy.close();
});

const host = (url: string) => new URL(url).host;

function expectCleanSuccess(main: StepResult, post: StepResult, secrets: string[] = [], gh: FakeGitHub = s.gh): void {
  expect(main.code).toBe(0);
  expect(post.code).toBe(0);
  expect([...errors(main), ...warnings(main), ...errors(post), ...warnings(post)]).toEqual([]);
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

/** main then post; returns how many proxy connections each step opened. */
async function runThrough(p: TestProxy, env: Record<string, string | undefined>, inputs: Record<string, string> = {}, apiUrl = s.gh.url) {
  let seenByMain = 0;
  const { main, post } = await runAction({
    inputs: { ...s.base(), ...inputs },
    env: { GITHUB_API_URL: apiUrl, APP_TOKEN_RETRY_BASE_MS: '0', ...env },
    between: () => {
      seenByMain = p.seen.length;
    }
  });
  return { main, post, seenByMain, seenByPost: p.seen.length - seenByMain };
}

describe('a proxy from the environment', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('%s: every request of main and of post goes through it', async (name) => {
    const { main, post, seenByMain, seenByPost } = await runThrough(proxy, { [name]: proxy.url });
    expectCleanSuccess(main, post);
    expect(s.gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/octo-org/app-token/installation',
      'POST /app/installations/1001/access_tokens',
      'DELETE /installation/token'
    ]);
    // undici tunnels every request (http:// targets included) through CONNECT to GitHub's host
    expect(seenByMain).toBeGreaterThanOrEqual(1);
    expect(seenByPost).toBeGreaterThanOrEqual(1);
    expect(proxy.seen.map((r) => `${r.method} ${r.target}`)).toEqual(proxy.seen.map(() => `CONNECT ${host(s.gh.url)}`));
  });

  it('lower-case http_proxy wins over HTTP_PROXY, as curl and the runner do', async () => {
    const { main, post } = await runThrough(proxy, { http_proxy: proxy.url, HTTP_PROXY: 'http://127.0.0.1:9' });
    expectCleanSuccess(main, post);
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
  });

  it('a proxy that needs credentials gets them from the proxy URL, and the password is never shown', async () => {
    const url = authProxy.url.replace('//', '//proxy-user:proxy-pass-1234@');
    const { main, post, seenByMain, seenByPost } = await runThrough(authProxy, { HTTP_PROXY: url, RUNNER_DEBUG: '1' });
    expectCleanSuccess(main, post, ['proxy-pass-1234']);
    expect(seenByMain).toBeGreaterThanOrEqual(1);
    expect(seenByPost).toBeGreaterThanOrEqual(1);
    const expected = `Basic ${Buffer.from('proxy-user:proxy-pass-1234').toString('base64')}`;
    for (const seen of authProxy.seen) expect(seen.headers['proxy-authorization']).toBe(expected);
  });

  it('an unreachable proxy is a network failure that names the proxy settings, after 4 attempts', async () => {
    const { main, post } = await runThrough(proxy, { HTTP_PROXY: 'http://127.0.0.1:9' });
    expect(main.code).toBe(1);
    expect(s.gh.requests).toEqual([]);
    expect(errors(main)).toEqual([expect.stringMatching(/GET \/repos\/octo-org\/app-token\/installation failed: no answer .*\(gave up after 4 attempts\).*proxy settings/)]);
    expect(post.stdout).toMatch(/No token to revoke/);    expectNoLeaks([main, post]);
  });
});

describe('NO_PROXY', () => {
  it.each([
    ['NO_PROXY', 'HTTP_PROXY'],
    ['no_proxy', 'http_proxy'],
    ['NO_PROXY', 'http_proxy'],
    ['no_proxy', 'HTTP_PROXY']
  ])('%s=127.0.0.1 bypasses %s: the proxy sees nothing and the run succeeds', async (noProxy, httpProxy) => {
    const { main, post } = await runThrough(proxy, { [httpProxy]: proxy.url, [noProxy]: '127.0.0.1' });
    expectCleanSuccess(main, post);
    expect(proxy.seen).toEqual([]);
    expect(s.gh.requests).toHaveLength(3);
  });

  it('an entry for another host does not bypass the proxy', async () => {
    const { main, post } = await runThrough(proxy, { HTTP_PROXY: proxy.url, NO_PROXY: 'github.internal,10.0.0.1' });
    expectCleanSuccess(main, post);
    expect(proxy.seen.length).toBeGreaterThanOrEqual(2);
  });
});

describe('with github-api-url (GitHub Enterprise Server) while GITHUB_API_URL points elsewhere', () => {
  let ghes: FakeGitHub;
  beforeAll(async () => {
    ghes = await startFakeGitHub({ app: { privateKey: s.key }, pathPrefix: '/api/v3' });
  });
  beforeEach(() => ghes.reset());
  afterAll(async () => ghes.close());
  const ghesInputs = () => ({ 'client-id': ghes.app.clientId, 'github-api-url': ghes.url });

  it('the proxy is chosen for github-api-url, not for GITHUB_API_URL (which NO_PROXY exempts)', async () => {
    const { main, post, seenByMain, seenByPost } = await runThrough(
      proxy,
      { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost' },
      ghesInputs(),
      'http://localhost:9/api/v3'
    );
    expectCleanSuccess(main, post, [], ghes);
    expect(ghes.requests.map((r) => r.url.split('?')[0])).toEqual([
      '/api/v3/repos/octo-org/app-token/installation',
      '/api/v3/app/installations/1001/access_tokens',
      '/api/v3/installation/token'
    ]);
    expect(seenByMain).toBeGreaterThanOrEqual(1);
    expect(seenByPost).toBeGreaterThanOrEqual(1);
    for (const seen of proxy.seen) expect(seen.target).toBe(host(ghes.url));
    expect(s.gh.requests).toEqual([]);
  });

  it('NO_PROXY naming github-api-url\'s host and port bypasses the proxy, whatever GITHUB_API_URL is', async () => {
    const { main, post } = await runThrough(
      proxy,
      { HTTP_PROXY: proxy.url, NO_PROXY: host(ghes.url) },
      ghesInputs(),
      'http://127.0.0.1:9/api/v3'
    );
    expectCleanSuccess(main, post, [], ghes);
    expect(ghes.requests).toHaveLength(3);
    expect(proxy.seen).toEqual([]);
  });
});
