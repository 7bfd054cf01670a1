import { createServer, type Server } from 'node:net';

/** Starts a server on 127.0.0.1 on a free port. */
export function listen(
  server: Server,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      resolve({ server, port: address.port });
    });
  });
}

const handedOut = new Set<number>();

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, and that this process has not been
 * given before: a test that asks for many (a door per server) must not get one port twice, which
 * the OS may do once the first asker has closed it again.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const { server, port } = await listen(createServer());
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
