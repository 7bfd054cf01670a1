import type { Clock } from '../../lib/clock.js';

export interface BackoffPolicy {
  /** The pause after the first failure. */
  readonly initialMs: number;
  /** Each further failure in a row multiplies the pause by this. */
  readonly factor: number;
  /** The longest pause: a provider is asked again at least this often. */
  readonly maxMs: number;
}

/**
 * Half a minute after a first failure, doubling, never more than half an hour: a provider that is
 * down is not asked every time, and one that comes back is used again within the hour.
 */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 30_000, factor: 2, maxMs: 30 * 60_000 };

interface Entry {
  failures: number;
  until: number;
}

/** Consecutive failures per provider and family, and until when each one is left out. */
export class ProviderBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  /** Milliseconds this provider is still left out for; 0 when it may be asked. */
  remainingMs(key: string): number {
    const entry = this.entries.get(key);
    return entry === undefined ? 0 : Math.max(0, entry.until - this.clock.monotonic());
  }

  failures(key: string): number {
    return this.entries.get(key)?.failures ?? 0;
  }

  failed(key: string): void {
    const failures = this.failures(key) + 1;
    const pause = Math.min(
      this.policy.initialMs * this.policy.factor ** (failures - 1),
      this.policy.maxMs,
    );
    this.entries.set(key, { failures, until: this.clock.monotonic() + pause });
  }

  succeeded(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every failure: after a network change, old failures say little about the new path. */
  reset(): void {
    this.entries.clear();
  }
}
