// The production path is https: the built action against the fake API behind TLS, with the
// server's CA given to Node the way a GHES runner with a private CA does (NODE_EXTRA_CA_CERTS).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { startProxy } from '../support/proxy.ts';
import { errors, routes, useFakeGitHub } from '../support/scenario.ts';
import { makeTestCa, startTlsFront, TEST_HOST } from '../support/test-tls.ts';

const s = useFakeGitHub();
const dir = mkdtempSync(join(tmpdir(), 'tls-'));
let tls: Server;
let url = '';

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  // terminates TLS and pipes to the fake
  tls = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (socket) => {
    const upstream = connect(s.gh.port, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => tls.close(resolve)));

describe('over https', () => {
  it('mints and revokes through TLS when the CA is trusted', async () => {
    const { main, post } = await s.run({ 'github-api-url': url }, { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
    expect(main.code).toBe(0);
    expect(post.code).toBe(0);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(s.gh.tokens.get(main.outputs['token'] ?? '')?.revoked).toBe(true);
  });

  it('goes through HTTPS_PROXY with a CONNECT tunnel, as on a self-hosted runner behind a proxy', async () => {
    // a name only the proxy resolves: 127.0.0.1 itself, being loopback, would go direct
    const ca = makeTestCa();
    const front = await startTlsFront(ca, s.gh.port);
    const proxy = await startProxy({ hosts: { [TEST_HOST]: '127.0.0.1' } });
    try {
      const { main, post } = await s.run({ 'github-api-url': front.urlFor() }, { NODE_EXTRA_CA_CERTS: ca.caFile, HTTPS_PROXY: proxy.url });
      expect(main.code).toBe(0);
      expect(post.code).toBe(0);
      expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
      expect(proxy.seen.length).toBeGreaterThanOrEqual(2); // one tunnel per step at least
      expect(proxy.seen.every((p) => p.method === 'CONNECT' && p.target === `${TEST_HOST}:${front.port}`)).toBe(true);
    } finally {
      await proxy.close();
      await front.close();
      ca.dispose();
    }
  });

  it('does not send https to a loopback address through HTTPS_PROXY', async () => {
    const proxy = await startProxy();
    try {
      const { main, post } = await s.run({ 'github-api-url': url }, { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'), HTTPS_PROXY: proxy.url });
      expect(main.code).toBe(0);
      expect(post.code).toBe(0);
      expect(proxy.seen).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a certificate it cannot verify, without retrying, and says what to check', async () => {
    const { main } = await s.run({ 'github-api-url': url });
    expect(main.code).toBe(1);
    expect(s.gh.requests).toHaveLength(0);
    expect(main.stdout).not.toMatch(/trying again/);
    expect(errors(main)).toEqual([
      expect.stringMatching(/^GET \/repos\/octo-org\/app-token\/installation failed: no answer \(.*DEPTH_ZERO_SELF_SIGNED_CERT\)+\. The server's TLS certificate could not be verified.*NODE_EXTRA_CA_CERTS/)
    ]);
  });
});
