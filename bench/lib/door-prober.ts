import { Socket } from 'node:net';

/**
 * Finds the moment a port starts answering, to the millisecond: a fresh connect every
 * `everyMs`, each given up after `attemptMs` (a dropped SYN gets no answer, and the kernel would
 * only resend it after a second). The same prober times every client, so they compare fairly.
 */
export function waitUntilOpen(
  address: string,
  port: number,
  timeoutMs = 3000,
  everyMs = 1,
  attemptMs = 100,
): Promise<number> {
  const started = performance.now();
  return new Promise<number>((resolve, reject) => {
    const sockets = new Set<Socket>();
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearInterval(ticker);
      for (const socket of sockets) socket.destroy();
      if (error) reject(error);
      else resolve(performance.now());
    };
    const attempt = (): void => {
      if (performance.now() - started > timeoutMs) {
        finish(new Error(`${address}:${port} did not open within ${timeoutMs} ms`));
        return;
      }
      const socket = new Socket();
      sockets.add(socket);
      const drop = (): void => {
        socket.destroy();
        sockets.delete(socket);
      };
      socket.setTimeout(attemptMs, drop);
      socket.once('error', drop);
      socket.once('connect', () => finish());
      socket.connect({ host: address, port });
    };
    const ticker = setInterval(attempt, everyMs);
    attempt();
  });
}
