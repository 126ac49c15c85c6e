// The built action against a hostile server, a planted git and a rewritten state file: server
// text cannot become a workflow command, bodies are bounded on both transports, Octokit's own
// warnings are redacted, cleartext URLs are refused, git gets no secret, post sends the token
// only to the API URL of its own inputs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decorated, serverError, startFakeGitHub, stalledBody, statusFault, streamedBody, type FakeGitHub } from '../../fake-github/server.ts';
import { startProxy, type TestProxy } from '../support/proxy.ts';
import { findSecretLeaks, maskedLog, ROOT, type StepResult } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';
import { makeTestCa, startTlsFront, TEST_HOST, type TestCa, type TlsFront } from '../support/test-tls.ts';

const s = useFakeGitHub();
let proxy: TestProxy;
let ca: TestCa;
let front: TlsFront;
let work: string;
beforeAll(async () => {
  ca = makeTestCa();
  front = await startTlsFront(ca, s.gh.port);
  proxy = await startProxy({ hosts: { [TEST_HOST]: '127.0.0.1' } });
  work = mkdtempSync(join(tmpdir(), 'app-token-trust-'));
});
beforeEach(() => {
  proxy.seen.length = 0;
});
afterAll(async () => {
  await proxy.close();
  await front.close();
  ca.dispose();
  rmSync(work, { recursive: true, force: true });
});

/** Direct to the fake, or through the proxy to its TLS front (loopback would bypass the proxy). */
const transport = (path: string): [Record<string, string>, Record<string, string | undefined>] =>
  path === 'direct' ? [{}, {}] : [{ 'github-api-url': front.urlFor() }, { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: ca.caFile }];

const TOKEN_ROUTE = { method: 'POST', path: /^\/app\/installations\/\d+\/access_tokens$/ };
const LOOKUP = { method: 'GET', path: '/repos/octo-org/app-token/installation' };
const MiB = 1024 * 1024;

function secretsOf(gh: FakeGitHub = s.gh): string[] {
  return [s.key, ...gh.tokens.keys(), ...gh.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token ?? '')];
}

function expectNoLeaks(...steps: StepResult[]): void {
  for (const step of steps) {
    expect(findSecretLeaks(maskedLog(step) + step.summary, secretsOf())).toEqual([]);
    expect(findSecretLeaks(step.stderr, secretsOf())).toEqual([]);
  }
}

/** Runs main with the RSS probe preloaded; returns the step and its peak RSS in MiB. */
async function mainWithRss(inputs: Record<string, string>, env: Record<string, string | undefined> = {}) {
  const file = join(work, `rss-${Math.random().toString(36).slice(2)}`);
  const main = await s.main(inputs, { NODE_OPTIONS: `--require ${join(ROOT, '__tests__/support/rss-probe.cjs')}`, RSS_PROBE_FILE: file, ...env });
  return { main, rssMiB: Number(readFileSync(file, 'utf8')) / MiB };
}

const INJECTIONS = ['\n::warning title=pwned::from the login', '\r\n::stop-commands::abc123', '\n::add-mask::octo', '\n::set-output name=token::x'];
const hostile = (name: string) => `${name}${INJECTIONS.join('')}`;

/** Every line a step printed that the runner would read as a command, but the masks. */
const commandLines = (step: StepResult) => step.stdout.split('\n').filter((line) => /^\s*::/.test(line) && !line.startsWith('::add-mask::'));

describe('text from the server', () => {
  it('a slug and a login carrying workflow commands: refused before any use, with one escaped message, and nothing minted', async () => {
    s.gh.faults.push(decorated(({ body }) => ({ body: { ...(body as object), app_slug: hostile('my-app'), account: { login: hostile('octo-org') } } }), { match: LOOKUP }));
    const { main, post } = await s.run({ 'bot-identity': 'true' });
    expect(main.code).toBe(1);
    for (const step of [main, post]) expect(commandLines(step).filter((line) => !line.startsWith('::error::'))).toEqual([]);
    expect(errors(main)).toEqual([
      expect.stringMatching(/^The answer to GET \/repos\/octo-org\/app-token\/installation has the app slug 'my-app\\n::warning title=pwned::from the login\\r\\n::stop-command…', which is not an app slug: GitHub does not send that\. Check that 'github-api-url'/)
    ]);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation']);
    expect(main.outputs).toEqual({});
    expect(main.summary).toBe('');
    expect(post.stdout).toMatch(/No token to revoke/);
    expectNoLeaks(main, post);
  });

  it('an expiry, permissions and repositories carrying workflow commands: the minted token is saved, refused, and revoked by post', async () => {
    s.gh.faults.push(
      decorated(
        ({ body }) => ({
          body: {
            ...(body as object),
            expires_at: hostile('2030-01-01T00:00:00Z'),
            permissions: { [hostile('contents')]: hostile('read'), '::error::perm': 'write' },
            repositories: [{ name: hostile('app-token') }, { name: '<img src=x onerror=alert(1)>|x' }]
          }
        }),
        { match: TOKEN_ROUTE }
      )
    );
    const { main, post } = await s.run({ repositories: 'app-token' });
    expect(main.code).toBe(1);
    for (const step of [main, post]) expect(commandLines(step).filter((line) => !line.startsWith('::error::'))).toEqual([]);
    expect(errors(main)).toEqual([
      expect.stringMatching(/^The answer to POST \/app\/installations\/1001\/access_tokens has expires_at '2030-01-01T00:00:00Z\\n::warning.*', which is not a timestamp: .* The post step revokes the token it minted\.$/)
    ]);
    expect(main.outputs).toEqual({});
    expect(main.summary).toBe('');
    expect(main.state['expires-at']).toBe('');
    expect(post.stdout).toContain('Token revoked.');
    expect(s.gh.tokens.get(main.state['token'] ?? '')?.revoked).toBe(true);
    expectNoLeaks(main, post);
  });
});

describe('text from the server, in retries and failures', () => {
  it("an app slug carrying workflow commands never reaches the bot lookup's URL, its retry line or git", async () => {
    s.gh.faults.push(
      decorated(({ body }) => ({ body: { ...(body as object), app_slug: hostile('my-app') } }), { match: { method: 'GET', path: '/app/installations/1001' } }),
      serverError(500, { match: { method: 'GET', path: /\[bot\]$/ }, times: Infinity })
    );
    const { main, post } = await s.run({ 'installation-id': '1001', 'configure-git': 'true' });
    expect(main.code).toBe(1);
    expect(commandLines(main).filter((line) => !line.startsWith('::error::'))).toEqual([]);
    expect(routes(s.gh)).toEqual(['POST /app/installations/1001/access_tokens', 'GET /app/installations/1001', 'DELETE /installation/token']);
    expect(errors(main)).toEqual([expect.stringMatching(/^The answer to GET \/app\/installations\/1001 has the app slug 'my-app\\n::warning title=pwned/)]);
    // the token outputs were set before the lookup; the slug output never was
    expect(main.outputs['app-slug']).toBeUndefined();
    expect(post.stdout).toContain('Token revoked.');
  });
});

describe('error bodies', () => {
  const fourMegabytes = `Validation failed ${'x'.repeat(4 * MiB)}`;
  it.each(['direct', 'through a proxy'])('a 4 MB error message, %s: one short annotation that says it was cut, memory bounded', async (path) => {
    s.gh.faults.push(statusFault(403, { body: { message: fourMegabytes }, match: TOKEN_ROUTE }));
    const { main, rssMiB } = await mainWithRss(...transport(path));
    expect(main.code).toBe(1);
    const [message] = errors(main);
    expect(errors(main)).toHaveLength(1);
    expect(message).toMatch(/^GitHub refused to create a token for the installation on 'octo-org' \(403: Validation failed x+… \(cut: the message has 4194322 characters\)\)\./);
    expect(message?.length).toBeLessThan(700);
    expect(main.stdout.length).toBeLessThan(10_000);
    expect(rssMiB).toBeLessThan(200);
    if (path !== 'direct') expect(proxy.seen.length).toBeGreaterThan(0);
    expectNoLeaks(main);
  });

  it.each(['direct', 'through a proxy'])('a 64 MiB answer, %s: read up to 10 MiB, then refused as not GitHub\'s, not retried, memory bounded', async (path) => {
    s.gh.faults.push(streamedBody(500, 64 * MiB, { match: LOOKUP, times: 2 }));
    const { main, rssMiB } = await mainWithRss(...transport(path));
    const streamed = s.gh.requests.filter((r) => r.fault === 'stream');
    expect(streamed).toHaveLength(1);
    // the client stopped reading: the fake could not write the whole body (socket and proxy buffers allow some slack)
    for (const request of streamed) expect(request.bytesSent).toBeLessThan(32 * MiB);
    expect(main.code).toBe(1);
    expect(errors(main)).toEqual([expect.stringMatching(/^GET \/repos\/octo-org\/app-token\/installation failed: an answer over 10 MiB\. This is not GitHub's REST API: check that 'github-api-url'/)]);
    expect(main.stdout).not.toMatch(/trying again/);
    expect(rssMiB).toBeLessThan(200);
    if (path !== 'direct') expect(proxy.seen.length).toBeGreaterThan(0);
  });

  it.each(['direct', 'through a proxy'])('a body cut off by the timeout, %s, is a network failure and is retried', async (path) => {
    s.gh.faults.push(stalledBody(200, { match: LOOKUP }));
    const [inputs, env] = transport(path);
    const main = await s.main(inputs, { APP_TOKEN_TIMEOUT_MS: '500', ...env });
    expect(errors(main)).toEqual([]);
    expect(main.code).toBe(0);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens']);
    expect(main.stdout).toMatch(/no answer within 0\.5 s; trying again/);
    if (path !== 'direct') expect(proxy.seen.length).toBeGreaterThan(0);
  });
});

describe("Octokit's own log", () => {
  it('a deprecation warning echoing the token and the JWT in sunset/link is printed once, as a warning, redacted', async () => {
    s.gh.faults.push(
      decorated(
        ({ body }, request) => ({
          headers: {
            deprecation: 'true',
            sunset: `${(body as { token: string }).token} soon`,
            link: `<https://docs.example.com/${request.headers['authorization']?.replace('Bearer ', '')}>; rel="deprecation"`
          }
        }),
        { match: TOKEN_ROUTE }
      )
    );
    const { main } = await s.run();
    expect(main.code).toBe(0);
    expect(main.stderr).toBe('');
    const deprecations = warnings(main).filter((w) => w.includes('is deprecated'));
    expect(deprecations).toEqual([expect.stringMatching(/^Octokit: \[@octokit\/request\] "POST .*\/app\/installations\/1001\/access_tokens" is deprecated\. It is scheduled to be removed on \*\*\* soon\. See https:\/\/docs\.example\.com\/\*\*\*$/)]);
    expectNoLeaks(main);
  });
});

describe('cleartext API URLs', () => {
  it.each(['http://ghe.example.com/api/v3', 'http://10.0.0.5/api/v3', 'HTTP://api.github.com', 'http://[2001:db8::1]/api/v3', 'http://127.example.com/api/v3'])(
    '%s is refused before any request',
    async (url) => {
      const { main, post } = await s.run({ 'github-api-url': url }, { HTTP_PROXY: proxy.url });
      expect(main.code).toBe(1);
      expect(errors(main)).toEqual([expect.stringMatching(/^Input 'github-api-url' \('.+'\) uses http:\/\/ for a host that is not this machine: .*unencrypted.* Use https:\/\/ .*loopback/)]);
      expect(proxy.seen).toEqual([]);
      expect(s.gh.requests).toEqual([]);
      expect(post.code).toBe(0);
    }
  );

  it('loopback over http stays allowed (127.0.0.0/8)', async () => {
    const { main, post } = await s.run({ 'github-api-url': `http://127.0.0.1:${s.gh.port}` });
    expect(main.code).toBe(0);
    expect(post.stdout).toContain('Token revoked.');
  });
});

describe("configure-git and git's environment", () => {
  it('a git planted first on PATH sees no key, no GITHUB_STATE, no GITHUB_OUTPUT', async () => {
    const bin = mkdtempSync(join(work, 'bin-'));
    const record = join(bin, 'record');
    writeFileSync(join(bin, 'git'), `#!/bin/sh\nenv >> '${record}'\necho "--- $*" >> '${record}'\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const main = await s.main({ 'configure-git': 'true' }, { PATH: `${bin}:${process.env.PATH ?? ''}`, SOMETHING_ELSE: 'not for git' });
    expect(errors(main)).toEqual([]);
    const seen = readFileSync(record, 'utf8');
    expect(seen).toContain('--- config --global user.name my-app[bot]');
    const names = new Set(seen.split('\n').filter((l) => !l.startsWith('---') && l.includes('=')).map((l) => l.slice(0, l.indexOf('='))));
    // sh itself adds PWD (and maybe SHLVL, _); nothing of the step's environment but PATH, HOME, XDG_CONFIG_HOME
    expect([...names].filter((n) => !['PWD', 'SHLVL', '_', 'OLDPWD'].includes(n)).sort()).toEqual(['HOME', 'PATH', 'XDG_CONFIG_HOME']);
    expect(findSecretLeaks(seen, secretsOf())).toEqual([]);
    expect(seen).not.toMatch(/INPUT_|GITHUB_STATE|GITHUB_OUTPUT|GITHUB_ENV|SOMETHING_ELSE/);
  });
});

describe('post and the saved state', () => {
  let evil: FakeGitHub;
  beforeAll(async () => {
    evil = await startFakeGitHub({ app: { privateKey: s.key } });
  });
  afterAll(() => evil.close());

  it('a saved API URL that differs from the inputs: a warning, and the token goes nowhere', async () => {
    const main = await s.main();
    expect(main.code).toBe(0);
    s.gh.reset();
    const post = await s.post({ inputs: s.base(), state: { ...main.state, 'api-url': evil.url } });
    expect(post.code).toBe(0);
    expect(evil.requests).toEqual([]);
    expect(s.gh.requests).toEqual([]);
    expect(warnings(post)).toEqual([
      expect.stringMatching(new RegExp(`^Token not revoked: the API URL saved by the main step \\('${evil.url}'\\) is not the one this step's inputs give \\('${s.gh.url}'\\), so the token was not sent anywhere\\..* stays valid until `))
    ]);
    expect(post.stdout).not.toContain('Token revoked.');
    expectNoLeaks(post);
  });

  it.each([200, 202, 205])('a %i to the revocation is not "Token revoked."', async (status) => {
    s.gh.faults.push(statusFault(status, { body: {}, match: { method: 'DELETE' } }));
    const { post } = await s.run();
    expect(post.code).toBe(0);
    expect(post.stdout).not.toContain('Token revoked.');
    expect(warnings(post)).toEqual([expect.stringMatching(new RegExp(`^Could not confirm that the installation token was revoked: DELETE /installation/token answered ${status}, not 204\\.`))]);
  });
});
