import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeTcp, waitForOpen } from '../../../src/probe/tcp-probe.js';
import { freePort, listen } from '../../helpers/loopback.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('probeTcp on loopback', () => {
  it('reports a listening port as open, with the time it took', async () => {
    const server = await listen(createServer((socket) => socket.destroy()));
    servers.push(server.server);
    const result = await probeTcp('127.0.0.1', server.port, 1000);
    expect(result).toMatchObject({ state: 'open', address: '127.0.0.1', port: server.port });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a port nobody listens on as closed (refused)', async () => {
    const port = await freePort();
    await expect(probeTcp('127.0.0.1', port, 1000)).resolves.toMatchObject({
      state: 'closed',
      code: 'ECONNREFUSED',
    });
  });
});

describe('waitForOpen', () => {
  it('sees a port that starts answering while it waits', async () => {
    const port = await freePort();
    const server = createServer((socket) => socket.destroy());
    servers.push(server);
    setTimeout(() => server.listen(port, '127.0.0.1'), 150);
    const result = await waitForOpen('127.0.0.1', port, { timeoutMs: 3000 });
    expect(result.state).toBe('open');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(140);
  });

  it('gives up at the timeout and says the port stayed closed', async () => {
    const port = await freePort();
    const result = await waitForOpen('127.0.0.1', port, { timeoutMs: 300 });
    expect(result.state).toBe('closed');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(200);
  });

  it('stops when cancelled', async () => {
    const port = await freePort();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(
      waitForOpen('127.0.0.1', port, { timeoutMs: 5000, signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
