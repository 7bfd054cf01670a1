import { type Clock, systemClock } from '../lib/clock.js';
import type { AddressFamily } from '../net/address-family.js';
import { resolveHost } from '../net/resolve-host.js';
import { type HitReport, runHits } from './hit-scheduler.js';
import type { Hit } from './sequence.js';
import { sendTcpHit } from './tcp-hit.js';
import { sendUdpHit } from './udp-hit.js';

export interface KnockRequest {
  readonly host: string;
  readonly hits: readonly Hit[];
  readonly delayMs?: number;
  readonly family?: AddressFamily;
  readonly udpPayload?: Uint8Array;
  readonly signal?: AbortSignal;
  /** Called as each hit leaves, so a UI can show progress through the sequence. */
  readonly onHit?: (report: HitReport & { readonly address: string }) => void;
  readonly clock?: Clock;
}

export interface KnockResult {
  readonly host: string;
  readonly address: string;
  readonly family: 4 | 6;
  readonly hits: readonly HitReport[];
  readonly startedAt: number;
  readonly durationMs: number;
}

/** Knocks a sequence on a host: resolves it once, then sends every hit to that one address. */
export async function knock(request: KnockRequest): Promise<KnockResult> {
  const clock = request.clock ?? systemClock;
  const startedAt = clock.now();
  const started = clock.monotonic();
  const target = await resolveHost(request.host, request.family ?? 'auto', request.signal);
  const hits = await runHits({
    hits: request.hits,
    delayMs: request.delayMs ?? 0,
    clock,
    signal: request.signal,
    send: (hit) =>
      hit.protocol === 'udp'
        ? sendUdpHit(target.address, hit.port, target.family, request.udpPayload)
        : sendTcpHit(target.address, hit.port, target.family),
    onHit: request.onHit && ((report) => request.onHit?.({ ...report, address: target.address })),
  });
  return {
    host: request.host,
    address: target.address,
    family: target.family,
    hits,
    startedAt,
    durationMs: clock.monotonic() - started,
  };
}
