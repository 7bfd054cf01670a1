import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../../src/app/core.js';
import { BRIDGE_PATH, type BridgeMessage } from '../../src/preview/bridge-protocol.js';
import { previewLauncher } from '../../src/preview/preview-launcher.js';
import { type PreviewServer, startPreviewServer } from '../../src/preview/preview-server.js';
import { SettingsStore } from '../../src/store/settings-store.js';
import { MemorySecrets } from '../helpers/memory-secrets.js';

const PAGE = `<!doctype html><html><head>
<meta
  http-equiv="Content-Security-Policy"
  content="default-src 'none'; script-src 'self'; connect-src 'none'; base-uri 'none'"
/>
<script type="module" src="./assets/app.js"></script></head><body></body></html>`;

interface Response {
  status: number;
  body: string;
}

describe('the preview bridge', () => {
  let dir: string;
  let core: Core;
  let server: PreviewServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sesame-bridge-'));
    const site = join(dir, 'site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), PAGE);
    writeFileSync(join(site, 'assets', 'app.js'), 'export {};\n');
    writeFileSync(join(dir, 'secret.txt'), 'not for the browser\n');
    // The core is never started here: no provider is asked, the dead address is a safeguard.
    SettingsStore.open(join(dir, 'settings')).update((s) => ({
      ...s,
      preferences: {
        ...s.preferences,
        ipProviders: [{ kind: 'http', name: 'none', format: 'text', ipv4: 'http://127.0.0.1:9/' }],
      },
    }));
    core = createCore({
      dir: join(dir, 'settings'),
      launcher: previewLauncher,
      appInfo: { version: '0.1.0', platform: 'linux' },
      secrets: new MemorySecrets(),
    });
    // The engine without the watcher: it follows the servers and their secrets.
    await core.services.engine.start();
    server = await startPreviewServer({ services: core.services, staticDir: site });
  });
  afterAll(async () => {
    await server.close();
    await core.services.engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function get(path: string, host = `127.0.0.1:${server.port}`): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path, headers: { host } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** Opens the bridge's WebSocket; resolves with it, or with the HTTP status it was refused with. */
  function open(query: string, origin: string | null = server.origin, path = BRIDGE_PATH) {
    return new Promise<WebSocket | number>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}${path}${query}`, {
        ...(origin !== null && { origin }),
      });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', reject);
    });
  }

  async function connect() {
    const ws = await open(`?token=${server.token}`);
    if (typeof ws === 'number') throw new Error(`refused with ${ws}`);
    const messages: BridgeMessage[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as BridgeMessage));
    let id = 0;
    const call = async (name: string, input?: unknown) => {
      id += 1;
      const mine = id;
      ws.send(JSON.stringify({ type: 'call', id: mine, name, input }));
      for (;;) {
        const answer = messages.find((m) => m.type === 'result' && m.id === mine);
        if (answer?.type === 'result') return answer.result;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const events = (name: string) =>
      messages.flatMap((m) => (m.type === 'event' && m.event === name ? [m.payload] : []));
    return { ws, call, events };
  }

  it('prints an address on 127.0.0.1 with a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[\w-]{43}$/);
  });

  it('serves the page only with the token, and lets it connect to its own bridge only', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(
      `content="default-src 'none'; script-src 'self'; base-uri 'none'; connect-src ws://127.0.0.1:${server.port}/bridge"`,
    );
    expect((await get('/assets/app.js')).body).toBe('export {};\n');
  });

  it('refuses another Host (DNS rebinding) and paths outside the built window', async () => {
    expect((await get(`/?token=${server.token}`, `evil.example:${server.port}`)).status).toBe(403);
    expect((await get('/assets/app.js', 'localhost')).status).toBe(403);
    expect((await get('/../secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await get('/assets/none.js')).status).toBe(404);
    expect((await get('/%E0%A4%A')).status).toBe(404);
    expect((await get(`/?token=${server.token}`)).status).toBe(200);
  });

  it('refuses a WebSocket without the token, with a wrong one, from another origin or path', async () => {
    expect(await open('')).toBe(403);
    expect(await open('?token=')).toBe(403);
    expect(await open(`?token=${server.token.slice(0, -1)}x`)).toBe(403);
    expect(await open(`?token=${server.token}`, 'http://evil.example')).toBe(403);
    expect(await open(`?token=${server.token}`, `http://localhost:${server.port}`)).toBe(403);
    expect(await open(`?token=${server.token}`, null)).toBe(403);
    expect(await open(`?token=${server.token}`, server.origin, '/other')).toBe(403);
  });

  it("speaks the contract with the core's handlers, and pushes its events", async () => {
    const { ws, call, events } = await connect();
    expect(await call('servers.list')).toEqual({ ok: true, value: [] });
    const added = await call('servers.add', {
      draft: { name: 'office', host: '127.0.0.1', method: { kind: 'knock' } },
      secret: { kind: 'knock', sequence: '4127,9313,2871' },
    });
    expect(added).toMatchObject({ ok: true, value: { server: { name: 'office' } } });
    const list = await call('servers.list');
    expect(list).toMatchObject({
      ok: true,
      value: [{ profile: { name: 'office' }, status: { secret: 'stored' } }],
    });
    expect(events('servers')).toHaveLength(1);
    expect(events('log')).toEqual([expect.objectContaining({ message: 'added office' })]);
    expect(JSON.stringify(events('servers'))).not.toContain('4127');
    expect(
      await call('servers.sshCommand', {
        id: (added as { value: { server: { id: string } } }).value.server.id,
      }),
    ).toEqual({
      ok: true,
      value: { command: 'ssh -- 127.0.0.1' },
    });
    ws.close();
  });

  it('answers wrong calls with a message, and closes on what is not a call', async () => {
    const { ws, call } = await connect();
    expect(await call('servers.format')).toEqual({
      ok: false,
      error: { kind: 'invalid-input', message: '"servers.format" is not a call Sesame knows' },
    });
    expect(await call('servers.knock', { id: 'x', extra: true })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-input' },
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('{"type":"call","id":-1,"name":"servers.list"}');
    expect(await closed).toBe(1008);
  });
});
