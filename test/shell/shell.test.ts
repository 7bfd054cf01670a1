import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pathToFileURL } from 'node:url';
import { CALL_NAMES, EVENT_NAMES, type SesameApi } from '../../src/api/contract.js';
import type { ServerView } from '../../src/api/view-schemas.js';
import { SettingsStore } from '../../src/store/settings-store.js';
import { BRIDGE_CALLS, BRIDGE_EVENTS, callChannel } from '../../electron/channels.js';
import { CONTENT_SECURITY_POLICY } from '../../electron/window.js';
import { type LoopbackDoor, startLoopbackDoor } from '../helpers/loopback-door.js';
import {
  BrowserWindow,
  type MenuTemplateItem,
  app,
  net,
  powerMonitor,
  recorded,
  renderer,
  session,
} from './electron-stand-in.js';
import { type TestShell, startTestShell } from './test-shell.js';

function menu(): MenuTemplateItem[] {
  const tray = recorded.trays.at(-1);
  const current = tray?.contextMenu ?? tray?.poppedUp;
  if (!current) throw new Error('the tray has no menu');
  return current.template;
}

function labels(items: MenuTemplateItem[]): string[] {
  return items.map((item) => item.label ?? `(${item.type})`);
}

function submenuOf(name: string): MenuTemplateItem[] {
  const item = menu().find((entry) => entry.label?.startsWith(`${name} — `));
  if (!item?.submenu) throw new Error(`no submenu for ${name} in ${labels(menu()).join(', ')}`);
  return item.submenu;
}

function click(items: MenuTemplateItem[], label: string): void {
  const item = items.find((entry) => entry.label === label);
  if (!item?.click) throw new Error(`no clickable "${label}" in ${labels(items).join(', ')}`);
  item.click();
}

describe('the tray app on Linux, with the real core behind the stand-in', () => {
  let t: TestShell;
  let door: LoopbackDoor;
  let sesame: SesameApi;
  let serverId: string;

  beforeAll(async () => {
    door = await startLoopbackDoor();
    t = await startTestShell('linux', {
      env: { XDG_CURRENT_DESKTOP: 'KDE' },
      programs: ['konsole', 'xfreerdp'],
    });
  });
  afterAll(async () => {
    await t.stop();
    await door.close();
  });

  it('starts in the tray, with the icon and words for "no servers yet"', () => {
    expect(recorded.trays).toHaveLength(1);
    const tray = recorded.trays[0];
    expect(tray?.image.path).toBe(`${t.paths.trayIcons}/tray-empty.png`);
    expect(tray?.tooltip).toBe('Sesame: no servers yet');
    expect(labels(menu())).toEqual([
      'No servers yet',
      'Add a server…',
      '(separator)',
      'Knock all',
      'Re-knock when my network changes',
      '(separator)',
      'Open Sesame',
      'Launch at login',
      '(separator)',
      'Quit Sesame',
    ]);
    expect(recorded.windows).toHaveLength(0);
    expect(app.dock.hidden).toBe(false);
  });

  it('registers a handler for every call of the contract, and no other', () => {
    expect([...recorded.handlers.keys()].sort()).toEqual(CALL_NAMES.map(callChannel).sort());
    // The preload's own list of names is the contract's.
    expect([...BRIDGE_CALLS].sort()).toEqual([...CALL_NAMES].sort());
    expect([...BRIDGE_EVENTS].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('locks every page and the session down', () => {
    const contents = new BrowserWindow({}).webContents;
    app.emit('web-contents-created', {}, contents);
    const navigation = { prevented: false, preventDefault: () => (navigation.prevented = true) };
    contents.emit('will-navigate', navigation);
    expect(navigation.prevented).toBe(true);
    const webview = { prevented: false, preventDefault: () => (webview.prevented = true) };
    contents.emit('will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    expect(contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
    recorded.windows.pop();

    // Electron passes the frame's last URL in the details, and `file:///` as the origin of every
    // file page, whichever it is.
    const ownPage = pathToFileURL(t.paths.rendererIndex).href;
    const request = (permission: string, requestingUrl: string, isMainFrame = true) => {
      const granted: boolean[] = [];
      session.defaultSession.permissionRequestHandler?.(
        {},
        permission,
        (ok: boolean) => granted.push(ok),
        { requestingUrl, isMainFrame },
      );
      return granted;
    };
    const check = (permission: string, requestingUrl: string | undefined, isMainFrame = true) =>
      session.defaultSession.permissionCheckHandler?.({}, permission, 'file:///', {
        requestingUrl,
        isMainFrame,
      });
    // The Copy buttons: writing the clipboard from Sesame's own page (whatever its fragment).
    expect(request('clipboard-sanitized-write', ownPage)).toEqual([true]);
    expect(request('clipboard-sanitized-write', `${ownPage}#/share`)).toEqual([true]);
    expect(check('clipboard-sanitized-write', ownPage)).toBe(true);
    // Never reading it, nor any other permission, nor for another page or a sub-frame.
    for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation']) {
      expect(request(permission, ownPage)).toEqual([false]);
      expect(check(permission, ownPage)).toBe(false);
    }
    for (const url of ['https://example.com/', 'file:///tmp/other.html', 'blob:file:///x']) {
      expect(request('clipboard-sanitized-write', url)).toEqual([false]);
      expect(check('clipboard-sanitized-write', url)).toBe(false);
    }
    expect(request('clipboard-sanitized-write', ownPage, false)).toEqual([false]);
    expect(check('clipboard-sanitized-write', ownPage, false)).toBe(false);
    expect(check('clipboard-sanitized-write', undefined)).toBe(false);
    const headers: unknown[] = [];
    session.defaultSession.headersHandler?.(
      { responseHeaders: { 'X-Other': ['kept'] } },
      (answer: unknown) => headers.push(answer),
    );
    expect(headers).toEqual([
      {
        responseHeaders: {
          'X-Other': ['kept'],
          'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        },
      },
    ]);
  });

  it('lets the page save only a file it made, through the save dialog, never as a page', () => {
    const contents = new BrowserWindow({}).webContents;
    recorded.windows.pop();
    app.emit('web-contents-created', {}, contents);
    const download = (url: string) => {
      const event = { prevented: false, preventDefault: () => (event.prevented = true) };
      const dialogs: unknown[] = [];
      session.defaultSession.events.emit('will-download', event, {
        getURL: () => url,
        getFilename: () => 'sesame-2025-01-02.json',
        setSaveDialogOptions: (options: unknown) => dialogs.push(options),
      });
      return { prevented: event.prevented, dialogs };
    };
    expect(download('blob:file:///6f1d0c1e-0000-4000-8000-000000000000')).toEqual({
      prevented: false,
      dialogs: [{ title: 'Save', defaultPath: 'sesame-2025-01-02.json' }],
    });
    for (const url of ['https://example.com/x.json', 'file:///etc/passwd', 'data:,x']) {
      expect(download(url)).toEqual({ prevented: true, dialogs: [] });
    }

    const navigate = (url: string, isMainFrame = true) => {
      const event = {
        url,
        isMainFrame,
        prevented: false,
        preventDefault: () => (event.prevented = true),
      };
      contents.emit('will-navigate', event);
      return event.prevented;
    };
    expect(navigate('blob:file:///6f1d0c1e-0000-4000-8000-000000000000')).toBe(true);
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('blob:file:///in-a-frame', false)).toBe(true);
    expect(contents.downloads).toEqual(['blob:file:///6f1d0c1e-0000-4000-8000-000000000000']);
  });

  it('opens the locked-down window near the tray on a left click', () => {
    recorded.trays[0]?.emit('click');
    expect(recorded.windows).toHaveLength(1);
    const window = recorded.windows[0];
    expect(window?.options.webPreferences).toEqual({
      preload: t.paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: false,
    });
    expect(window?.loadedFile).toBe(t.paths.rendererIndex);
    expect(window?.options.show).toBe(false);
    window?.emit('ready-to-show');
    expect(window?.visible).toBe(true);
    // The size the layout is made for, and no smaller than the layout holds at.
    expect(window?.options).toMatchObject({
      width: 1000,
      height: 720,
      minWidth: 720,
      minHeight: 520,
    });
    // Below the icon at the top right of the screen, inside the work area (which starts below
    // the 25-pixel menu bar), with a gap of 8.
    expect(window?.position).toEqual([1920 - 1000 - 8, 25 + 8]);
  });

  it('exposes the contract as window.sesame, and the calls reach the core', async () => {
    await import('../../electron/preload.js');
    const exposed = recorded.exposed.get('sesame') as SesameApi;
    expect(Object.keys(exposed).sort()).toEqual(['invoke', 'on']);
    sesame = exposed;
    const saved = await sesame.invoke('servers.add', {
      draft: {
        name: 'lab & co',
        host: '127.0.0.1',
        method: { kind: 'knock' },
        checkPort: door.checkPort,
        checkTimeoutMs: 2000,
        ssh: { user: 'alice', port: 2222 },
        rdp: { user: 'bob' },
      },
      secret: { kind: 'knock', sequence: door.sequence },
    });
    serverId = saved.server.id;
    expect(t.shell.core.services.repository.get(serverId)?.name).toBe('lab & co');
    // electron-store wrote the file the `sesame` command opens with conf.
    expect(
      SettingsStore.open(t.dir)
        .get()
        .servers.map((s) => s.name),
    ).toEqual(['lab & co']);
  });

  it('refuses calls with a bad input, unknown calls, and calls from another window', async () => {
    await expect(
      sesame.invoke('servers.knock', { id: serverId, extra: 1 } as never),
    ).rejects.toThrow(/extra/);
    const loose = sesame as unknown as { invoke(name: string): Promise<unknown> };
    await expect(loose.invoke('servers.explode')).rejects.toThrow(
      '"servers.explode" is not a call Sesame knows',
    );
    const stranger = new BrowserWindow({});
    await stranger.loadFile(t.paths.rendererIndex);
    await expect(
      renderer.invoke(callChannel('servers.list'), undefined, stranger),
    ).resolves.toEqual({
      ok: false,
      error: { kind: 'failed', message: 'Sesame answers only its own window' },
    });
    recorded.windows.pop();
    const own = recorded.windows[0];
    if (!own) throw new Error('no window');
    own.webContents.mainFrame.url = 'https://evil.example/';
    await expect(renderer.invoke(callChannel('servers.list'), undefined)).resolves.toMatchObject({
      ok: false,
    });
    await own.loadFile(t.paths.rendererIndex);
  });

  it('rebuilds the menu, icon and tooltip as the engine knocks, and feeds the window', async () => {
    await t.shell.settled();
    expect(
      submenuOf('lab && co')
        .map((item) => item.label)
        .slice(1),
    ).toEqual([undefined, 'Knock now', 'Open SSH', 'Open RDP', 'Copy SSH command']);
    const statuses: ServerView['status'][] = [];
    const stop = sesame.on('status', (status) => statuses.push(status));
    click(submenuOf('lab && co'), 'Knock now');
    await vi.waitFor(() => expect(statuses.at(-1)?.state).toBe('open'));
    stop();
    expect(statuses.map((s) => s.state)).toContain('knocking');
    await t.shell.settled();
    expect(submenuOf('lab && co')[0]?.label).toBe(`Open: port ${door.checkPort} answers`);
    expect(recorded.trays[0]?.image.path).toBe(`${t.paths.trayIcons}/tray-open.png`);
    expect(recorded.trays[0]?.tooltip).toBe('Sesame: lab & co is open');
    // A listener gets the payload alone, never Electron's event object.
    expect(statuses.every((s) => typeof s === 'object' && 'serverId' in s)).toBe(true);
    expect(renderer.count('sesame:event:status')).toBe(0);
  });

  it('opens SSH and RDP with the launchers, and copies the ssh command', async () => {
    await t.shell.act({ kind: 'open-ssh', serverId });
    await t.shell.act({ kind: 'open-rdp', serverId });
    expect(t.spawned).toEqual([
      ['konsole', '-e', 'ssh', '-p', '2222', '-l', 'alice', '--', '127.0.0.1'],
      ['xfreerdp', '/v:127.0.0.1:3389', '/u:bob'],
    ]);
    click(submenuOf('lab && co'), 'Copy SSH command');
    await vi.waitFor(() =>
      expect(recorded.clipboard).toEqual(['ssh -p 2222 -l alice -- 127.0.0.1']),
    );
  });

  it('says in a notification when a launch fails', async () => {
    t.shell.core.services.settings.update((s) => ({
      ...s,
      preferences: { ...s.preferences, terminalCommand: ['xterm', '-e', 'sh -c {command}'] },
    }));
    await t.shell.act({ kind: 'open-ssh', serverId });
    expect(recorded.notifications.at(-1)).toEqual({
      title: 'Could not open SSH to lab & co',
      body: 'in the terminal command, {command} must be an argument of its own, e.g. ["konsole", "-e", "{command}"]',
    });
  });

  it('follows the switches of the menu: re-knock on network change, launch at login', async () => {
    const autoReknock = menu().find((item) => item.label === 'Re-knock when my network changes');
    expect(autoReknock?.checked).toBe(true);
    autoReknock?.click?.();
    await vi.waitFor(() =>
      expect(t.shell.core.services.settings.get().preferences.autoReknock).toBe(false),
    );
    await t.shell.settled();
    expect(menu().find((item) => item.label === 'Re-knock when my network changes')?.checked).toBe(
      false,
    );
    await t.shell.act({ kind: 'auto-reknock', enabled: true });

    expect(t.loginItem).toEqual([false]);
    click(menu(), 'Launch at login');
    await vi.waitFor(() => expect(t.loginItem).toEqual([false, true]));
    await t.shell.settled();
    expect(menu().find((item) => item.label === 'Launch at login')?.checked).toBe(true);
  });

  it('tells of a new public IP and of the door opened again, after the OS says it resumed', async () => {
    await vi.waitFor(() =>
      expect(t.shell.core.services.network.state().ipv4.address).toBe('127.0.0.1'),
    );
    await door.shut();
    await t.echo.setMode({ kind: 'fixed', address: '127.0.0.9' });
    const notify = vi.spyOn(t.shell.core.watcher, 'notify');
    powerMonitor.emit('resume');
    expect(notify).toHaveBeenCalledWith('resume');
    await vi.waitFor(() =>
      expect(recorded.notifications).toContainEqual({
        title: 'lab & co is open again',
        body: 'Sesame knocked because your public IP changed (now 127.0.0.9).',
      }),
    );
    expect(recorded.notifications).toContainEqual({
      title: 'New public IP',
      body: 'Your public IPv4 address is now 127.0.0.9 (it was 127.0.0.1).',
    });
    powerMonitor.emit('unlock-screen');
    expect(notify).toHaveBeenLastCalledWith('unlock');
    net.online = false;
    t.shell.online.check();
    net.online = true;
    t.shell.online.check();
    expect(notify).toHaveBeenLastCalledWith('online');
    expect(notify).toHaveBeenCalledTimes(3);
  });

  it('tells when a knock fails, with the reason, and never shows a secret', async () => {
    const { server } = await sesame.invoke('servers.add', {
      draft: { name: 'nokey', host: '127.0.0.1', method: { kind: 'knock' } },
    });
    recorded.windows[0]?.destroy();
    await t.shell.act({ kind: 'knock', serverId: server.id });
    expect(recorded.notifications.at(-1)).toEqual({
      title: 'Could not knock on nokey',
      body: 'no sequence or key is stored for this server (secret missing): enter it again',
    });
    await t.shell.settled();
    expect(recorded.trays[0]?.image.path).toBe(`${t.paths.trayIcons}/tray-problem.png`);
    const everything = JSON.stringify([
      recorded.notifications,
      recorded.menus.map((m) => m.template),
    ]);
    expect(everything).not.toContain(door.sequence);
    for (const port of door.ports) expect(everything).not.toContain(`${port}:udp`);
  });

  it('stops the core and lets go of the tray and the handlers on quit', async () => {
    const stop = vi.spyOn(t.shell.core, 'stop');
    click(menu(), 'Quit Sesame');
    await t.shell.stopped();
    expect(stop).toHaveBeenCalledOnce();
    expect(recorded.trays[0]?.destroyed).toBe(true);
    expect(recorded.handlers.size).toBe(0);
    expect(app.quitCalls).toBe(2);
  });
});

describe('the tray app on macOS and Windows', () => {
  it('macOS: no Dock icon; the menu pops up on a right click, a left click opens the window', async () => {
    const t = await startTestShell('darwin');
    try {
      expect(app.dock.hidden).toBe(true);
      const tray = recorded.trays[0];
      expect(tray?.image.path).toBe(`${t.paths.trayIcons}/tray-emptyTemplate.png`);
      expect(tray?.contextMenu).toBeUndefined();
      tray?.emit('right-click');
      expect(labels(tray?.poppedUp?.template ?? [])).toContain('Knock all');
      tray?.emit('click');
      expect(recorded.windows).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  it('Windows: an AppUserModelID for notifications, and the .ico icons', async () => {
    const t = await startTestShell('win32');
    try {
      expect(app.appUserModelId).toBe('org.sesame.app');
      expect(recorded.trays[0]?.image.path).toBe(`${t.paths.trayIcons}/tray-empty.ico`);
      expect(recorded.trays[0]?.contextMenu).toBeDefined();
    } finally {
      await t.stop();
    }
  });

  it('a development build does not register itself to launch at login', async () => {
    const t = await startTestShell('linux', { packaged: false });
    try {
      expect(t.loginItem).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});

describe('quitting', () => {
  it('quits even when the core cannot stop cleanly', async () => {
    const t = await startTestShell('linux');
    const core = t.shell.core;
    const realStop = core.stop.bind(core);
    vi.spyOn(core, 'stop').mockImplementationOnce(async () => {
      await realStop();
      throw new Error('the disk is full');
    });
    const complaints = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await t.stop();
    expect(complaints).toHaveBeenCalledWith(
      'Sesame: stopping the core failed:',
      new Error('the disk is full'),
    );
    expect(app.quitCalls).toBe(2);
    complaints.mockRestore();
  });
});

describe('a second launch', () => {
  it('hands over to the first one and quits', async () => {
    const first = await startTestShell('linux');
    try {
      app.emit('second-instance');
      expect(recorded.windows).toHaveLength(1);
      app.singleInstance = false;
      const { startShell } = await import('../../electron/shell.js');
      const trays = recorded.trays.length;
      const second = await startShell({
        platform: 'linux',
        paths: first.paths,
        createLauncher: () => {
          throw new Error('a second instance builds nothing');
        },
        createCore: () => {
          throw new Error('a second instance builds nothing');
        },
        loginItem: { apply: () => undefined },
      });
      expect(second).toBeUndefined();
      expect(recorded.trays).toHaveLength(trays);
      app.singleInstance = true;
    } finally {
      await first.stop();
    }
  });
});
