// The runner's proxy settings, decided for the URL the action calls, and the proxied transport.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bypassesProxy, proxiedFetch, proxyFor } from '../../src/proxy.js';
import { API_VERSION, stalledBody, streamedBody } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';
import { startProxy, type TestProxy } from '../support/proxy.ts';

const t = useInProcessGitHub();
const headers = { 'x-github-api-version': API_VERSION };

const https = new URL('https://ghe.example.com/api/v3');
const http = new URL('http://127.0.0.1:8080');
const plain = new URL('http://ghe.internal:8080');

describe('proxyFor', () => {
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, either case, lower case first', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1' })).toBe('http://p:1');
    expect(proxyFor(https, { https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:1' })).toBe('http://low:1');
    expect(proxyFor(https, { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyFor(plain, { http_proxy: 'http://p:2' })).toBe('http://p:2');
    expect(proxyFor(plain, {})).toBeUndefined();
  });
  it.each(['http://127.0.0.1:8080', 'http://127.9.8.7/api/v3', 'http://localhost:3000', 'http://LOCALHOST.:3000', 'https://localhost', 'http://[::1]:9000', 'https://[0:0:0:0:0:0:0:1]/'])(
    'never proxies loopback (%s), whatever the variables say, as the toolkit does',
    (url) => {
      const all = { HTTP_PROXY: 'http://p:1', http_proxy: 'http://p:1', HTTPS_PROXY: 'http://p:1', https_proxy: 'http://p:1' };
      expect(proxyFor(new URL(url), all)).toBeUndefined();
    }
  );
  it.each(['http://127.0.0.1.nip.io', 'https://localhost.example.com', 'http://128.0.0.1', 'https://[::2]/'])('still proxies %s, which is not loopback', (url) => {
    expect(proxyFor(new URL(url), { HTTP_PROXY: 'http://p:1', HTTPS_PROXY: 'http://p:1' })).toBe('http://p:1');
  });
  it('honours NO_PROXY in either case', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com' })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', no_proxy: 'other.com,ghe.example.com' })).toBeUndefined();
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', no_proxy: 'other.com' })).toBe('http://p:1');
  });
});

describe('bypassesProxy', () => {
  it.each([
    ['*', true],
    ['ghe.example.com', true],
    ['.example.com', true],
    ['*.example.com', true],
    ['example.com', true],
    ['ample.com', false],
    ['ghe.example.com:443', true],
    ['ghe.example.com:8443', false],
    [' , other.org  ghe.example.com', true],
    ['', false]
  ])('%s → %s for https://ghe.example.com', (entry, expected) => {
    expect(bypassesProxy(https, entry)).toBe(expected);
  });
  it('matches IPs and ports, IPv6 included', () => {
    expect(bypassesProxy(http, '127.0.0.1')).toBe(true);
    expect(bypassesProxy(http, '127.0.0.1:8080')).toBe(true);
    expect(bypassesProxy(http, '127.0.0.1:9090')).toBe(false);
    expect(bypassesProxy(new URL('http://[::1]:80/'), '::1')).toBe(true);
    expect(bypassesProxy(new URL('http://[::1]:80/'), '[::1]:80')).toBe(true);
    expect(bypassesProxy(new URL('http://[::1]:80/'), '[::1]:81')).toBe(false);
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

  it('stops reading at 10 MiB: a failure that says so, like the direct path', async () => {
    t.gh.faults.push(streamedBody(200, 40 * 1024 * 1024));
    const fetch = await proxiedFetch(proxy.url);
    const failure = (await fetch(`${t.gh.url}/users/octo-org`, { headers }).catch((e: unknown) => e)) as TypeError & { cause: Error };
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure.cause.message).toBe('an answer over 10 MiB');
    expect((failure.cause as Error & { code?: string }).code).toBe('ERESPONSETOOLARGE');
  });

  it("a body cut off by the signal rejects with the signal's reason, not an empty answer", async () => {
    t.gh.faults.push(stalledBody(200));
    const fetch = await proxiedFetch(proxy.url);
    const failure = (await fetch(`${t.gh.url}/users/octo-org`, { headers, signal: AbortSignal.timeout(300) }).catch((e: unknown) => e)) as Error;
    expect(failure.name).toBe('TimeoutError');
  });
});
