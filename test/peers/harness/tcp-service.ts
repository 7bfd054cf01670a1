import type { Cleanup } from './cleanup.js';
import type { Namespace } from './netns.js';
import { waitFor } from './run.js';

/**
 * A stand-in for the protected service (sshd, RDP): a TCP listener on every address of the
 * namespace, IPv4 and IPv6, that greets and hangs up.
 */
export async function startTcpService(
  ns: Namespace,
  cleanup: Cleanup,
  port: number,
  banner = 'SSH-2.0-sesame-test',
): Promise<void> {
  const script = `
    const server = require('node:net').createServer((socket) => {
      socket.on('error', () => {});
      socket.end(${JSON.stringify(`${banner}\r\n`)});
    });
    server.listen({ port: ${port}, host: '::', ipv6Only: false }, () => console.log('ready'));`;
  const child = ns.start(cleanup, process.execPath, ['-e', script]);
  child.stderr?.resume();
  let ready = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('ready')) ready = true;
  });
  await waitFor(`the service on port ${port}`, () => ready, 10_000);
}
