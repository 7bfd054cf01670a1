import { describe, expect, it } from 'vitest';
import type { NetworkState, ServerView } from '../../src/api/view-schemas.js';
import type { ServerProfile } from '../../src/servers/server-profile.js';
import { networkNotes, NotificationPlanner, statusNote } from '../../electron/notifications.js';
import { menuText, statusLine, trayMenu, type MenuItemSpec } from '../../electron/tray-menu.js';
import {
  nameList,
  TRAY_STATES,
  trayIconFile,
  trayState,
  trayTooltip,
} from '../../electron/tray-state.js';
import { windowPositionNearTray, windowSizeFor } from '../../electron/window-position.js';

type Status = ServerView['status'];

let nextId = 0;
function view(
  name: string,
  status: Partial<Status> = {},
  profile: Partial<ServerProfile> = {},
): ServerView {
  nextId += 1;
  const id = `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`;
  return {
    profile: {
      id,
      name,
      host: 'example.com',
      family: 'auto',
      method: { kind: 'knock', delayMs: 0, seqTimeoutSeconds: 25, oneTime: false },
      checkTimeoutMs: 3000,
      auto: { onIpChange: true, atStart: false, keepAliveMinutes: 0 },
      tags: [],
      ...profile,
    },
    status: { serverId: id, state: 'idle', secret: 'stored', ...status },
  };
}

const open = (name: string) => view(name, { state: 'open' });

describe('the tray icon and tooltip', () => {
  it.each<[string, ServerView[], string, string]>([
    ['empty', [], 'empty', 'Sesame: no servers yet'],
    ['one open door', [open('web')], 'open', 'Sesame: web is open'],
    [
      'open and knocked doors',
      [open('web'), view('db', { state: 'knocked' })],
      'open',
      'Sesame: all 2 doors open',
    ],
    [
      'servers not knocked yet',
      [view('web'), view('db')],
      'idle',
      'Sesame: 2 servers, not knocked yet',
    ],
    ['one server not knocked yet', [view('web')], 'idle', 'Sesame: 1 server, not knocked yet'],
    ['some open', [open('web'), view('db')], 'idle', 'Sesame: 1 of 2 doors open'],
    [
      'a knock under way, even beside a failure',
      [view('web', { state: 'knocking' }), view('db', { state: 'error', reason: 'x' })],
      'knocking',
      'Sesame: knocking on web',
    ],
    [
      'a closed door',
      [open('web'), view('db', { state: 'closed', reason: 'port 22 did not answer' })],
      'problem',
      'Sesame: db did not open',
    ],
    [
      'a failed knock',
      [view('db', { state: 'error' })],
      'problem',
      'Sesame: db could not be knocked',
    ],
    [
      'a missing secret',
      [view('db', { secret: 'missing' })],
      'problem',
      'Sesame: db has no knock sequence stored',
    ],
    [
      'a keychain that cannot be read',
      [view('db', { secret: 'unavailable' })],
      'problem',
      'Sesame: db cannot read the keychain',
    ],
    [
      'several problems',
      [view('a', { state: 'closed' }), view('b', { state: 'error' }), open('c')],
      'problem',
      'Sesame: 2 doors need attention (a and b)',
    ],
  ])('%s', (_, servers, state, tooltip) => {
    expect(trayState(servers)).toBe(state);
    expect(trayTooltip(servers)).toBe(tooltip);
  });

  it('names a few servers and counts the rest', () => {
    expect(nameList([])).toBe('');
    expect(nameList(['a'])).toBe('a');
    expect(nameList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(nameList(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
  });

  it.each(TRAY_STATES)('has an icon file for "%s" on every platform', (state) => {
    expect(trayIconFile(state, 'darwin')).toBe(`tray-${state}Template.png`);
    expect(trayIconFile(state, 'win32')).toBe(`tray-${state}.ico`);
    expect(trayIconFile(state, 'linux')).toBe(`tray-${state}.png`);
  });
});

function find(items: readonly MenuItemSpec[], label: string): MenuItemSpec {
  const item = items.find((entry) => entry.label === label);
  if (!item) throw new Error(`no "${label}"`);
  return item;
}

describe('the tray menu', () => {
  const base = { autoReknock: true, launchAtLogin: false, platform: 'darwin' as const };

  it('offers to add a server when there is none, and cannot knock all', () => {
    const items = trayMenu({ ...base, servers: [] });
    expect(items[0]).toEqual({ label: 'No servers yet', enabled: false });
    expect(items[1]?.action).toEqual({ kind: 'open-window' });
    expect(find(items, 'Knock all').enabled).toBe(false);
  });

  it.each<[string, Partial<ServerProfile>, string[]]>([
    ['knock only', {}, ['Knock now']],
    ['SSH', { ssh: { port: 22, extraArgs: [] } }, ['Knock now', 'Open SSH', 'Copy SSH command']],
    ['RDP', { rdp: { port: 3389 } }, ['Knock now', 'Open RDP']],
    [
      'SSH and RDP',
      { ssh: { port: 22, extraArgs: [] }, rdp: { port: 3389 } },
      ['Knock now', 'Open SSH', 'Open RDP', 'Copy SSH command'],
    ],
  ])('a server with %s', (_, profile, actions) => {
    const server = view('db', { state: 'open' }, { ...profile, checkPort: 22 });
    const [submenu] = trayMenu({ ...base, servers: [server] });
    expect(submenu?.label).toBe('db — open');
    expect(submenu?.type).toBe('submenu');
    const items = submenu?.submenu ?? [];
    expect(items[0]).toEqual({ label: 'Open: port 22 answers', enabled: false });
    expect(items[1]).toEqual({ type: 'separator' });
    expect(items.slice(2).map((item) => item.label)).toEqual(actions);
    for (const item of items.slice(2)) {
      expect(item.action).toMatchObject({ serverId: server.profile.id });
    }
  });

  it.each<[Partial<Status>, string, string]>([
    [{}, 'db — not knocked', 'Not knocked yet'],
    [{ secret: 'missing' }, 'db — needs attention', 'No knock sequence stored: enter it in Sesame'],
    [{ secret: 'unavailable' }, 'db — needs attention', 'The keychain cannot be read'],
    [{ state: 'knocking' }, 'db — knocking…', 'Knocking…'],
    [
      { state: 'knocking', progress: { sent: 2, total: 3 }, attempt: 2 },
      'db — knocking…',
      'Knocking… 2 of 3 (try 2)',
    ],
    [{ state: 'open' }, 'db — open', 'Open'],
    [{ state: 'knocked' }, 'db — knocked', 'Knocked (no check port to confirm)'],
    [
      { state: 'closed', reason: 'port 22\ndid not answer' },
      'db — closed',
      'Closed: port 22 did not answer',
    ],
    [{ state: 'error', reason: 'x'.repeat(200) }, 'db — failed', `Failed: ${'x'.repeat(79)}…`],
  ])('a server whose door is %j', (status, label, line) => {
    const server = view('db', status);
    expect(statusLine(server)).toBe(line);
    expect(trayMenu({ ...base, servers: [server] })[0]?.label).toBe(label);
  });

  it('has the switches, checked as the settings say, and the commands', () => {
    const items = trayMenu({ ...base, servers: [open('a'), open('b')] });
    expect(items.map((item) => item.label ?? '-')).toEqual([
      'a — open',
      'b — open',
      '-',
      'Knock all',
      'Re-knock when my network changes',
      '-',
      'Open Sesame',
      'Launch at login',
      '-',
      'Quit Sesame',
    ]);
    expect(find(items, 'Knock all')).toMatchObject({
      enabled: true,
      action: { kind: 'knock-all' },
    });
    expect(find(items, 'Re-knock when my network changes')).toMatchObject({
      type: 'checkbox',
      checked: true,
      action: { kind: 'auto-reknock', enabled: false },
    });
    expect(find(items, 'Launch at login')).toMatchObject({
      type: 'checkbox',
      checked: false,
      action: { kind: 'launch-at-login', enabled: true },
    });
    expect(find(items, 'Quit Sesame').action).toEqual({ kind: 'quit' });
    const flipped = trayMenu({ ...base, autoReknock: false, launchAtLogin: true, servers: [] });
    expect(find(flipped, 'Re-knock when my network changes').action).toEqual({
      kind: 'auto-reknock',
      enabled: true,
    });
    expect(find(flipped, 'Launch at login').checked).toBe(true);
  });

  it('shows "&" in names as itself on Windows and Linux, where it marks a mnemonic', () => {
    expect(menuText('R&D', 'win32')).toBe('R&&D');
    expect(menuText('R&D', 'linux')).toBe('R&&D');
    expect(menuText('R&D', 'darwin')).toBe('R&D');
    const [item] = trayMenu({ ...base, platform: 'linux', servers: [open('R&D')] });
    expect(item?.label).toBe('R&&D — open');
  });
});

describe('notifications', () => {
  const all = { doorOpened: true, knockFailed: true, publicIpChanged: true };
  const knocking: Status = { serverId: 's', state: 'knocking', secret: 'stored' };
  const lastKnock = (trigger: 'manual' | 'ip-change', publicIp?: string) => ({
    at: 1,
    trigger,
    ...(publicIp !== undefined && { publicIp }),
  });

  it('tells of a door opened again after the public IP changed, and only then', () => {
    const opened: Status = {
      ...knocking,
      state: 'open',
      lastKnock: lastKnock('ip-change', '203.0.113.9'),
    };
    expect(statusNote('db', knocking, opened, all, false)).toEqual({
      title: 'db is open again',
      body: 'Sesame knocked because your public IP changed (now 203.0.113.9).',
    });
    expect(
      statusNote(
        'db',
        knocking,
        { ...opened, state: 'knocked', lastKnock: lastKnock('ip-change') },
        all,
        false,
      ),
    ).toEqual({
      title: 'Knocked on db again',
      body: 'Sesame knocked because your public IP changed.',
    });
    expect(
      statusNote('db', knocking, { ...opened, lastKnock: lastKnock('manual') }, all, false),
    ).toBeUndefined();
    expect(statusNote('db', opened, opened, all, false)).toBeUndefined();
    expect(
      statusNote('db', knocking, opened, { ...all, doorOpened: false }, false),
    ).toBeUndefined();
  });

  it('tells of a failed knock with its reason, unless the person watches the window', () => {
    const closed: Status = {
      ...knocking,
      state: 'closed',
      reason: 'port 22 did not answer',
      lastKnock: lastKnock('manual'),
    };
    expect(statusNote('db', knocking, closed, all, false)).toEqual({
      title: 'db did not open',
      body: 'port 22 did not answer',
    });
    expect(statusNote('db', knocking, { ...closed, state: 'error' }, all, false)?.title).toBe(
      'Could not knock on db',
    );
    expect(statusNote('db', knocking, closed, all, true)).toBeUndefined();
    expect(
      statusNote('db', knocking, { ...closed, lastKnock: lastKnock('ip-change') }, all, true),
    ).toBeDefined();
    expect(
      statusNote('db', knocking, closed, { ...all, knockFailed: false }, false),
    ).toBeUndefined();
    expect(statusNote('db', undefined, closed, all, false)).toBeUndefined();
  });

  it('tells of a new public IP, not of the first one learned', () => {
    const state = (ipv4?: string, ipv6?: string): NetworkState => ({
      ipv4: ipv4 === undefined ? {} : { address: ipv4 },
      ipv6: ipv6 === undefined ? {} : { address: ipv6 },
      checking: false,
      reports: [],
      autoReknock: true,
    });
    expect(networkNotes(undefined, state('198.51.100.1'), all)).toEqual([]);
    expect(networkNotes(state(), state('198.51.100.1'), all)).toEqual([]);
    expect(
      networkNotes(state('198.51.100.1', '2001:db8::1'), state('198.51.100.2', '2001:db8::2'), all),
    ).toEqual([
      {
        title: 'New public IP',
        body: 'Your public IPv4 address is now 198.51.100.2 (it was 198.51.100.1).',
      },
      {
        title: 'New public IP',
        body: 'Your public IPv6 address is now 2001:db8::2 (it was 2001:db8::1).',
      },
    ]);
    expect(
      networkNotes(state('198.51.100.1'), state('198.51.100.2'), {
        ...all,
        publicIpChanged: false,
      }),
    ).toEqual([]);
  });

  it('remembers the last status of each server and the last network state', () => {
    let switches = all;
    const planner = new NotificationPlanner(
      () => switches,
      (id) => (id === 's' ? 'db' : undefined),
      () => false,
    );
    expect(planner.onStatus(knocking)).toBeUndefined();
    expect(planner.onStatus({ ...knocking, state: 'error', reason: 'no route' })).toEqual({
      title: 'Could not knock on db',
      body: 'no route',
    });
    expect(planner.onStatus({ ...knocking, serverId: 'gone' })).toBeUndefined();
    switches = { ...all, publicIpChanged: false };
    const network = {
      ipv4: { address: '198.51.100.1' },
      ipv6: {},
      checking: false,
      reports: [],
      autoReknock: true,
    };
    expect(planner.onNetwork(network)).toEqual([]);
    expect(planner.onNetwork({ ...network, ipv4: { address: '198.51.100.2' } })).toEqual([]);
  });
});

describe('where the window opens', () => {
  const size = { width: 400, height: 600 };
  const cursor = { x: 5, y: 5 };

  it('below a menu-bar icon (macOS), kept inside the screen', () => {
    const workArea = { x: 0, y: 25, width: 1440, height: 875 };
    expect(
      windowPositionNearTray({ x: 1000, y: 0, width: 22, height: 24 }, cursor, size, workArea),
    ).toEqual({
      x: 811,
      y: 33,
    });
    expect(
      windowPositionNearTray({ x: 1420, y: 0, width: 22, height: 24 }, cursor, size, workArea),
    ).toEqual({
      x: 1032,
      y: 33,
    });
  });

  it('above a taskbar icon (Windows)', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    expect(
      windowPositionNearTray({ x: 1700, y: 1045, width: 24, height: 30 }, cursor, size, workArea),
    ).toEqual({
      x: 1512,
      // Right above the taskbar: the work area ends where it begins.
      y: 1040 - 600 - 8,
    });
  });

  it('at the pointer when the tray gives no bounds (Linux)', () => {
    const workArea = { x: 0, y: 32, width: 1920, height: 1048 };
    expect(
      windowPositionNearTray(
        { x: 0, y: 0, width: 0, height: 0 },
        { x: 300, y: 10 },
        size,
        workArea,
      ),
    ).toEqual({
      x: 100,
      y: 40,
    });
    expect(windowPositionNearTray(undefined, { x: 300, y: 10 }, size, workArea)).toEqual({
      x: 100,
      y: 40,
    });
  });

  it('at the top left of a work area smaller than the window', () => {
    const workArea = { x: 0, y: 0, width: 300, height: 300 };
    expect(windowPositionNearTray(undefined, { x: 150, y: 290 }, size, workArea)).toEqual({
      x: 8,
      y: 8,
    });
  });
});

describe('the size the window opens at', () => {
  const wanted = { width: 1000, height: 720 };
  const minimum = { width: 720, height: 520 };

  it('is the size the layout is made for on a screen with room for it', () => {
    expect(windowSizeFor(wanted, minimum, { x: 0, y: 25, width: 1440, height: 875 })).toEqual(
      wanted,
    );
  });

  it('fits the work area of a small screen, with the gap on each side', () => {
    // A 1366×768 laptop with a 40-pixel taskbar.
    expect(windowSizeFor(wanted, minimum, { x: 0, y: 0, width: 1366, height: 728 })).toEqual({
      width: 1000,
      height: 728 - 16,
    });
  });

  it('is never smaller than the layout holds at; it then opens at the top left', () => {
    const workArea = { x: 0, y: 0, width: 640, height: 480 };
    const size = windowSizeFor(wanted, minimum, workArea);
    expect(size).toEqual(minimum);
    expect(windowPositionNearTray(undefined, { x: 600, y: 470 }, size, workArea)).toEqual({
      x: 8,
      y: 8,
    });
  });
});
