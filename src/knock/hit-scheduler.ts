import { type Clock, throwIfAborted } from '../lib/clock.js';
import type { Hit } from './sequence.js';

export interface HitReport {
  /** Position in the sequence, from 0. */
  readonly index: number;
  readonly total: number;
  readonly port: number;
  readonly protocol: Hit['protocol'];
  /** Wall-clock time the hit was sent, ms since the epoch. */
  readonly sentAt: number;
}

export interface ScheduleOptions {
  readonly hits: readonly Hit[];
  /** Wait between two hits. None after the last one: the sequence is complete then. */
  readonly delayMs: number;
  readonly clock: Clock;
  readonly send: (hit: Hit) => Promise<void>;
  readonly signal?: AbortSignal;
  readonly onHit?: (report: HitReport) => void;
}

/**
 * Sends the hits one after another, in order, each only after the previous one has left, with
 * the configured wait in between. Stops at the first hit that cannot be sent or when cancelled.
 */
export async function runHits(options: ScheduleOptions): Promise<HitReport[]> {
  const { hits, delayMs, clock, send, signal, onHit } = options;
  const reports: HitReport[] = [];
  for (const [index, hit] of hits.entries()) {
    throwIfAborted(signal);
    if (index > 0 && delayMs > 0) await clock.sleep(delayMs, signal);
    throwIfAborted(signal);
    await send(hit);
    const report: HitReport = {
      index,
      total: hits.length,
      port: hit.port,
      protocol: hit.protocol,
      sentAt: clock.now(),
    };
    reports.push(report);
    onHit?.(report);
  }
  return reports;
}
