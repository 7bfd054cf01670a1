import { EventEmitter } from 'node:events';
import { knock } from '../knock/knocker.js';
import { sendSpa } from '../knock/spa/spa-sender.js';
import { AbortedError, type Clock } from '../lib/clock.js';
import { waitForOpen } from '../probe/tcp-probe.js';
import type { ServerProfile } from '../servers/server-profile.js';
import type { ServerRepository } from '../servers/server-repository.js';
import type { SettingsStore } from '../store/settings-store.js';
import { KnockError, openDoor, type DoorOpenerDeps, type DoorOutcome } from './door-opener.js';
import type { EventLog } from './event-log.js';
import { LaterRetries } from './later-retries.js';
import { Limiter } from './limiter.js';
import { idleStatus, type KnockTrigger, type ServerStatus } from './server-status.js';

export interface PublicIpView {
  readonly v4?: string;
  readonly v6?: string;
}

export interface EngineOptions {
  readonly repository: ServerRepository;
  readonly settings: SettingsStore;
  readonly log: EventLog;
  readonly clock: Clock;
  /** The public IP as the network watcher last saw it (for the record of each knock). */
  readonly publicIp?: () => PublicIpView;
  readonly opener?: Partial<DoorOpenerDeps>;
  /** The first wait before a failed automatic knock is tried again (tests make it short). */
  readonly laterRetryMs?: number;
}

interface EngineEvents {
  status: [ServerStatus];
}

interface Flight {
  readonly controller: AbortController;
  done?: Promise<ServerStatus>;
  /** Another trigger arrived while this knock ran: knock once more after it. */
  again?: KnockTrigger;
}

/**
 * The heart of Sesame: keeps every server's door state, knocks on request and by itself (at
 * start, when the public IP changes, on keep-alive), at most one knock in flight per server and
 * a bounded number at once overall, and reports every change as a `status` event and in the
 * event log. Plain Node: the tray app, `sesame watch` and the tests all run this same class.
 */
export class Engine extends EventEmitter<EngineEvents> {
  private readonly statuses = new Map<string, ServerStatus>();
  private readonly flights = new Map<string, Flight>();
  private keepAlive = new AbortController();
  private readonly limiter: Limiter;
  private readonly opener: DoorOpenerDeps;
  private readonly later: LaterRetries;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: EngineOptions) {
    super();
    this.limiter = new Limiter(options.settings.get().preferences.maxParallelKnocks);
    this.opener = { clock: options.clock, knock, sendSpa, waitForOpen, ...options.opener };
    this.later = new LaterRetries(
      options.clock,
      (serverId) => void this.knock(serverId, 'retry').catch(() => undefined),
      options.laterRetryMs,
    );
  }

  /** Loads every server's state, knocks those that ask for it at start, starts keep-alive timers. */
  async start(): Promise<void> {
    this.stopped = false;
    this.limiter.setLimit(this.options.settings.get().preferences.maxParallelKnocks);
    await this.refreshSecrets();
    const stopSettings = this.options.settings.onChange(() => void this.onSettingsChanged());
    const stopSecrets = this.options.repository.onSecretStored(
      (serverId) => void this.refreshSecret(serverId),
    );
    this.unsubscribe = () => {
      stopSettings();
      stopSecrets();
    };
    this.scheduleKeepAlive();
    for (const server of this.options.repository.list()) {
      if (server.auto.atStart) void this.knock(server.id, 'start');
    }
  }

  /** Cancels every knock in flight and every timer, and writes the event log. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.keepAlive.abort();
    this.later.stopAll();
    const flights = [...this.flights.values()];
    for (const flight of flights) flight.controller.abort(new AbortedError('Sesame is stopping'));
    await Promise.allSettled(flights.flatMap((flight) => (flight.done ? [flight.done] : [])));
    this.options.log.flush();
  }

  status(serverId: string): ServerStatus | undefined {
    return this.statuses.get(serverId);
  }

  allStatuses(): ServerStatus[] {
    return this.options.repository
      .list()
      .map((server) => this.statuses.get(server.id) ?? idleStatus(server.id, 'missing'));
  }

  /**
   * Opens one server's door. When a knock for it is already in flight, no second one starts:
   * the caller gets the running one, and a knock for a new reason (an IP change) is queued to
   * run once more after it.
   */
  knock(serverId: string, trigger: KnockTrigger = 'manual'): Promise<ServerStatus> {
    const running = this.flights.get(serverId);
    if (running?.done) {
      if (trigger === 'ip-change') running.again = trigger;
      return running.done;
    }
    const server = this.options.repository.get(serverId);
    if (!server) return Promise.reject(new KnockError(`no saved server has the id ${serverId}`));
    const flight: Flight = { controller: new AbortController() };
    this.flights.set(serverId, flight);
    this.later.cancel(serverId);
    flight.done = this.limiter
      .run(() => this.runKnock(server, trigger, flight.controller.signal))
      .then((status) => this.afterKnock(server, trigger, status))
      .finally(() => {
        this.flights.delete(serverId);
        if (flight.again && !this.stopped)
          void this.knock(serverId, flight.again).catch(() => undefined);
      });
    return flight.done;
  }

  /**
   * A knock Sesame made by itself that did not open the door is tried again later; one a person
   * asked for is not (they see the result and decide).
   */
  private afterKnock(
    server: ServerProfile,
    trigger: KnockTrigger,
    status: ServerStatus,
  ): ServerStatus {
    if (status.state === 'open' || status.state === 'knocked') {
      this.later.succeeded(server.id);
      return status;
    }
    if (
      trigger === 'manual' ||
      this.stopped ||
      (status.state !== 'error' && status.state !== 'closed')
    )
      return status;
    if (status.secret !== 'stored') return status; // Nothing to retry with until the person acts.
    const waitMs = this.later.schedule(server.id);
    const seconds = Math.round(waitMs / 1000);
    this.options.log.add({
      kind: 'knock-failed',
      serverId: server.id,
      serverName: server.name,
      message: `${server.name}: trying again in ${seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${seconds} s`}`,
    });
    return this.setStatus({ ...status, retryAt: this.options.clock.now() + waitMs });
  }

  knockAll(trigger: KnockTrigger = 'manual'): Promise<ServerStatus[]> {
    return Promise.all(
      this.options.repository.list().map((server) => this.knock(server.id, trigger)),
    );
  }

  /** The public IP changed: knock again on every server that asks for it (and if the switch is on). */
  handlePublicIpChange(change: { family: 4 | 6; previous?: string; current: string }): void {
    this.options.log.add({
      kind: 'ip-change',
      message: change.previous
        ? `public IPv${change.family} changed from ${change.previous} to ${change.current}`
        : `public IPv${change.family} is ${change.current}`,
    });
    if (!this.options.settings.get().preferences.autoReknock) return;
    for (const server of this.options.repository.list()) {
      if (server.auto.onIpChange) void this.knock(server.id, 'ip-change').catch(() => undefined);
    }
  }

  /** Cancels a knock in flight (the UI's cancel button). */
  cancel(serverId: string): void {
    this.flights.get(serverId)?.controller.abort(new AbortedError('cancelled'));
  }

  private async runKnock(
    server: ServerProfile,
    trigger: KnockTrigger,
    signal: AbortSignal,
  ): Promise<ServerStatus> {
    const base = this.statuses.get(server.id) ?? idleStatus(server.id, 'missing');
    const publicIp = this.currentPublicIp(server);
    const at = this.options.clock.now();
    const lastKnock = { at, trigger, ...(publicIp !== undefined && { publicIp }) };
    this.setStatus({
      ...base,
      state: 'knocking',
      progress: { sent: 0, total: 0 },
      lastKnock,
      reason: undefined,
      attempt: undefined,
      retryAt: undefined,
    });
    let secret;
    try {
      secret = await this.options.repository.secretOf(server);
    } catch (error) {
      return this.fail(
        server,
        lastKnock,
        'unavailable',
        `the secret could not be read: ${(error as Error).message}`,
      );
    }
    if (!secret)
      return this.fail(
        server,
        lastKnock,
        'missing',
        'no sequence or key is stored for this server (secret missing): enter it again',
      );
    const cursor = this.options.settings.get().memory[server.id]?.oneTimeCursor ?? 0;
    this.options.log.add({
      kind: 'knock',
      serverId: server.id,
      serverName: server.name,
      message: `knocking on ${server.name} (${describeTrigger(trigger)})`,
    });
    let outcome: DoorOutcome;
    try {
      outcome = await openDoor(
        {
          server,
          secret,
          oneTimeCursor: cursor,
          signal,
          onProgress: (sent, total) =>
            this.setStatus({
              ...this.current(server.id),
              state: 'knocking',
              progress: { sent, total },
            }),
          onAttempt: (attempt) => this.setStatus({ ...this.current(server.id), attempt }),
          publicIpv4: () => this.options.publicIp?.().v4,
        },
        this.opener,
      );
    } catch (error) {
      if (signal.aborted) {
        return this.setStatus({
          ...this.current(server.id),
          state: 'idle',
          progress: undefined,
          reason: 'the knock was cancelled',
        });
      }
      return this.fail(server, lastKnock, 'stored', (error as Error).message);
    }
    const done = { ...lastKnock, address: outcome.address };
    if (outcome.state === 'open') {
      if (outcome.usedOneTime) this.advanceOneTime(server.id, cursor);
      this.options.log.add({
        kind: 'door-open',
        serverId: server.id,
        serverName: server.name,
        message: `${server.name} is open (port ${server.checkPort} answered in ${Math.round(outcome.latencyMs)} ms)`,
      });
      return this.setStatus({
        serverId: server.id,
        state: 'open',
        secret: 'stored',
        lastKnock: done,
        checkLatencyMs: outcome.latencyMs,
      });
    }
    if (outcome.state === 'knocked') {
      this.options.log.add({
        kind: 'knock',
        serverId: server.id,
        serverName: server.name,
        message: `knocked on ${server.name} (no check port to confirm)`,
      });
      return this.setStatus({
        serverId: server.id,
        state: 'knocked',
        secret: 'stored',
        lastKnock: done,
      });
    }
    this.options.log.add({
      kind: 'door-closed',
      serverId: server.id,
      serverName: server.name,
      message: `${server.name} did not open: ${outcome.reason}`,
    });
    return this.setStatus({
      serverId: server.id,
      state: 'closed',
      secret: 'stored',
      lastKnock: done,
      reason: outcome.reason,
    });
  }

  private fail(
    server: ServerProfile,
    lastKnock: ServerStatus['lastKnock'],
    secret: ServerStatus['secret'],
    reason: string,
  ): ServerStatus {
    this.options.log.add({
      kind: 'knock-failed',
      serverId: server.id,
      serverName: server.name,
      message: `could not knock on ${server.name}: ${reason}`,
    });
    return this.setStatus({
      serverId: server.id,
      state: 'error',
      secret,
      reason,
      ...(lastKnock && { lastKnock }),
    });
  }

  /** The one-time sequence was used and the door opened: the next knock takes the next one. */
  private advanceOneTime(serverId: string, used: number): void {
    try {
      this.options.settings.update((settings) => ({
        ...settings,
        memory: {
          ...settings.memory,
          [serverId]: { ...settings.memory[serverId], oneTimeCursor: used + 1 },
        },
      }));
    } catch (error) {
      this.options.log.add({
        kind: 'error',
        serverId,
        message: `could not remember the next one-time sequence: ${(error as Error).message}`,
      });
    }
  }

  private currentPublicIp(server: ServerProfile): string | undefined {
    const ip = this.options.publicIp?.();
    if (!ip) return undefined;
    return server.family === 'ipv6' ? ip.v6 : server.family === 'ipv4' ? ip.v4 : (ip.v4 ?? ip.v6);
  }

  private current(serverId: string): ServerStatus {
    return this.statuses.get(serverId) ?? idleStatus(serverId, 'missing');
  }

  private setStatus(status: ServerStatus): ServerStatus {
    const clean = Object.fromEntries(
      Object.entries(status).filter(([, value]) => value !== undefined),
    ) as unknown as ServerStatus;
    this.statuses.set(status.serverId, clean);
    this.emit('status', clean);
    return clean;
  }

  /** A secret was entered again: the server is no longer "secret missing". */
  private async refreshSecret(serverId: string): Promise<void> {
    const server = this.options.repository.get(serverId);
    if (!server) return;
    const secret = await this.options.repository.secretState(server);
    this.setStatus({ ...this.current(serverId), secret });
  }

  private async refreshSecrets(): Promise<void> {
    const servers = this.options.repository.list();
    const states = await this.options.repository.secretStates(servers);
    for (const server of servers) {
      const secret = states.get(server.id) ?? 'missing';
      const known = this.statuses.get(server.id);
      if (known?.secret !== secret || !known)
        this.setStatus(known ? { ...known, secret } : idleStatus(server.id, secret));
    }
  }

  private async onSettingsChanged(): Promise<void> {
    if (this.stopped) return;
    const ids = new Set(this.options.repository.list().map((server) => server.id));
    for (const id of [...this.statuses.keys()]) if (!ids.has(id)) this.statuses.delete(id);
    this.limiter.setLimit(this.options.settings.get().preferences.maxParallelKnocks);
    await this.refreshSecrets();
    this.scheduleKeepAlive();
  }

  /** One loop per server with keep-alive, restarted whenever the settings change. */
  private scheduleKeepAlive(): void {
    this.keepAlive.abort();
    this.keepAlive = new AbortController();
    const { signal } = this.keepAlive;
    for (const server of this.options.repository.list()) {
      const periodMs = server.auto.keepAliveMinutes * 60_000;
      if (periodMs > 0) void this.keepAliveLoop(server.id, periodMs, signal);
    }
  }

  private async keepAliveLoop(
    serverId: string,
    periodMs: number,
    signal: AbortSignal,
  ): Promise<void> {
    for (;;) {
      try {
        await this.options.clock.sleep(periodMs, signal);
      } catch {
        return; // Stopped, or the settings changed and a new loop took over.
      }
      await this.knock(serverId, 'keep-alive').catch(() => undefined);
    }
  }
}

function describeTrigger(trigger: KnockTrigger): string {
  switch (trigger) {
    case 'manual':
      return 'asked';
    case 'ip-change':
      return 'the public IP changed';
    case 'start':
      return 'Sesame started';
    case 'keep-alive':
      return 'keep-alive';
    case 'retry':
      return 'retry';
  }
}
