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

const s = useFakeGitHub();
let proxy: TestProxy;
let work: string;
beforeAll(async () => {
  proxy = await startProxy();
  work = mkdtempSync(join(tmpdir(), 'app-token-trust-'));
});
beforeEach(() => {
  proxy.seen.length = 0;
});
afterAll(async () => {
  await proxy.close();
  rmSync(work, { recursive: true, force: true });
});

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
  it('a login, slug, repository, permission and expiry carrying workflow commands reach the log and the summary escaped', async () => {
    s.gh.faults.push(
      decorated(({ body }) => ({ body: { ...(body as object), app_slug: hostile('my-app'), account: { login: hostile('octo-org') } } }), { match: LOOKUP }),
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
    const { main, post } = await s.run({ repositories: 'app-token', 'skip-token-revoke': 'true' });
    expect(main.code).toBe(0);
    for (const step of [main, post]) {
      expect(commandLines(step)).toEqual([]);
      expect(step.commands.filter((c) => c.command !== 'add-mask')).toEqual([]);
    }
    // the values are there, escaped: the reader sees what GitHub sent
    const scope = main.stdout.split('\n').find((line) => line.startsWith('Token for'));
    expect(scope).toContain(`app 'my-app\\n::warning title=pwned::from the login\\r\\n::stop-commands::abc123`);
    expect(scope).toContain("permissions: contents\\n::warning title=pwned");
    expect(scope).toContain(', \\u003a:error::perm: write;');
    expect(post.stdout).toContain('It expires at 2030-01-01T00:00:00Z\\n::warning');
    // the summary: no line break, no tag, no new cell from a value
    expect(main.summary.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
    expect(main.summary).not.toContain('<img');
    expect(main.summary).toContain('&lt;img src=x onerror=alert(1)>\\|x');
    expect(main.summary.split('\n').filter((line) => line.startsWith('| ')).map((line) => line.split(/(?<!\\)\|/).length)).toEqual(Array(8).fill(4));
    expectNoLeaks(main, post);
  });
});

describe('text from the server, in retries and failures', () => {
  it("an app slug carrying workflow commands, in the bot lookup's retry line and its failure", async () => {
    s.gh.faults.push(
      decorated(({ body }) => ({ body: { ...(body as object), app_slug: hostile('my-app') } }), { match: LOOKUP }),
      serverError(500, { match: { method: 'GET', path: /\[bot\]$/ }, times: Infinity })
    );
    const main = await s.main({ 'bot-identity': 'true' });
    expect(main.code).toBe(1);
    expect(commandLines(main).filter((line) => !line.startsWith('::error::Could not look up'))).toEqual([]);
    expect(main.stdout).toContain('GET /users/my-app\\n::warning title=pwned::from the login');
    expect(errors(main)).toEqual([expect.stringMatching(/^Could not look up the app's bot user 'my-app\\n::warning title=pwned/)]);
  });
});

describe('error bodies', () => {
  const fourMegabytes = `Validation failed ${'x'.repeat(4 * MiB)}`;
  it.each([
    ['direct', { HTTP_PROXY: undefined }],
    ['through a proxy', { HTTP_PROXY: '<proxy>' }]
  ])('a 4 MB error message, %s: one short annotation that says it was cut, memory bounded', async (path, env) => {
    s.gh.faults.push(statusFault(403, { body: { message: fourMegabytes }, match: TOKEN_ROUTE }));
    const { main, rssMiB } = await mainWithRss({}, { HTTP_PROXY: env.HTTP_PROXY ? proxy.url : undefined });
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

  it.each([
    ['direct', { HTTP_PROXY: undefined }],
    ['through a proxy', { HTTP_PROXY: '<proxy>' }]
  ])('a 64 MiB answer, %s: read up to 10 MiB, then a network failure, retried, memory bounded', async (path, env) => {
    s.gh.faults.push(streamedBody(500, 64 * MiB, { match: LOOKUP, times: 2 }));
    const { main, rssMiB } = await mainWithRss({}, { HTTP_PROXY: env.HTTP_PROXY ? proxy.url : undefined });
    const streamed = s.gh.requests.filter((r) => r.fault === 'stream');
    expect(streamed).toHaveLength(2);
    // the client stopped reading: the fake could not write the whole body (socket and proxy buffers allow some slack)
    for (const request of streamed) expect(request.bytesSent).toBeLessThan(32 * MiB);
    expect(main.stdout).toMatch(/response body over 10485760 bytes; trying again/);
    expect(main.code).toBe(0);
    expect(rssMiB).toBeLessThan(200);
    if (path !== 'direct') expect(proxy.seen.length).toBeGreaterThan(0);
  });

  it.each([
    ['direct', { HTTP_PROXY: undefined }],
    ['through a proxy', { HTTP_PROXY: '<proxy>' }]
  ])('a body cut off by the timeout, %s, is a network failure and is retried', async (path, env) => {
    s.gh.faults.push(stalledBody(200, { match: LOOKUP }));
    const main = await s.main({}, { APP_TOKEN_TIMEOUT_MS: '500', HTTP_PROXY: env.HTTP_PROXY ? proxy.url : undefined });
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
