import type { ServerView } from '../src/api/view-schemas.js';

/**
 * What the tray icon says, worst news first:
 * - `knocking`: a knock is under way;
 * - `problem`: a door is closed or a knock failed, or a server cannot knock at all (its secret
 *   is missing, or the keychain cannot be read);
 * - `open`: every door is open (or knocked, where no check port can confirm it);
 * - `idle`: servers are saved, but not every door has been knocked yet;
 * - `empty`: no server is saved.
 */
export const TRAY_STATES = ['empty', 'idle', 'open', 'knocking', 'problem'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

export function trayState(servers: readonly ServerView[]): TrayState {
  if (servers.length === 0) return 'empty';
  if (servers.some(({ status }) => status.state === 'knocking')) return 'knocking';
  if (servers.some(hasProblem)) return 'problem';
  if (servers.every(({ status }) => isOpen(status.state))) return 'open';
  return 'idle';
}

function isOpen(state: ServerView['status']['state']): boolean {
  return state === 'open' || state === 'knocked';
}

function hasProblem({ status }: ServerView): boolean {
  return (
    status.state === 'closed' ||
    status.state === 'error' ||
    (status.state === 'idle' && status.secret !== 'stored')
  );
}

/** The tooltip: the state in words, with the servers it is about. */
export function trayTooltip(servers: readonly ServerView[]): string {
  const state = trayState(servers);
  const names = (views: readonly ServerView[]): string =>
    nameList(views.map((v) => v.profile.name));
  switch (state) {
    case 'empty':
      return 'Sesame: no servers yet';
    case 'knocking':
      return `Sesame: knocking on ${names(servers.filter((v) => v.status.state === 'knocking'))}`;
    case 'problem': {
      const troubled = servers.filter(hasProblem);
      return troubled.length === 1
        ? `Sesame: ${names(troubled)} ${problemWords(troubled[0]?.status)}`
        : `Sesame: ${troubled.length} doors need attention (${names(troubled)})`;
    }
    case 'open':
      return servers.length === 1
        ? `Sesame: ${names(servers)} is open`
        : `Sesame: all ${servers.length} doors open`;
    case 'idle': {
      const open = servers.filter((v) => isOpen(v.status.state)).length;
      return open === 0
        ? `Sesame: ${servers.length === 1 ? '1 server' : `${servers.length} servers`}, not knocked yet`
        : `Sesame: ${open} of ${servers.length} doors open`;
    }
  }
}

function problemWords(status: ServerView['status'] | undefined): string {
  if (status?.state === 'closed') return 'did not open';
  if (status?.state === 'error') return 'could not be knocked';
  if (status?.secret === 'unavailable') return 'cannot read the keychain';
  return 'has no knock sequence stored';
}

/** "a", "a and b", "a, b, c and 2 more". */
export function nameList(names: readonly string[], shown = 3): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length <= shown) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/**
 * The icon file for a state, in the folder the build copies from build/tray/: template images
 * on macOS (the menu bar colours them; `@2x` is found by Electron), an .ico with every size
 * Windows asks for, a PNG (with `@2x`) on Linux.
 */
export function trayIconFile(state: TrayState, platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return `tray-${state}Template.png`;
    case 'win32':
      return `tray-${state}.ico`;
    default:
      return `tray-${state}.png`;
  }
}
