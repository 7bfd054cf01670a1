import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callChannel, eventChannel } from '../../electron/channels.js';
import { createSesameApi, type RendererIpc } from '../../electron/bridge-api.js';
import {
  AUTOSTART_FILE,
  autostartEntry,
  createLoginItem,
  desktopExecArgument,
} from '../../electron/login-item.js';
import { isSamePage } from '../../electron/window.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc(answer: unknown) {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: RendererIpc = {
    invoke: (...args) => {
      invoked.push(args);
      return Promise.resolve(answer);
    },
    on: (channel, listener) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  return { ipc, invoked, listeners };
}

describe('window.sesame', () => {
  it('sends each call on its own channel and gives back the value', async () => {
    const { ipc, invoked } = fakeIpc({ ok: true, value: [] });
    const api = createSesameApi(ipc);
    await expect(api.invoke('servers.list')).resolves.toEqual([]);
    await api.invoke('servers.knock', { id: 'abc' });
    expect(invoked).toEqual([
      [callChannel('servers.list'), undefined],
      [callChannel('servers.knock'), { id: 'abc' }],
    ]);
  });

  it('turns a refused call into an Error with the message to show', async () => {
    const { ipc } = fakeIpc({
      ok: false,
      error: { kind: 'not-found', message: 'no saved server has the id x' },
    });
    await expect(createSesameApi(ipc).invoke('servers.knock', { id: 'x' })).rejects.toThrow(
      'no saved server has the id x',
    );
  });

  it('refuses names outside the contract without sending anything', async () => {
    const { ipc, invoked, listeners } = fakeIpc({ ok: true, value: 1 });
    const api = createSesameApi(ipc) as unknown as {
      invoke(name: string): Promise<unknown>;
      on(name: string, listener: unknown): unknown;
    };
    for (const name of ['__proto__', 'constructor', 'sesame:call:app.info', 'toString']) {
      await expect(api.invoke(name)).rejects.toThrow('is not a call Sesame knows');
      expect(() => api.on(name, () => undefined)).toThrow('is not an event Sesame sends');
    }
    expect(() => api.on('status', 'not a function')).toThrow('must be a function');
    expect(invoked).toEqual([]);
    expect(listeners.size).toBe(0);
  });

  it('hands listeners the payload alone, and unsubscribes', () => {
    const { ipc, listeners } = fakeIpc(undefined);
    const got: unknown[] = [];
    const stop = createSesameApi(ipc).on('network', (payload) => got.push(payload));
    const channel = eventChannel('network');
    for (const listener of listeners.get(channel) ?? [])
      listener({ sender: 'ipcRenderer' }, { checking: true });
    expect(got).toEqual([{ checking: true }]);
    stop();
    expect(listeners.get(channel)?.size).toBe(0);
  });
});

describe('the page the window may call from', () => {
  it('is the same file, whatever the fragment or query', () => {
    const page = 'file:///opt/Sesame/resources/app.asar/out/renderer/index.html';
    expect(isSamePage(`${page}#/servers`, page)).toBe(true);
    expect(isSamePage(`${page}?x=1`, page)).toBe(true);
    expect(isSamePage('file:///tmp/evil/index.html', page)).toBe(false);
    expect(isSamePage('https://evil.example/out/renderer/index.html', page)).toBe(false);
    expect(isSamePage('not a url', page)).toBe(false);
  });
});

describe('launch at login', () => {
  const home = mkdtempSync(join(tmpdir(), 'sesame-login-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('uses Electron’s login items on macOS and Windows', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const calls: unknown[] = [];
      const item = createLoginItem({
        platform,
        env: {},
        execPath: '/x',
        home,
        setLoginItemSettings: (settings) => calls.push(settings),
      });
      item.apply(true);
      item.apply(false);
      expect(calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
    }
  });

  it('writes and removes an XDG autostart entry on Linux, naming the AppImage', () => {
    const item = createLoginItem({
      platform: 'linux',
      env: { APPIMAGE: '/home/me/Apps/Sesame 1.0.AppImage' },
      execPath: '/tmp/.mount_Sesame/sesame',
      home,
      setLoginItemSettings: () => {
        throw new Error('not on Linux');
      },
    });
    const file = join(home, '.config', 'autostart', AUTOSTART_FILE);
    item.apply(true);
    expect(readFileSync(file, 'utf8')).toContain('Exec="/home/me/Apps/Sesame 1.0.AppImage"\n');
    item.apply(false);
    expect(existsSync(file)).toBe(false);
    item.apply(false);
  });

  it('quotes the program in the Exec line as the Desktop Entry Specification says', () => {
    expect(desktopExecArgument('/usr/bin/sesame')).toBe('/usr/bin/sesame');
    expect(desktopExecArgument('/opt/my apps/sesame')).toBe('"/opt/my apps/sesame"');
    // Inside quotes, " ` $ \ are escaped, then every backslash is doubled for the string value.
    expect(desktopExecArgument('/opt/$(id)/a"b`c\\d')).toBe(
      '"/opt/\\\\$(id)/a\\\\"b\\\\`c\\\\\\\\d"',
    );
    expect(desktopExecArgument('/opt/100%/sesame')).toBe('/opt/100%%/sesame');
    expect(() => desktopExecArgument('/opt/a\nExec=evil')).toThrow(/control character/);
    expect(autostartEntry('/usr/bin/sesame').split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=Sesame',
      'Comment=Keeps your servers reachable behind port knocking',
      'Exec=/usr/bin/sesame',
      'Icon=sesame',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
  });
});
