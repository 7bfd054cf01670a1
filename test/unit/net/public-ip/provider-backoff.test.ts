import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF,
  ProviderBackoff,
} from '../../../../src/net/public-ip/provider-backoff.js';
import { TestClock } from '../../../helpers/test-clock.js';

describe('ProviderBackoff', () => {
  it('doubles the pause after each failure in a row, up to the cap, per key', async () => {
    const clock = new TestClock();
    const backoff = new ProviderBackoff(clock, { initialMs: 1000, factor: 2, maxMs: 5000 });
    const pauses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      backoff.failed('a/4');
      pauses.push(backoff.remainingMs('a/4'));
    }
    expect(pauses).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoff.failures('a/4')).toBe(5);
    expect(backoff.remainingMs('a/6')).toBe(0);
    await clock.advance(4999);
    expect(backoff.remainingMs('a/4')).toBe(1);
    await clock.advance(1);
    expect(backoff.remainingMs('a/4')).toBe(0);
  });

  it('a success forgets the failures; reset forgets them all', () => {
    const backoff = new ProviderBackoff(new TestClock());
    backoff.failed('a/4');
    backoff.failed('b/4');
    expect(backoff.remainingMs('a/4')).toBe(DEFAULT_BACKOFF.initialMs);
    backoff.succeeded('a/4');
    expect([backoff.remainingMs('a/4'), backoff.failures('a/4')]).toEqual([0, 0]);
    backoff.reset();
    expect(backoff.remainingMs('b/4')).toBe(0);
  });
});
