// A forward HTTP proxy on 127.0.0.1: CONNECT tunnelling (what undici's ProxyAgent uses, even
// for http:// targets) and absolute-URI plain HTTP forwarding. Records every target it serves.
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { listenOnLoopback } from '../../fake-github/listen.ts';

export interface ProxySeen {
  /** 'CONNECT' for tunnels, otherwise the forwarded request's method. */
  method: string;
  /** 'host:port' for CONNECT, the absolute URI for plain forwarding. */
  target: string;
  /** Request headers the proxy received (lowercased), e.g. proxy-authorization. */
  headers: Record<string, string>;
}

export interface ProxyOptions {
  /** When set ('user:pass'), requests without matching Proxy-Authorization get 407. */
  auth?: string;
  /** Host names only this proxy resolves (e.g. TEST_HOST → 127.0.0.1), as a proxy resolves names on its own machine. */
  hosts?: Record<string, string>;
}

export interface TestProxy {
  url: string;
  port: number;
  seen: ProxySeen[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade'
]);

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function splitHostPort(target: string): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

export async function startProxy(options: ProxyOptions = {}): Promise<TestProxy> {
  const seen: ProxySeen[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const expectedAuth = options.auth ? `Basic ${Buffer.from(options.auth).toString('base64')}` : undefined;
  const authorized = (headers: IncomingHttpHeaders): boolean =>
    expectedAuth === undefined || headers['proxy-authorization'] === expectedAuth;

  const server = createServer((req, res) => {
    const target = req.url ?? '';
    seen.push({ method: req.method ?? 'GET', target, headers: flatten(req.headers) });
    if (!authorized(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test-proxy"', 'content-length': '0' });
      res.end();
      return;
    }
    let url: URL;
    try {
      url = new URL(target);
      if (url.protocol !== 'http:') throw new Error('only http:// targets are forwarded');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('proxy: absolute http:// URI required');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(flatten(req.headers))) {
      if (!HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers.host = url.host;
    const upstream = httpRequest(
      { host: options.hosts?.[url.hostname.toLowerCase()] ?? url.hostname, port: url.port || 80, method: req.method, path: url.pathname + url.search, headers },
      (upstreamRes) => {
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(flatten(upstreamRes.headers))) {
          if (!HOP_BY_HOP.has(name)) responseHeaders[name] = value;
        }
        res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders);
        upstreamRes.pipe(res);
      }
    );
    upstream.on('socket', track);
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('proxy: upstream error');
      } else {
        res.destroy();
      }
    });
    req.pipe(upstream);
  });

  server.on('connect', (req, clientSocket: Socket, head: Buffer) => {
    const target = req.url ?? '';
    seen.push({ method: 'CONNECT', target, headers: flatten(req.headers) });
    track(clientSocket);
    clientSocket.on('error', () => clientSocket.destroy());
    if (!authorized(req.headers)) {
      clientSocket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const hostPort = splitHostPort(target);
    if (!hostPort) {
      clientSocket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(hostPort.port, options.hosts?.[hostPort.host.toLowerCase()] ?? hostPort.host);
    track(upstream);
    let established = false;
    upstream.once('connect', () => {
      established = true;
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => {
      if (!established && clientSocket.writable) {
        clientSocket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      } else {
        clientSocket.destroy();
      }
    });
    upstream.on('close', () => clientSocket.destroy());
    clientSocket.on('close', () => upstream.destroy());
  });

  server.on('connection', track);
  const port = await listenOnLoopback(server);
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    async close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}
