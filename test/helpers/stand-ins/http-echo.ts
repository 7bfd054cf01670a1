import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP, type Socket } from 'node:net';
import {
  answerAddress,
  closeStandIn,
  delay,
  ECHO,
  plainSource,
  type StandInMode,
  switchMode,
} from './stand-in-mode.js';

export type EchoFormat = 'text' | 'trace' | 'json';

export interface HttpEchoOptions {
  /** Where to listen: `127.0.0.1`, `::1`, or `::` for both families (standalone). */
  readonly host: string;
  readonly port?: number;
  readonly format?: EchoFormat;
  /** Serve HTTPS with this key and certificate (see self-signed.ts). */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly mode?: StandInMode;
}

export interface HttpEcho {
  readonly host: string;
  readonly port: number;
  /** The URL to give the resolver, e.g. `http://127.0.0.1:41234/` or `https://[::1]:41235/`. */
  readonly url: string;
  readonly requests: { readonly source: string; readonly userAgent: string }[];
  mode: StandInMode;
  setMode(mode: StandInMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * A stand-in for ipify, icanhazip, ifconfig.co or Cloudflare's trace: it answers the address the
 * request came from, in the chosen format, unless its mode says to misbehave. `dead` really
 * stops listening (the port then refuses connections) and any other mode listens again on the
 * same port.
 */
export async function startHttpEcho(options: HttpEchoOptions): Promise<HttpEcho> {
  const format = options.format ?? 'text';
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void answer(req, res);
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createHttpServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);

  const echo: HttpEcho = {
    host: options.host,
    port: 0,
    url: '',
    requests: [],
    mode: options.mode ?? ECHO,
    setMode: (mode) => switchMode(echo, mode, stop, () => listen(echo.port)),
    close: () => closeStandIn(timers, stop),
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const source = plainSource(req.socket.remoteAddress);
    echo.requests.push({ source, userAgent: req.headers['user-agent'] ?? '' });
    const mode = echo.mode;
    if (mode.kind === 'slow' && !(await delay(mode.delayMs, timers))) return;
    if (res.destroyed) return;
    const version = isIP(source) === 6 ? 6 : 4;
    const address = answerAddress(mode, source, version);
    res.setHeader('content-type', format === 'json' ? 'application/json' : 'text/plain');
    if (address === undefined) {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body><h1>Welcome to Hotel Wi-Fi</h1>Please log in.</body></html>\n');
    } else if (format === 'json') {
      res.end(JSON.stringify({ ip: address, country: 'Nowhere' }));
    } else if (format === 'trace') {
      res.end(`fl=1f1\nh=stand-in\nip=${address}\nts=1700000000.1\nvisit_scheme=http\nloc=XX\n`);
    } else {
      res.end(`${address}\n`);
    }
  }

  function listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: options.host, ipv6Only: false }, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  }

  function stop(): Promise<void> {
    return new Promise((resolve) => {
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  }

  if (echo.mode.kind === 'dead') throw new Error('start a stand-in alive, then set it dead');
  await listen(options.port ?? 0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const scheme = options.tls ? 'https' : 'http';
  const urlHost = isIP(options.host) === 6 ? `[${options.host}]` : options.host;
  return Object.assign(echo, {
    port: address.port,
    url: `${scheme}://${urlHost}:${address.port}/`,
  });
}
