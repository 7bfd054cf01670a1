import type { NetworkService } from '../api/core-services.js';
import type { NetworkState, ProviderReport } from '../api/view-schemas.js';
import type { Clock } from '../lib/clock.js';
import type { NetworkWatcher } from '../net/network-watcher.js';
import type { PublicIpResult } from '../net/public-ip/public-ip-resolver.js';

/**
 * The network as the window shows it: the public IPv4 and IPv6 with the time each was first
 * seen, what each provider said in the last check, and whether a check is under way. It follows
 * the watcher's events; `checkNow` asks the watcher for a check and resolves when it is done.
 */
export class WatcherNetworkService implements NetworkService {
  private current: NetworkState;
  private readonly listeners = new Set<(state: NetworkState) => void>();
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly watcher: NetworkWatcher,
    private readonly clock: Clock,
    private readonly autoReknock: () => boolean,
  ) {
    this.current = { ipv4: {}, ipv6: {}, checking: true, reports: [], autoReknock: autoReknock() };
    watcher.on('public-ip-changed', (change) => {
      const key = change.family === 4 ? 'ipv4' : 'ipv6';
      this.update({
        [key]: {
          address: change.current,
          since: this.clock.now(),
          ...(change.result.provider !== undefined && { provider: change.result.provider }),
        },
      });
    });
    watcher.on('check-done', (done) => {
      this.update({
        checking: false,
        checkedAt: this.clock.now(),
        reports: done.results.flatMap(reportsOf),
      });
      for (const resolve of this.waiting.splice(0)) resolve();
    });
  }

  state(): NetworkState {
    return { ...this.current, autoReknock: this.autoReknock() };
  }

  async checkNow(): Promise<NetworkState> {
    const done = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.update({ checking: true });
    this.watcher.checkNow('manual');
    await done;
    return this.state();
  }

  onChange(listener: (state: NetworkState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The auto re-knock switch changed: the window shows it with the network. */
  refresh(): void {
    this.update({});
  }

  private update(patch: Partial<NetworkState>): void {
    this.current = { ...this.current, ...patch };
    const state = this.state();
    for (const listener of this.listeners) listener(state);
  }
}

function reportsOf(result: PublicIpResult): ProviderReport[] {
  return [
    ...result.answers.map((answer) => ({
      provider: answer.provider,
      family: result.family,
      ok: true,
      detail: answer.address,
    })),
    ...result.failures.map((failure) => ({
      provider: failure.provider,
      family: result.family,
      ok: false,
      detail: failure.reason,
    })),
    ...result.skipped.map((skipped) => ({
      provider: skipped.provider,
      family: result.family,
      ok: false,
      detail: 'resting after recent failures',
    })),
  ];
}
