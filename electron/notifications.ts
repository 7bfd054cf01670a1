import type { NetworkState, ServerView } from '../src/api/view-schemas.js';
import type { Preferences } from '../src/store/settings-schema.js';

export interface Note {
  readonly title: string;
  readonly body: string;
}

type Status = ServerView['status'];
type NotificationSwitches = Preferences['notifications'];

/**
 * The notification for a change of a server's door, if any:
 * - the door opened again after a knock for a new public IP (`doorOpened`);
 * - a knock ended with the door closed or failing, with the reason (`knockFailed`). A knock the
 *   person started while looking at Sesame's window is not announced: the window shows it.
 * Built from the name, the state, the reason and the addresses only.
 */
export function statusNote(
  name: string,
  previous: Status | undefined,
  next: Status,
  switches: NotificationSwitches,
  windowFocused: boolean,
): Note | undefined {
  if (previous?.state !== 'knocking' || next.state === 'knocking') return undefined;
  const trigger = next.lastKnock?.trigger;
  if ((next.state === 'open' || next.state === 'knocked') && trigger === 'ip-change') {
    if (!switches.doorOpened) return undefined;
    const from = next.lastKnock?.publicIp;
    return {
      title: next.state === 'open' ? `${name} is open again` : `Knocked on ${name} again`,
      body: `Sesame knocked because your public IP changed${from === undefined ? '' : ` (now ${from})`}.`,
    };
  }
  if (next.state === 'closed' || next.state === 'error') {
    if (!switches.knockFailed || (trigger === 'manual' && windowFocused)) return undefined;
    return {
      title: next.state === 'closed' ? `${name} did not open` : `Could not knock on ${name}`,
      body:
        next.reason ??
        (next.state === 'closed' ? 'The check port did not answer.' : 'The knock failed.'),
    };
  }
  return undefined;
}

/** "New public IP": an address that replaces another one (not the first one learned). */
export function networkNotes(
  previous: NetworkState | undefined,
  next: NetworkState,
  switches: NotificationSwitches,
): Note[] {
  if (!switches.publicIpChanged || previous === undefined) return [];
  const notes: Note[] = [];
  for (const [family, key] of [
    [4, 'ipv4'],
    [6, 'ipv6'],
  ] as const) {
    const before = previous[key].address;
    const now = next[key].address;
    if (before !== undefined && now !== undefined && before !== now) {
      notes.push({
        title: 'New public IP',
        body: `Your public IPv${family} address is now ${now} (it was ${before}).`,
      });
    }
  }
  return notes;
}

/**
 * Remembers the last status of each server and the last network state, and turns the core's
 * events into notes.
 */
export class NotificationPlanner {
  private readonly statuses = new Map<string, Status>();
  private network: NetworkState | undefined;

  constructor(
    private readonly switches: () => NotificationSwitches,
    private readonly nameOf: (serverId: string) => string | undefined,
    private readonly windowFocused: () => boolean,
  ) {}

  onStatus(status: Status): Note | undefined {
    const previous = this.statuses.get(status.serverId);
    this.statuses.set(status.serverId, status);
    const name = this.nameOf(status.serverId);
    if (name === undefined) return undefined;
    return statusNote(name, previous, status, this.switches(), this.windowFocused());
  }

  onNetwork(state: NetworkState): Note[] {
    const previous = this.network;
    this.network = state;
    return networkNotes(previous, state, this.switches());
  }
}
