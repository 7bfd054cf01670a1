import { Socket } from 'node:net';

/** Errors that mean the SYN never left this machine, so the hit did not happen. */
const LOCAL_FAILURES = new Set([
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EACCES',
  'EPERM',
  'EADDRNOTAVAIL',
  'EAFNOSUPPORT',
]);

export class HitError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly address: string,
  ) {
    super(message);
    this.name = 'HitError';
  }

  /** The same failure without the port: knock ports are part of the secret sequence. */
  get withoutPort(): string {
    return `could not send a knock to ${this.address}: ${this.code ?? 'error'}`;
  }
}

/**
 * Sends exactly one TCP SYN to `address:port` and closes the socket.
 *
 * knockd counts every packet that reaches a sequence port, so a second SYN is a wrong hit that
 * ends the attempt. The kernel retransmits an unanswered SYN after about one second; the socket
 * must be gone well before that. It must not be closed too early either: Node starts the connect
 * in a `process.nextTick`, and a socket destroyed on the same tick never sends anything
 * (measured: 0 of 10 knocks arrived). `setImmediate` runs after that tick, so by then the
 * connect(2) call has put the SYN on the wire.
 */
export function sendTcpHit(address: string, port: number, family: 4 | 6): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = new Socket();
    let localError: NodeJS.ErrnoException | undefined;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A refusal (RST) or a late error after the SYN left is the door's business, not ours.
      if (error.code !== undefined && LOCAL_FAILURES.has(error.code)) localError ??= error;
    });
    socket.connect({ host: address, port, family });
    setImmediate(() => {
      socket.destroy();
      if (localError) {
        reject(
          new HitError(
            `could not send to ${formatEndpoint(address, port)}: ${localError.code ?? 'error'} (${localError.message})`,
            localError.code,
            address,
          ),
        );
      } else {
        resolve();
      }
    });
  });
}

export function formatEndpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
