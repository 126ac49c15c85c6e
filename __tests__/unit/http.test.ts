// The node:http fetch Octokit uses, over real sockets.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { nodeFetch } from '../../src/http.ts';

let server: Server;
let base = '';
const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      const [path] = (req.url ?? '').split('?');
      if (path === '/json') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
        res.end(JSON.stringify({ ok: true, echo: body }));
      } else if (path === '/moved') {
        res.writeHead(301, { location: '/json' }).end();
      } else if (path === '/see-other') {
        res.writeHead(303, { location: `${base}/json` }).end();
      } else if (path === '/away') {
        res.writeHead(307, { location: `http://localhost:${(server.address() as AddressInfo).port}/json` }).end();
      } else if (path === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else if (path === '/reset') {
        req.socket.destroy();
      } else if (path === '/hang') {
        // never answers
      } else if (path === '/half') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setTimeout(() => req.socket.destroy(), 20);
      } else if (path === '/empty') {
        res.writeHead(204).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('nodeFetch', () => {
  it('sends method, headers and body, and reads status, headers and JSON', async () => {
    const res = await nodeFetch(`${base}/json`, { method: 'POST', headers: { authorization: 'token x', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${base}/json`);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('x-multi')).toBe('a, b');
    expect(Object.fromEntries(res.headers as unknown as Iterable<[string, string]>)).toMatchObject({ 'content-type': 'application/json' });
    expect(await res.json()).toEqual({ ok: true, echo: '{"a":1}' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', auth: 'token x', body: '{"a":1}' });
  });

  it('follows redirects, keeping the credentials on the same origin only', async () => {
    const same = await nodeFetch(`${base}/moved`, { headers: { authorization: 'token x' } });
    expect(same.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ url: '/json', auth: 'token x' });
    const other = await nodeFetch(`${base}/away`, { method: 'DELETE', headers: { authorization: 'token x' } });
    expect(other.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/json', auth: undefined });
    await nodeFetch(`${base}/see-other`, { method: 'POST', body: 'x' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', body: '' });
  });

  it('stops following after 5 redirects and returns the last answer', async () => {
    const before = seen.length;
    const res = await nodeFetch(`${base}/loop`);
    expect(res.status).toBe(302);
    expect(seen.length - before).toBe(6);
  });

  it('reads an empty 204', async () => {
    const res = await nodeFetch(`${base}/empty`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('fails like fetch, with the network error as the cause', async () => {
    const refused = await nodeFetch('http://127.0.0.1:9/', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as { cause: { code: string } }).cause.code).toBe('ECONNREFUSED');
    const reset = await nodeFetch(`${base}/reset`).catch((e: unknown) => e);
    expect((reset as { cause: { code: string } }).cause.code).toBe('ECONNRESET');
    const half = await nodeFetch(`${base}/half`).catch((e: unknown) => e);
    expect(half).toBeInstanceOf(TypeError);
  });

  it('gives up when the signal fires, with the signal\'s reason', async () => {
    const started = Date.now();
    const hung = await nodeFetch(`${base}/hang`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((hung as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('speaks TLS to https URLs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_, res) => res.end('secure'));
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`;
      // not trusted: the TLS check runs (the runner's CA store decides, as for any Node program)
      const untrusted = await nodeFetch(url).catch((e: unknown) => e);
      expect((untrusted as { cause: { code: string } }).cause.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      tls.closeAllConnections();
      await new Promise((resolve) => tls.close(resolve));
    }
  });
});
