import { describe, expect, it } from 'vitest';
import { runHits, type HitReport } from '../../../src/knock/hit-scheduler.js';
import type { Hit } from '../../../src/knock/sequence.js';
import { TestClock } from '../../helpers/test-clock.js';

const hits: Hit[] = [
  { port: 7000, protocol: 'tcp' },
  { port: 8000, protocol: 'udp' },
  { port: 9000, protocol: 'tcp' },
];

describe('runHits', () => {
  it('sends every hit in order with no wait when the delay is 0', async () => {
    const clock = new TestClock();
    const sent: Hit[] = [];
    const reports = await runHits({
      hits,
      delayMs: 0,
      clock,
      send: (hit) => (sent.push(hit), Promise.resolve()),
    });
    expect(sent).toEqual(hits);
    expect(clock.sleeps).toEqual([]);
    expect(reports.map((r) => [r.index, r.total, r.port, r.protocol])).toEqual([
      [0, 3, 7000, 'tcp'],
      [1, 3, 8000, 'udp'],
      [2, 3, 9000, 'tcp'],
    ]);
  });

  it('waits the delay between hits, not before the first or after the last', async () => {
    const clock = new TestClock();
    const progress: HitReport[] = [];
    const done = runHits({
      hits,
      delayMs: 500,
      clock,
      send: () => Promise.resolve(),
      onHit: (report) => progress.push(report),
    });
    await clock.advance(0);
    expect(progress.map((r) => r.port)).toEqual([7000]);
    await clock.advance(499);
    expect(progress).toHaveLength(1);
    await clock.advance(1);
    expect(progress.map((r) => r.port)).toEqual([7000, 8000]);
    await clock.advance(500);
    const reports = await done;
    expect(clock.sleeps).toEqual([500, 500]);
    expect(reports.map((r) => r.sentAt - clock.now())).toEqual([-1000, -500, 0]);
  });

  it('waits for each hit to leave before sending the next', async () => {
    const clock = new TestClock();
    const order: string[] = [];
    let release: (() => void) | undefined;
    const done = runHits({
      hits: hits.slice(0, 2),
      delayMs: 0,
      clock,
      send: (hit) => {
        order.push(`start ${hit.port}`);
        return hit.port === 7000
          ? new Promise<void>((resolve) => {
              release = () => {
                order.push('sent 7000');
                resolve();
              };
            })
          : Promise.resolve();
      },
    });
    await clock.advance(0);
    expect(order).toEqual(['start 7000']);
    release?.();
    await done;
    expect(order).toEqual(['start 7000', 'sent 7000', 'start 8000']);
  });

  it('stops when cancelled during the wait and sends nothing more', async () => {
    const clock = new TestClock();
    const controller = new AbortController();
    const sent: number[] = [];
    const done = runHits({
      hits,
      delayMs: 1000,
      clock,
      signal: controller.signal,
      send: (hit) => (sent.push(hit.port), Promise.resolve()),
    });
    await clock.advance(100);
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    await clock.advance(5000);
    expect(sent).toEqual([7000]);
  });

  it('sends nothing when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const sent: number[] = [];
    await expect(
      runHits({
        hits,
        delayMs: 0,
        clock: new TestClock(),
        signal: controller.signal,
        send: (hit) => (sent.push(hit.port), Promise.resolve()),
      }),
    ).rejects.toThrow();
    expect(sent).toEqual([]);
  });

  it('stops at the first hit that cannot be sent', async () => {
    const sent: number[] = [];
    await expect(
      runHits({
        hits,
        delayMs: 0,
        clock: new TestClock(),
        send: (hit) => {
          sent.push(hit.port);
          return hit.port === 8000
            ? Promise.reject(new Error('network is unreachable'))
            : Promise.resolve();
        },
      }),
    ).rejects.toThrow('network is unreachable');
    expect(sent).toEqual([7000, 8000]);
  });
});
