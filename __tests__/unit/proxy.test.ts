import { describe, expect, it } from '@jest/globals';
import { bypassesProxy, proxyFor } from '../../src/proxy.js';

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
