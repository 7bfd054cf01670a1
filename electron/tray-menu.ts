import type { ServerView } from '../src/api/view-schemas.js';

/** What a menu item does when clicked: data, so the menu can be built and tested without Electron. */
export type TrayAction =
  | { readonly kind: 'knock'; readonly serverId: string }
  | { readonly kind: 'open-ssh'; readonly serverId: string }
  | { readonly kind: 'open-rdp'; readonly serverId: string }
  | { readonly kind: 'copy-ssh'; readonly serverId: string }
  | { readonly kind: 'knock-all' }
  | { readonly kind: 'auto-reknock'; readonly enabled: boolean }
  | { readonly kind: 'open-window' }
  | { readonly kind: 'launch-at-login'; readonly enabled: boolean }
  | { readonly kind: 'quit' };

/** One menu item, in the shape of Electron's MenuItemConstructorOptions but with an action. */
export interface MenuItemSpec {
  readonly label?: string;
  readonly type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  readonly enabled?: boolean;
  readonly checked?: boolean;
  readonly submenu?: readonly MenuItemSpec[];
  readonly action?: TrayAction;
}

export interface TrayMenuModel {
  readonly servers: readonly ServerView[];
  readonly autoReknock: boolean;
  readonly launchAtLogin: boolean;
  readonly platform: NodeJS.Platform;
}

const SEPARATOR: MenuItemSpec = { type: 'separator' };

/**
 * The tray's right-click menu: one submenu per server (its status line, Knock now, Open SSH and
 * Open RDP where configured, Copy SSH command where SSH is configured), then Knock all, the
 * network switch, Open Sesame, Launch at login and Quit. Names, states and reasons only: no
 * secret is ever part of a server's view.
 */
export function trayMenu(model: TrayMenuModel): MenuItemSpec[] {
  const text = (label: string): string => menuText(label, model.platform);
  const servers: MenuItemSpec[] =
    model.servers.length === 0
      ? [
          { label: 'No servers yet', enabled: false },
          { label: 'Add a server…', action: { kind: 'open-window' } },
        ]
      : model.servers.map((view) => serverSubmenu(view, text));
  return [
    ...servers,
    SEPARATOR,
    { label: 'Knock all', enabled: model.servers.length > 0, action: { kind: 'knock-all' } },
    {
      label: 'Re-knock when my network changes',
      type: 'checkbox',
      checked: model.autoReknock,
      action: { kind: 'auto-reknock', enabled: !model.autoReknock },
    },
    SEPARATOR,
    { label: 'Open Sesame', action: { kind: 'open-window' } },
    {
      label: 'Launch at login',
      type: 'checkbox',
      checked: model.launchAtLogin,
      action: { kind: 'launch-at-login', enabled: !model.launchAtLogin },
    },
    SEPARATOR,
    { label: 'Quit Sesame', action: { kind: 'quit' } },
  ];
}

function serverSubmenu(view: ServerView, text: (label: string) => string): MenuItemSpec {
  const { profile, status } = view;
  const serverId = profile.id;
  const items: MenuItemSpec[] = [
    { label: text(statusLine(view)), enabled: false },
    SEPARATOR,
    { label: 'Knock now', action: { kind: 'knock', serverId } },
  ];
  if (profile.ssh) items.push({ label: 'Open SSH', action: { kind: 'open-ssh', serverId } });
  if (profile.rdp) items.push({ label: 'Open RDP', action: { kind: 'open-rdp', serverId } });
  if (profile.ssh) {
    items.push({ label: 'Copy SSH command', action: { kind: 'copy-ssh', serverId } });
  }
  return {
    label: text(`${profile.name} — ${shortState(status)}`),
    type: 'submenu',
    submenu: items,
  };
}

function shortState(status: ServerView['status']): string {
  switch (status.state) {
    case 'idle':
      return status.secret === 'stored' ? 'not knocked' : 'needs attention';
    case 'knocking':
      return 'knocking…';
    case 'open':
      return 'open';
    case 'knocked':
      return 'knocked';
    case 'closed':
      return 'closed';
    case 'error':
      return 'failed';
  }
}

/** One line about a server's door, for the top of its submenu. */
export function statusLine({ profile, status }: ServerView): string {
  switch (status.state) {
    case 'idle':
      if (status.secret === 'missing') return 'No knock sequence stored: enter it in Sesame';
      if (status.secret === 'unavailable') return 'The keychain cannot be read';
      return 'Not knocked yet';
    case 'knocking': {
      const progress =
        status.progress && status.progress.total > 0
          ? ` ${status.progress.sent} of ${status.progress.total}`
          : '';
      const attempt =
        status.attempt !== undefined && status.attempt > 1 ? ` (try ${status.attempt})` : '';
      return `Knocking…${progress}${attempt}`;
    }
    case 'open':
      return profile.checkPort === undefined ? 'Open' : `Open: port ${profile.checkPort} answers`;
    case 'knocked':
      return 'Knocked (no check port to confirm)';
    case 'closed':
      return `Closed: ${shorten(status.reason ?? 'the check port did not answer')}`;
    case 'error':
      return `Failed: ${shorten(status.reason ?? 'the knock could not be made')}`;
  }
}

function shorten(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** On Windows and Linux "&" marks a menu mnemonic; "&&" shows the character itself. */
export function menuText(label: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? label : label.replace(/&/g, '&&');
}
