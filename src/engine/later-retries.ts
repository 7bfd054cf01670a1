import type { Clock } from '../lib/clock.js';

/** The first wait before Sesame tries a failed automatic knock again, then doubling. */
export const LATER_RETRY_BASE_MS = 60_000;
export const LATER_RETRY_MAX_MS = 15 * 60_000;

/**
 * Knocks that failed by themselves (after an IP change, at start, on keep-alive) are tried again
 * later: the network may have been down for a moment, or the server's name not resolvable yet.
 * One timer per server, waiting 1, 2, 4 … up to 15 minutes; any new knock for the server cancels
 * it, and a success starts the count again.
 */
export class LaterRetries {
  private readonly timers = new Map<string, AbortController>();
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly retry: (serverId: string) => void,
    private readonly baseMs = LATER_RETRY_BASE_MS,
  ) {}

  /** The knock failed: tries again after the next wait. Returns the wait, in ms. */
  schedule(serverId: string): number {
    this.cancel(serverId);
    const failures = (this.failures.get(serverId) ?? 0) + 1;
    this.failures.set(serverId, failures);
    const waitMs = Math.min(LATER_RETRY_MAX_MS, this.baseMs * 2 ** (failures - 1));
    const controller = new AbortController();
    this.timers.set(serverId, controller);
    this.clock.sleep(waitMs, controller.signal).then(
      () => {
        this.timers.delete(serverId);
        this.retry(serverId);
      },
      () => undefined, // Cancelled: a newer knock or Sesame stopping.
    );
    return waitMs;
  }

  /** A knock is starting: no retry is needed for now. */
  cancel(serverId: string): void {
    this.timers.get(serverId)?.abort();
    this.timers.delete(serverId);
  }

  /** The door opened: the next failure waits the shortest time again. */
  succeeded(serverId: string): void {
    this.failures.delete(serverId);
  }

  stopAll(): void {
    for (const controller of this.timers.values()) controller.abort();
    this.timers.clear();
  }
}
