import { abortReason, type Clock } from '../../src/lib/clock.js';

interface Sleeper {
  readonly until: number;
  readonly resolve: () => void;
}

/** A clock that only moves when the test says so. */
export class TestClock implements Clock {
  private time = 0;
  private readonly sleepers: Sleeper[] = [];
  readonly sleeps: number[] = [];

  constructor(private readonly epoch = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.epoch + this.time;
  }

  monotonic(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const sleeper = { until: this.time + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  /** Moves time forward and wakes every sleeper that is due, letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flush();
      const due = this.sleepers
        .filter((s) => s.until <= target)
        .sort((a, b) => a.until - b.until)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.until);
      this.sleepers.splice(this.sleepers.indexOf(due), 1);
      due.resolve();
    }
    this.time = target;
    await flush();
  }

  get pending(): number {
    return this.sleepers.length;
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
