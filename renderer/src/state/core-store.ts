import type { EventPayload, SesameApi } from '../../../src/api/contract.js';
import type { NetworkState, ServerView } from '../../../src/api/view-schemas.js';
import type { Preferences } from '../../../src/store/settings-schema.js';

export type LogEntry = EventPayload<'log'>;
export type ServerStatusView = EventPayload<'status'>;

export interface CoreSnapshot {
  /** Undefined until the first answer: the window shows "loading", not "no servers". */
  readonly servers: readonly ServerView[] | undefined;
  readonly network: NetworkState | undefined;
  readonly preferences: Preferences | undefined;
  readonly log: readonly LogEntry[];
  readonly appInfo: { readonly version: string; readonly platform: string } | undefined;
  /** Why the first load failed, if it did. */
  readonly loadError: string | undefined;
}

/** How many log entries the window keeps (the core keeps 500). */
export const LOG_LIMIT = 500;

/** Runs a callback before the next paint. */
export type Schedule = (callback: () => void) => void;

/**
 * Once per frame: a "Knock all" over hundreds of servers pushes a thousand events in a second,
 * and the window needs to paint the result of them all, not each one. A hidden window gets no
 * frames; the timeout lets it catch up anyway.
 */
export const beforeNextPaint: Schedule = (callback) => {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    callback();
  };
  requestAnimationFrame(once);
  setTimeout(once, 250);
};

/**
 * What the window knows of the core, kept current by the contract's events: one snapshot object
 * that changes identity on every change, with each server's view replaced only when that server
 * changed, so a status event re-renders one row of a list of hundreds. Events are applied as they
 * come; React (through useSyncExternalStore) is told once a frame.
 */
export class CoreStore {
  private snapshot: CoreSnapshot = {
    servers: undefined,
    network: undefined,
    preferences: undefined,
    log: [],
    appInfo: undefined,
    loadError: undefined,
  };
  private readonly listeners = new Set<() => void>();
  private readonly stops: (() => void)[] = [];
  private notifyScheduled = false;

  constructor(
    readonly api: SesameApi,
    private readonly schedule: Schedule = beforeNextPaint,
  ) {}

  /** Subscribes to every event, then loads everything once. */
  async start(): Promise<void> {
    this.stops.push(
      this.api.on('servers', (servers) => this.set({ servers })),
      this.api.on('status', (status) => this.applyStatus(status)),
      this.api.on('network', (network) => this.set({ network })),
      this.api.on('settings', (preferences) => this.set({ preferences })),
      this.api.on('log', (entry) =>
        this.set({ log: [...this.snapshot.log, entry].slice(-LOG_LIMIT) }),
      ),
    );
    try {
      const [servers, network, preferences, log, appInfo] = await Promise.all([
        this.api.invoke('servers.list'),
        this.api.invoke('network.state'),
        this.api.invoke('settings.get'),
        this.api.invoke('log.recent', { limit: LOG_LIMIT }),
        this.api.invoke('app.info'),
      ]);
      // Events that arrived while loading are newer than the answers' log: keep them.
      const newest = log.at(-1)?.id ?? 0;
      const later = this.snapshot.log.filter((entry) => entry.id > newest);
      this.set({
        servers: this.snapshot.servers ?? servers,
        network: this.snapshot.network ?? network,
        preferences: this.snapshot.preferences ?? preferences,
        log: [...log, ...later].slice(-LOG_LIMIT),
        appInfo,
      });
    } catch (error) {
      this.set({ loadError: error instanceof Error ? error.message : String(error) });
    }
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  getSnapshot = (): CoreSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A call's answer that already says the new state (a knock's final status). */
  applyStatus(status: ServerStatusView): void {
    const servers = this.snapshot.servers;
    if (servers === undefined) return;
    const index = servers.findIndex((view) => view.profile.id === status.serverId);
    const current = servers[index];
    if (current === undefined || sameStatus(current.status, status)) return;
    const next = servers.slice();
    next[index] = { ...current, status };
    this.set({ servers: next });
  }

  private set(patch: Partial<CoreSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    this.schedule(() => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    });
  }
}

function sameStatus(a: ServerStatusView, b: ServerStatusView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
