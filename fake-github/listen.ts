// Listening on 127.0.0.1 at a free port, for the fake and the test servers beside it.
import type { AddressInfo, Server } from 'node:net';

/** Resolves with the port once `server` listens on 127.0.0.1; rejects if it cannot. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
