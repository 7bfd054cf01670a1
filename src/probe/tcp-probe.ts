import { setMaxListeners } from 'node:events';
import { Socket } from 'node:net';
import { linkedController } from '../lib/abort-link.js';
import { type Clock, systemClock, throwIfAborted } from '../lib/clock.js';

/**
 * What a TCP connect says about a port: `open` (it answered), `closed` (refused: a RST came back),
 * `filtered` (no answer at all: a firewall drops the SYN), `unreachable` (the network or host
 * cannot be reached from here).
 */
export type PortState = 'open' | 'closed' | 'filtered' | 'unreachable';

export interface ProbeResult {
  readonly state: PortState;
  readonly address: string;
  readonly port: number;
  /** For `open`: how long the connect took. Otherwise: how long it was tried. */
  readonly elapsedMs: number;
  /** The system's error code for `closed` and `unreachable`. */
  readonly code?: string;
}

const UNREACHABLE = new Set([
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);

/** One TCP connect to `address:port`, given up after `timeoutMs`. */
export function probeTcp(
  address: string,
  port: number,
  timeoutMs: number,
  options: { signal?: AbortSignal; clock?: Clock } = {},
): Promise<ProbeResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.monotonic();
  return new Promise<ProbeResult>((resolve) => {
    const socket = new Socket();
    const finish = (state: PortState, code?: string): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      const elapsedMs = clock.monotonic() - started;
      resolve(
        code === undefined
          ? { state, address, port, elapsedMs }
          : { state, address, port, elapsedMs, code },
      );
    };
    const onAbort = (): void => finish('filtered', 'ECANCELED');
    const timer = setTimeout(() => finish('filtered'), timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish('closed', error.code);
      else if (error.code !== undefined && UNREACHABLE.has(error.code))
        finish('unreachable', error.code);
      else finish('filtered', error.code);
    });
    socket.connect({ host: address, port });
  });
}

/**
 * When each new connect attempt starts, in ms after the check begins. A door opens some
 * milliseconds after the knock, so the first SYN is often dropped, and the kernel would only
 * resend it after a second. Fresh attempts at short intervals see the door as soon as it opens;
 * earlier ones stay pending, so a slow path (a long round trip) is not cut short.
 */
const ATTEMPT_STARTS_MS = [
  0, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 200, 250, 350, 500, 700, 1000,
];
const ATTEMPT_EVERY_MS_AFTER = 1000;
/** One attempt is given up after this long: longer than any sane round trip, and long enough for
 * the kernel's own SYN resend (after 1 s) to cover a lost packet. It bounds the open sockets. */
const ATTEMPT_MAX_MS = 3000;

export interface WaitForOpenOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
}

/**
 * Checks whether a port answers within `timeoutMs`, trying again while it does not. Resolves with
 * `open` as soon as one attempt connects, else with what the attempts saw: `closed` when the
 * port refused, `unreachable` when the network said so, `filtered` when nothing answered.
 */
export async function waitForOpen(
  address: string,
  port: number,
  options: WaitForOpenOptions,
): Promise<ProbeResult> {
  const clock = options.clock ?? systemClock;
  throwIfAborted(options.signal);
  const started = clock.monotonic();
  // Aborted when an attempt opens the port, or when the caller cancels.
  const { controller: stop, unlink } = linkedController([options.signal]);
  const signal = stop.signal;
  // Every pending attempt listens on this signal; the schedule keeps them to a few dozen.
  setMaxListeners(ATTEMPT_STARTS_MS.length + ATTEMPT_MAX_MS / ATTEMPT_EVERY_MS_AFTER + 4, signal);
  const seen: ProbeResult[] = [];
  let opened: ProbeResult | undefined;
  const attempts: Promise<void>[] = [];
  try {
    for (let attempt = 0; !opened && !signal.aborted; attempt += 1) {
      const startAt = attemptStart(attempt);
      if (startAt >= options.timeoutMs) break;
      const wait = startAt - (clock.monotonic() - started);
      // The sleep ends early (rejects) when an attempt opens the port or the caller cancels.
      if (wait > 0) await clock.sleep(wait, signal).catch(() => undefined);
      const left = options.timeoutMs - (clock.monotonic() - started);
      if (opened || signal.aborted || left <= 0) break;
      attempts.push(
        probeTcp(address, port, Math.min(left, ATTEMPT_MAX_MS), { signal, clock }).then(
          (result) => {
            seen.push(result);
            if (result.state === 'open' && !opened) {
              opened = result;
              stop.abort();
            }
          },
        ),
      );
    }
    await Promise.all(attempts);
  } finally {
    stop.abort();
    unlink();
  }
  throwIfAborted(options.signal);
  const elapsedMs = clock.monotonic() - started;
  if (opened) return { ...opened, elapsedMs };
  return { ...summarize(seen, address, port), elapsedMs };
}

function attemptStart(attempt: number): number {
  const scheduled = ATTEMPT_STARTS_MS[attempt];
  if (scheduled !== undefined) return scheduled;
  const last = ATTEMPT_STARTS_MS[ATTEMPT_STARTS_MS.length - 1] ?? 0;
  return last + (attempt - ATTEMPT_STARTS_MS.length + 1) * ATTEMPT_EVERY_MS_AFTER;
}

function summarize(results: readonly ProbeResult[], address: string, port: number): ProbeResult {
  const last = (state: PortState): ProbeResult | undefined =>
    results.findLast((r) => r.state === state);
  return (
    last('closed') ??
    last('unreachable') ??
    last('filtered') ?? { state: 'filtered', address, port, elapsedMs: 0 }
  );
}
