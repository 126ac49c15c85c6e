// A test CA and a certificate for test host names, made with openssl at test time (no key is
// committed), and a TLS front that serves a fake (plain http on 127.0.0.1) over https. With the
// CA in NODE_EXTRA_CA_CERTS, the built action trusts the front as a GHES runner trusts its CA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

/**
 * A name that is not loopback and that no resolver knows (RFC 6761 reserves .invalid): only the
 * test proxy, told where it points, can reach it. A run that bypasses the proxy fails to resolve it.
 */
export const TEST_HOST = 'api.github.invalid';

export interface TestCa {
  /** the CA's certificate, for NODE_EXTRA_CA_CERTS */
  caFile: string;
  key: Buffer;
  cert: Buffer;
  dispose(): void;
}

/** A CA and a leaf certificate for `names` (DNS names), valid one day. */
export function makeTestCa(names: readonly string[] = [TEST_HOST]): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'app-token-ca-'));
  const at = (file: string) => join(dir, file);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=App Token test CA', '-keyout', at('ca.key'), '-out', at('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${names[0]}`, '-keyout', at('leaf.key'), '-out', at('leaf.csr'));
  writeFileSync(at('leaf.ext'), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', at('leaf.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', at('leaf.ext'), '-out', at('leaf.pem'));
  return { caFile: at('ca.pem'), key: readFileSync(at('leaf.key')), cert: readFileSync(at('leaf.pem')), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TlsFront {
  port: number;
  /** https://TEST_HOST:port + prefix: reachable only through the test proxy */
  urlFor(prefix?: string): string;
  close(): Promise<void>;
}

/** Terminates TLS on 127.0.0.1 and pipes each connection to `upstreamPort` (a fake GitHub). */
export async function startTlsFront(ca: TestCa, upstreamPort: number, host = TEST_HOST): Promise<TlsFront> {
  const server: Server = createServer({ key: ca.key, cert: ca.cert }, (socket) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    urlFor: (prefix = '') => `https://${host}:${port}${prefix}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      })
  };
}
