import { EventEmitter } from 'node:events';
import { networkInterfaces } from 'node:os';
import { type Clock, systemClock } from '../lib/clock.js';
import { readDefaultRoutes } from './default-route.js';
import { type InterfaceMap, interfaceFingerprint } from './interface-fingerprint.js';
import type { IpVersion } from './public-ip/provider-spec.js';
import type { PublicIpResult, ResolveOptions } from './public-ip/public-ip-resolver.js';

/** What the watcher needs of the resolver (PublicIpResolver is one). */
export interface PublicIpSource {
  resolve(version: IpVersion, options?: ResolveOptions): Promise<PublicIpResult>;
  resetBackoff(): void;
}

/** Why a check ran: `network` (interfaces or routes), `timer`, `start`, or a notify() reason. */
export type CheckTrigger = 'network' | 'timer' | 'start' | 'manual' | (string & {});

export interface LocalChange {
  /** How many changes the quiet period absorbed into this one event. */
  readonly changes: number;
  readonly fingerprint: string;
}

export interface PublicIpChange {
  readonly family: IpVersion;
  /** Undefined for the first address the watcher learns. */
  readonly previous: string | undefined;
  readonly current: string;
  readonly result: PublicIpResult;
}

export interface PublicIpUnsettled {
  readonly family: IpVersion;
  /** The address kept: an unknown or disputed round never changes it. */
  readonly current: string | undefined;
  readonly result: PublicIpResult;
}

export interface CheckDone {
  readonly triggers: readonly CheckTrigger[];
  readonly results: readonly PublicIpResult[];
  readonly changed: boolean;
}

export interface NetworkWatcherEvents {
  'local-change': [LocalChange];
  'public-ip-changed': [PublicIpChange];
  /** Every provider failed for this family: unknown, which is never a change. */
  'public-ip-unknown': [PublicIpUnsettled];
  /** Providers named different addresses and none gathered enough agreement. */
  'public-ip-disagreement': [PublicIpUnsettled & { readonly addresses: readonly string[] }];
  'check-done': [CheckDone];
  /**
   * Reading the network or a check failed in a way no provider explains (a listener threw, an
   * injected reader failed); watching goes on.
   */
  error: [Error];
}

export interface NetworkWatcherOptions {
  readonly resolver: PublicIpSource;
  readonly clock?: Clock;
  /** The families to follow (default both). */
  readonly families?: readonly IpVersion[];
  readonly readInterfaces?: () => InterfaceMap;
  /** A string that changes when the default routes change (default: readDefaultRoutes). */
  readonly readDefaultRoutes?: () => Promise<string>;
  /** How often interfaces and routes are read (default 2 s). */
  readonly pollMs?: number;
  /** How long the network must stay still before a check (default 2 s). */
  readonly quietMs?: number;
  /** The slow timer for a change behind the router (default 5 min). */
  readonly publicCheckMs?: number;
  /** The first retry after an unknown or disputed round; doubles up to publicCheckMs (15 s). */
  readonly retryMs?: number;
  /** Providers that must agree before the address changes (default 2; see the resolver). */
  readonly confirmations?: number;
}

/**
 * Notices when the machine's public IP may have changed, and checks it. Local changes
 * (interfaces, addresses, default routes: polled, compared as a fingerprint), notify() from the
 * tray (resume, unlock, online) and a slow timer all lead to a public-IP check. Changes are
 * debounced: a check runs only once the network has been still for the quiet period, so a
 * network that flaps ten times in five seconds costs one check and at most one change event.
 *
 * Idle, it is one timer at a time (the next poll or the slow timer), and a poll reads a few
 * hundred bytes; there is no busy loop.
 */
export class NetworkWatcher extends EventEmitter<NetworkWatcherEvents> {
  private readonly resolver: PublicIpSource;
  private readonly clock: Clock;
  private readonly families: readonly IpVersion[];
  private readonly readInterfaces: () => InterfaceMap;
  private readonly readRoutes: () => Promise<string>;
  private readonly pollMs: number;
  private readonly quietMs: number;
  private readonly publicCheckMs: number;
  private readonly retryMs: number;
  private readonly confirmations: number;

  private readonly addresses = new Map<IpVersion, string>();
  private seenFingerprint = '';
  private settledFingerprint = '';
  private changesSinceCheck = 0;
  private triggers: CheckTrigger[] = [];
  private settling = false;
  private urgent = false;
  private lastActivityAt = 0;
  private nextPollAt = 0;
  private nextPublicAt = 0;
  private unsettledRounds = 0;
  private stopper: AbortController | undefined;
  private wake: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(options: NetworkWatcherOptions) {
    super();
    this.resolver = options.resolver;
    this.clock = options.clock ?? systemClock;
    this.families = options.families ?? [4, 6];
    this.readInterfaces = options.readInterfaces ?? networkInterfaces;
    this.readRoutes = options.readDefaultRoutes ?? (() => readDefaultRoutes());
    this.pollMs = options.pollMs ?? 2000;
    this.quietMs = options.quietMs ?? 2000;
    this.publicCheckMs = options.publicCheckMs ?? 5 * 60_000;
    this.retryMs = options.retryMs ?? 15_000;
    this.confirmations = options.confirmations ?? 2;
  }

  /** Reads the network as it is and checks the public IP at once, then keeps watching. */
  async start(): Promise<void> {
    if (this.stopper) return;
    this.stopper = new AbortController();
    this.seenFingerprint = this.settledFingerprint = await this.fingerprint();
    const now = this.clock.monotonic();
    this.nextPollAt = now + this.pollMs;
    this.nextPublicAt = now;
    this.triggers = ['start'];
    this.running = this.loop(this.stopper.signal);
  }

  /** Stops every timer and cancels a check in progress. */
  async stop(): Promise<void> {
    this.stopper?.abort();
    this.wake?.abort();
    await this.running;
    this.stopper = undefined;
    this.running = undefined;
  }

  /**
   * The tray calls this on resume from sleep, screen unlock and "online": the network may have
   * changed while nobody polled. Debounced like a local change; a burst of calls is one check.
   */
  notify(reason: CheckTrigger): void {
    this.activity(reason);
    this.nextPollAt = this.clock.monotonic();
    this.resolver.resetBackoff();
    this.wake?.abort();
  }

  /** A check now, without the quiet period (a "check now" menu item). */
  checkNow(reason: CheckTrigger = 'manual'): void {
    this.addTrigger(reason);
    this.urgent = true;
    this.nextPublicAt = this.clock.monotonic();
    this.wake?.abort();
  }

  /** The public addresses as last confirmed; a family never learned is left out. */
  current(): { ipv4?: string; ipv6?: string } {
    const ipv4 = this.addresses.get(4);
    const ipv6 = this.addresses.get(6);
    return { ...(ipv4 !== undefined && { ipv4 }), ...(ipv6 !== undefined && { ipv6 }) };
  }

  private async loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.clock.monotonic() >= this.nextPollAt) {
        await this.poll().catch((error: unknown) => this.failed(error, signal));
        this.nextPollAt = this.clock.monotonic() + this.pollMs;
      }
      const now = this.clock.monotonic();
      // While the network moves, only the quiet period (or checkNow) leads to a check.
      const quietAt = this.settling ? this.lastActivityAt + this.quietMs : Infinity;
      const timerAt = this.settling && !this.urgent ? Infinity : this.nextPublicAt;
      if (now >= quietAt || now >= timerAt) {
        await this.check(signal).catch((error: unknown) => this.failed(error, signal));
        continue;
      }
      this.wake = new AbortController();
      const wakeAt = Math.min(this.nextPollAt, quietAt, timerAt);
      await this.clock.sleep(Math.max(0, wakeAt - now), this.wake.signal).catch(() => undefined);
    }
  }

  private failed(error: unknown, signal: AbortSignal): void {
    if (signal.aborted) return;
    this.nextPublicAt = this.clock.monotonic() + this.retryMs;
    const reported = error instanceof Error ? error : new Error(String(error));
    // With nobody listening, an 'error' event throws, as EventEmitter does everywhere.
    this.emit('error', reported);
  }

  private async poll(): Promise<void> {
    const fingerprint = await this.fingerprint();
    if (fingerprint === this.seenFingerprint) return;
    this.seenFingerprint = fingerprint;
    this.changesSinceCheck += 1;
    this.activity('network');
    // Failures seen on the old network say little about the new one.
    this.resolver.resetBackoff();
  }

  private async fingerprint(): Promise<string> {
    return `${interfaceFingerprint(this.readInterfaces())}\n--\n${await this.readRoutes()}`;
  }

  private activity(trigger: CheckTrigger): void {
    this.settling = true;
    this.lastActivityAt = this.clock.monotonic();
    this.addTrigger(trigger);
  }

  private addTrigger(trigger: CheckTrigger): void {
    if (!this.triggers.includes(trigger)) this.triggers.push(trigger);
  }

  private async check(signal: AbortSignal): Promise<void> {
    const triggers = this.triggers.length > 0 ? this.triggers : ['timer'];
    this.triggers = [];
    this.settling = false;
    this.urgent = false;
    if (this.changesSinceCheck > 0 && this.seenFingerprint !== this.settledFingerprint) {
      this.settledFingerprint = this.seenFingerprint;
      this.emit('local-change', {
        changes: this.changesSinceCheck,
        fingerprint: this.settledFingerprint,
      });
    }
    this.changesSinceCheck = 0;
    const results = await Promise.all(
      this.families.map((family) =>
        this.resolver.resolve(family, { signal, confirmations: this.confirmations }),
      ),
    );
    if (signal.aborted) return;
    let changed = false;
    let unsettled = false;
    for (const result of results) {
      const previous = this.addresses.get(result.family);
      if (result.address !== undefined) {
        if (result.address === previous) continue;
        this.addresses.set(result.family, result.address);
        changed = true;
        this.emit('public-ip-changed', {
          family: result.family,
          previous,
          current: result.address,
          result,
        });
      } else if (result.disagreement) {
        unsettled = true;
        const addresses = [...new Set(result.answers.map((a) => a.address))];
        this.emit('public-ip-disagreement', {
          family: result.family,
          current: previous,
          addresses,
          result,
        });
      } else {
        // A family never learned (no IPv6 here) is not worth a quick retry; a lost one is.
        if (previous !== undefined) unsettled = true;
        this.emit('public-ip-unknown', { family: result.family, current: previous, result });
      }
    }
    this.unsettledRounds = unsettled ? this.unsettledRounds + 1 : 0;
    const wait = unsettled
      ? Math.min(this.retryMs * 2 ** (this.unsettledRounds - 1), this.publicCheckMs)
      : this.publicCheckMs;
    this.nextPublicAt = this.clock.monotonic() + wait;
    this.emit('check-done', { triggers, results, changed });
  }
}
