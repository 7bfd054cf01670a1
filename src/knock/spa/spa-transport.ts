import { Socket } from 'node:net';
import { abortReason, throwIfAborted } from '../../lib/clock.js';
import { formatEndpoint, HitError } from '../tcp-hit.js';
import { sendUdpHit } from '../udp-hit.js';
import type { SpaTransport } from './spa-options.js';

/**
 * How the wire string travels (fwknop's spa_comm.c): one UDP datagram (the default), or over a
 * TCP connection fwknopd's TCP server accepts (ENABLE_TCP_SERVER), either as is or as an HTTP GET
 * (ENABLE_SPA_OVER_HTTP). fwknopd reads the data off the wire with pcap in every case.
 */
export interface SpaSendTarget {
  readonly transport: SpaTransport;
  readonly address: string;
  readonly port: number;
  /** The Host header of an HTTP request: the server as the person named it. */
  readonly hostHeader: string;
  readonly userAgent: string;
  readonly signal?: AbortSignal;
  /** How long a TCP connection may take to be accepted. */
  readonly connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/**
 * fwknop's SPA over HTTP: `+` and `/` become `-` and `_` (fwknopd turns them back), and the
 * User-Agent must start with "Fwknop" unless the server allows any.
 */
export function httpRequestFor(wire: string, hostHeader: string, userAgent: string): string {
  const path = wire.replaceAll('+', '-').replaceAll('/', '_');
  return `GET /${path} HTTP/1.1\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\nHost: ${hostHeader}\r\nConnection: close\r\n\r\n`;
}

/** Sends the wire string; resolves with the number of bytes handed to the network. */
export async function sendSpaData(wire: string, target: SpaSendTarget): Promise<number> {
  throwIfAborted(target.signal);
  if (target.transport === 'udp') {
    const payload = Buffer.from(wire, 'latin1');
    await sendUdpHit(target.address, target.port, 4, payload);
    return payload.length;
  }
  const text =
    target.transport === 'http' ? httpRequestFor(wire, target.hostHeader, target.userAgent) : wire;
  return sendOverTcp(Buffer.from(text, 'latin1'), target);
}

function sendOverTcp(payload: Buffer, target: SpaSendTarget): Promise<number> {
  const where = `${formatEndpoint(target.address, target.port)}/tcp`;
  const timeoutMs = target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise<number>((resolve, reject) => {
    const socket = new Socket();
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      target.signal?.removeEventListener('abort', onAbort);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve(payload.length);
      }
    };
    const onAbort = (): void => finish(abortReason(target.signal));
    const timer = setTimeout(
      () =>
        finish(
          new HitError(
            `${where} did not accept the connection within ${timeoutMs} ms: is fwknopd's TCP server on (ENABLE_TCP_SERVER)?`,
            'ETIMEDOUT',
            target.address,
          ),
        ),
      timeoutMs,
    );
    target.signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'ECONNREFUSED'
          ? ": nothing accepts there; is fwknopd's TCP server on (ENABLE_TCP_SERVER)?"
          : ` (${error.message})`;
      finish(
        new HitError(
          `could not send the SPA packet to ${where}${hint}`,
          error.code,
          target.address,
        ),
      );
    });
    socket.connect({ host: target.address, port: target.port, family: 4 }, () => {
      // fwknopd's TCP server takes one packet and hangs up; the data is on its way once written.
      socket.end(payload, () => finish());
    });
  });
}
