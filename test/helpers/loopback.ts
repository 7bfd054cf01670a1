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

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { server, port } = await listen(createServer());
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
