import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import type { CoreServices } from '../api/core-services.js';
import { dispatch } from '../api/dispatch.js';
import { feedEvents } from '../api/event-feed.js';
import { createHandlers } from '../api/handlers.js';
import {
  BRIDGE_PATH,
  type BridgeMessage,
  callMessageSchema,
  MAX_MESSAGE_BYTES,
  TOKEN_PARAM,
} from './bridge-protocol.js';

export interface PreviewServerOptions {
  /** The core, composed as the tray app composes it (createCore). */
  readonly services: CoreServices;
  /** The built renderer (out/renderer). */
  readonly staticDir: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** A fixed token (tests); by default 32 random bytes. */
  readonly token?: string;
}

export interface PreviewServer {
  /** The page to open, token included: `http://127.0.0.1:41234/?token=…`. */
  readonly url: string;
  /** `http://127.0.0.1:41234`: the only Origin the WebSocket accepts. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * The preview bridge: serves the built renderer to a normal browser on 127.0.0.1 and speaks the
 * contract over a WebSocket, with the same dispatch, handlers and event feed as the tray app's
 * IPC. Only a page opened with the random token can talk to it: the WebSocket refuses a missing
 * or wrong token, a foreign Origin (another site open in the same browser) and a foreign Host
 * (DNS rebinding); the page itself is served only with the token too.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const handlers = createHandlers(options.services);
  const http = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, HOST, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const origin = `http://${HOST}:${port}`;
  const allowed = (req: IncomingMessage, url: URL): boolean =>
    req.headers.host === `${HOST}:${port}` &&
    tokenMatches(url.searchParams.get(TOKEN_PARAM), token);

  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void serveFile(req, res, options.staticDir, port, allowed);
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== BRIDGE_PATH || !allowed(req, url) || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const send = (message: BridgeMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const stop = feedEvents(options.services, (event, payload) =>
      send({ type: 'event', event, payload }),
    );
    ws.on('close', stop);
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      const call =
        !isBinary && Buffer.isBuffer(data) ? parseCall(data.toString('utf8')) : undefined;
      if (call === undefined) {
        ws.close(1008, 'not a call of the contract');
        return;
      }
      void dispatch(handlers, call.name, call.input).then((result) =>
        send({ type: 'result', id: call.id, result }),
      );
    });
  }

  return {
    url: `${origin}/?${TOKEN_PARAM}=${token}`,
    origin,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function parseCall(text: string) {
  try {
    const parsed = callMessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  port: number,
  allowed: (req: IncomingMessage, url: URL) => boolean,
): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
  const headers = {
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
    return;
  }
  if (req.headers.host !== `${HOST}:${port}`) {
    res.writeHead(403, headers).end();
    return;
  }
  const isPage = url.pathname === '/' || url.pathname === '/index.html';
  if (isPage && !allowed(req, url)) {
    res
      .writeHead(403, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' })
      .end('Open the address that npm run preview printed: it holds the token.\n');
    return;
  }
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(isPage ? '/index.html' : url.pathname)).slice(1);
  } catch {
    relative = '..'; // a malformed escape (%E0%A4%A) names no file
  }
  const path = join(root, relative);
  if (relative.startsWith('..') || !path.startsWith(root + sep)) {
    res.writeHead(404, headers).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    res.writeHead(404, headers).end();
    return;
  }
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const content = isPage ? Buffer.from(allowBridge(body.toString('utf8'), port)) : body;
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': content.length });
  res.end(req.method === 'HEAD' ? undefined : content);
}

/**
 * The built page's CSP allows no connection at all (`connect-src 'none'`: the tray app needs
 * none); the preview lets the page reach exactly its own bridge, and nothing else. The directive
 * is replaced, not added: of two connect-src directives a browser obeys the first.
 */
export function allowBridge(html: string, port: number): string {
  const bridge = `connect-src ws://${HOST}:${port}${BRIDGE_PATH}`;
  return html.replace(
    /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/,
    (_, start: string, policy: string, end: string) => {
      const directives = policy
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '' && !/^connect-src\b/i.test(part));
      return `${start}${[...directives, bridge].join('; ')}${end}`;
    },
  );
}
