// The pieces behind the trust guarantees, in-process: escaping server text, the cleartext rule,
// git's environment, Octokit's held log, the proxy path's body cap, and post's check of the saved URL.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureGit, gitEnv } from '../../src/bot.ts';
import { scopeLine, scopeMarkdown } from '../../src/summary.ts';
import { HeldLog } from '../../src/held-log.ts';
import { readApiUrl } from '../../src/input-values.ts';
import { proxiedFetch } from '../../src/proxy.ts';
import { runMain } from '../../src/run-main.ts';
import { runPost } from '../../src/run-post.ts';
import { Secrets } from '../../src/runner.ts';
import { quoted, untrusted } from '../../src/untrusted.ts';
import { API_VERSION, stalledBody, statusFault, streamedBody } from '../support/fake-github.ts';
import { NO_DELAY_RETRY, useInProcessGitHub } from '../support/in-process.ts';
import { startProxy, type TestProxy } from '../support/proxy.ts';
import { recorder } from '../support/recorder.ts';

const t = useInProcessGitHub();
const retry = NO_DELAY_RETRY;
const headers = { 'x-github-api-version': API_VERSION };

describe('untrusted and quoted', () => {
  it('escape line breaks, control and format characters, and a leading ::', () => {
    expect(untrusted('octo\n::warning::x')).toBe('octo\\n::warning::x');
    expect(untrusted('::stop-commands::abc')).toBe('\\u003a:stop-commands::abc');
    expect(untrusted('a\u001b[31mb\u202ec')).toBe('a\\u001b[31mb\\u202ec');
    expect(untrusted(undefined)).toBe('');
    expect(untrusted(42)).toBe('42');
    expect(untrusted('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it("escape '##[' anywhere, the runner's legacy command form", () => {
    expect(untrusted('x ##[add-mask]octo')).toBe('x #\\u0023[add-mask]octo');
    expect(untrusted('###[a]##[b]')).not.toContain('##[');
    expect(quoted('a##[set-output name=x]y')).toBe('a#\\u0023[set-output name=x]y');
  });

  it('quotes a short message whole and says when a long one was cut', () => {
    expect(quoted('Not Found')).toBe('Not Found');
    const long = quoted('y'.repeat(5000));
    expect(long).toBe(`${'y'.repeat(300)}… (cut: the message has 5000 characters)`);
  });
});

describe('readApiUrl', () => {
  it.each(['http://127.0.0.1:8080', 'http://127.1.2.3/api/v3', 'http://localhost:3000', 'http://LOCALHOST.', 'http://[::1]:9000', 'https://ghe.example.com/api/v3'])('accepts %s', (url) => {
    expect(readApiUrl(url, {})).toBe(new URL(url).href.replace(/\/+$/, ''));
  });

  it.each(['http://ghe.example.com', 'http://128.0.0.1', 'http://[::2]', 'http://localhost.example.com', 'http://127.0.0.1.nip.io', 'http://0.0.0.0'])('refuses %s, saying why and what to use', (url) => {
    expect(() => readApiUrl(url, {})).toThrow(/uses http:\/\/ for a host that is not this machine: .*unencrypted.*Use https:\/\//);
  });

  it.each(['https://someone:hunter2@ghe.example.com/api/v3', 'https://hunter2@ghe.example.com', 'http://someone:hunter2@127.0.0.1:9', 'ftp://someone:hunter2@x', 'https://someone:hunter2@host:99999999/x', 'https:someone:hunter2@ghe.example.com'])(
    'refuses %s for its credentials before any message could quote them',
    (url) => {
      let message = '';
      try {
        readApiUrl(url, {});
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Input 'github-api-url' has credentials in it/);
      expect(message).not.toMatch(/someone|hunter2/);
      expect(() => readApiUrl('', { GITHUB_API_URL: url })).toThrow(/has credentials in it/);
    }
  );

  it('applies to GITHUB_API_URL too', () => {
    expect(() => readApiUrl('', { GITHUB_API_URL: 'http://ghe.example.com/api/v3' })).toThrow(/uses http:\/\//);
  });
});

describe('gitEnv', () => {
  const env = { PATH: '/bin', HOME: '/home/r', XDG_CONFIG_HOME: '/home/r/.config', 'INPUT_PRIVATE-KEY': 'key', GITHUB_STATE: '/s', GITHUB_OUTPUT: '/o', USERPROFILE: 'C:\\u', SystemRoot: 'C:\\Windows', APPDATA: 'C:\\a' };
  it('passes only PATH, HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL on Linux and macOS', () => {
    expect(gitEnv(env, 'linux')).toEqual({ PATH: '/bin', HOME: '/home/r', XDG_CONFIG_HOME: '/home/r/.config' });
    expect(gitEnv({ PATH: '/bin', XDG_CONFIG_HOME: '' }, 'darwin')).toEqual({ PATH: '/bin' });
    expect(gitEnv({ PATH: '/bin', GIT_CONFIG_GLOBAL: '/job/gitconfig', GITHUB_STATE: '/s' }, 'linux')).toEqual({ PATH: '/bin', GIT_CONFIG_GLOBAL: '/job/gitconfig' });
  });
  it('adds USERPROFILE, SystemRoot and APPDATA on Windows, whatever their case', () => {
    expect(gitEnv({ Path: 'C:\\bin', SYSTEMROOT: 'C:\\Windows', 'INPUT_PRIVATE-KEY': 'key' }, 'win32')).toEqual({ PATH: 'C:\\bin', SystemRoot: 'C:\\Windows' });
    expect(Object.keys(gitEnv(env, 'win32')).sort()).toEqual(['APPDATA', 'HOME', 'PATH', 'SystemRoot', 'USERPROFILE', 'XDG_CONFIG_HOME']);
  });
});

describe('scopeLine and scopeMarkdown', () => {
  it('say what was not looked up, and escape what was', () => {
    const token = { token: 'ghs_x', expiresAt: '2030-01-01T00:00:00Z', permissions: {}, repositories: [] };
    const bare = { installation: { id: 7, appSlug: '', account: '' }, token };
    expect(scopeLine(bare)).toBe('Token for the app, installation 7; repositories: all; permissions: none listed; expires at 2030-01-01T00:00:00Z.');
    expect(scopeMarkdown(bare)).toContain('| App | (not looked up) |');
    expect(scopeMarkdown(bare)).toContain('| Account | (not looked up) |');
    const hostile = { installation: { id: 7, appSlug: 'a|b', account: '<b>x\n::y' }, token: { ...token, repositories: ['r'], permissions: { issues: 'write' } } };
    expect(scopeMarkdown(hostile)).toContain('| App | a\\|b |');
    expect(scopeMarkdown(hostile)).toContain('| Account | &lt;b>x\\\\n::y |');
    // GFM splits a row at each '|' not escaped by a backslash that is itself not escaped
    const cells = (row: string) => row.slice(1, -1).match(/(?:\\.|[^|\\])+/g) ?? [];
    const sly = scopeMarkdown({ installation: { id: 7, appSlug: 'a\\|b', account: 'c\\' }, token });
    const rows = sly.split('\n').filter((l) => l.startsWith('| App') || l.startsWith('| Account'));
    expect(rows.map((row) => cells(row.trim()).length)).toEqual([2, 2]);
  });
});

describe('configureGit', () => {
  it('writes the identity to the global config of the HOME it is given, with the real git', async () => {
    const home = mkdtempSync(join(tmpdir(), 'git-home-'));
    try {
      const env = { PATH: process.env.PATH, HOME: home, 'INPUT_PRIVATE-KEY': 'not for git' };
      await configureGit({ userId: 1, name: 'my-app[bot]', email: '1+my-app[bot]@users.noreply.github.com', committer: '' }, env);
      const read = (key: string) => execFileSync('git', ['config', '--global', key], { env: { PATH: process.env.PATH, HOME: home } }).toString().trim();
      expect(read('user.name')).toBe('my-app[bot]');
      expect(read('user.email')).toBe('1+my-app[bot]@users.noreply.github.com');
      await expect(configureGit({ userId: 1, name: 'x', email: 'y', committer: '' }, { HOME: home, PATH: '/nonexistent' })).rejects.toThrow(/'configure-git' could not run git config .* Is git installed on the runner\?/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('HeldLog', () => {
  it('prints nothing until flushed, then every message redacted with the secrets known by then, escaped, on debug or warning', () => {
    const r = recorder();
    const secrets = new Secrets(r);
    const log = new HeldLog(r, secrets);
    log.warn('removed on ghs_secret1\n::error::x');
    log.error('failed');
    log.debug('debug ghs_secret1');
    log.info('info');
    expect(r.calls).toEqual([]);
    secrets.mask('ghs_secret1');
    log.flush();
    expect(r.calls.slice(1)).toEqual([
      ['warning', 'Octokit: removed on ***\\n::error::x'],
      ['warning', 'Octokit: failed'],
      ['debug', 'Octokit: debug ***'],
      ['debug', 'Octokit: info']
    ]);
    log.flush();
    expect(r.calls).toHaveLength(5);
  });
});

describe('proxiedFetch', () => {
  let proxy: TestProxy;
  beforeAll(async () => {
    proxy = await startProxy();
  });
  afterAll(() => proxy.close());

  it('reads an answer whole: status, headers and body', async () => {
    const fetch = await proxiedFetch(proxy.url);
    const reply = await fetch(`${t.gh.url}/users/octo-org`, { headers });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/json/);
    expect(await reply.json()).toMatchObject({ login: 'octo-org' });
  });

  it('stops reading at 10 MiB: a network failure, like the direct path', async () => {
    t.gh.faults.push(streamedBody(200, 40 * 1024 * 1024));
    const fetch = await proxiedFetch(proxy.url);
    const failure = (await fetch(`${t.gh.url}/users/octo-org`, { headers }).catch((e: unknown) => e)) as TypeError & { cause: Error };
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure.cause.message).toBe('response body over 10485760 bytes');
  });

  it("a body cut off by the signal rejects with the signal's reason, not an empty answer", async () => {
    t.gh.faults.push(stalledBody(200));
    const fetch = await proxiedFetch(proxy.url);
    const failure = (await fetch(`${t.gh.url}/users/octo-org`, { headers, signal: AbortSignal.timeout(300) }).catch((e: unknown) => e)) as Error;
    expect(failure.name).toBe('TimeoutError');
  });
});

describe("post and main's saved API URL", () => {
  const env = (inputs: Record<string, string> = {}) => t.env({ summary: 'false', ...inputs });

  it('sends nothing when the saved URL is not the inputs', async () => {
    const main = recorder();
    await runMain({ env: env(), runner: main, retry });
    t.gh.requests.length = 0;
    const post = recorder({ ...main.state, 'api-url': 'https://elsewhere.example.com' });
    await runPost({ env: env(), runner: post, retry });
    expect(t.gh.requests).toEqual([]);
    expect(post.calls.filter((c) => c[0] === 'warning')).toEqual([['warning', expect.stringMatching(/^Token not revoked: the API URL saved by the main step \('https:\/\/elsewhere\.example\.com'\) is not the one/)]]);
  });

  it("sends nothing when post's own inputs give no usable URL", async () => {
    const post = recorder({ token: 'ghs_x', 'expires-at': '2999-01-01T00:00:00Z', 'api-url': 'http://ghe.example.com' });
    await runPost({ env: env({ 'github-api-url': 'http://ghe.example.com' }), runner: post, retry });
    expect(t.gh.requests).toEqual([]);
    expect(post.calls.filter((c) => c[0] === 'warning')).toEqual([['warning', expect.stringMatching(/^Token not revoked: Input 'github-api-url' .* uses http:\/\/.* It stays valid until 2999-01-01T00:00:00Z\.$/)]]);
  });

  it('says "Token revoked." only for a 204', async () => {
    const main = recorder();
    await runMain({ env: env(), runner: main, retry });
    t.gh.faults.push(statusFault(200, { ok: true }, undefined, { match: { method: 'DELETE' } }));
    const post = recorder(main.state);
    await runPost({ env: env(), runner: post, retry });
    expect(post.calls).not.toContainEqual(['info', 'Token revoked.']);
    expect(post.calls.filter((c) => c[0] === 'warning')).toEqual([['warning', expect.stringMatching(/answered 200, not 204/)]]);
  });
});
