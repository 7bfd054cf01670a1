import { createSocket } from 'node:dgram';
import { HitError, formatEndpoint } from './tcp-hit.js';

/** knock's default UDP payload: a single zero byte (knockd ignores the payload). */
export const DEFAULT_UDP_PAYLOAD: Uint8Array = Uint8Array.of(0);

/** Sends one UDP datagram to `address:port`; resolves once the kernel has taken it. */
export function sendUdpHit(
  address: string,
  port: number,
  family: 4 | 6,
  payload: Uint8Array = DEFAULT_UDP_PAYLOAD,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    const fail = (error: NodeJS.ErrnoException): void => {
      socket.close();
      reject(
        new HitError(
          `could not send to ${formatEndpoint(address, port)}/udp: ${error.code ?? 'error'} (${error.message})`,
          error.code,
          address,
        ),
      );
    };
    socket.once('error', fail);
    socket.send(payload, port, address, (error) => {
      if (error) {
        fail(error);
        return;
      }
      socket.close();
      resolve();
    });
  });
}
