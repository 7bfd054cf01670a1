import type { knock } from '../knock/knocker.js';
import type { sendSpa } from '../knock/spa/spa-sender.js';
import { parseSequence } from '../knock/sequence.js';
import { HitError } from '../knock/tcp-hit.js';
import type { Clock } from '../lib/clock.js';
import type { ProbeResult, waitForOpen } from '../probe/tcp-probe.js';
import type { ServerProfile } from '../servers/server-profile.js';
import type { ServerSecret } from '../servers/server-secret.js';
import { spaKeysOf } from '../servers/spa-secret-keys.js';
import { MAX_KNOCK_ATTEMPTS, retryDelayMs } from './retry-policy.js';

export interface DoorOpenerDeps {
  readonly clock: Clock;
  readonly knock: typeof knock;
  readonly sendSpa: typeof sendSpa;
  readonly waitForOpen: typeof waitForOpen;
}

export interface OpenDoorRequest {
  readonly server: ServerProfile;
  readonly secret: ServerSecret;
  /** Index of the next one-time sequence (for doors with one_time_sequences). */
  readonly oneTimeCursor: number;
  readonly signal: AbortSignal;
  readonly onProgress: (sent: number, total: number) => void;
  readonly onAttempt: (attempt: number) => void;
  /** The public IPv4 as the watcher knows it, for SPA doors that put it in the packet (-R). */
  readonly publicIpv4?: () => string | undefined;
}

export type DoorOutcome =
  | {
      readonly state: 'open';
      readonly address: string;
      readonly latencyMs: number;
      readonly usedOneTime: boolean;
    }
  | { readonly state: 'knocked'; readonly address: string }
  | { readonly state: 'closed'; readonly address: string | undefined; readonly reason: string };

/** A knock that could not be made at all (no such host, no network): the reason, in words. */
export class KnockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnockError';
  }
}

/**
 * Opens one server's door: knocks, checks the port, and when the door stays shut tries again
 * (after checking once more, and minding knockd's seq_timeout), up to MAX_KNOCK_ATTEMPTS times.
 */
export async function openDoor(
  request: OpenDoorRequest,
  deps: DoorOpenerDeps,
): Promise<DoorOutcome> {
  const { server, signal } = request;
  let last: DoorOutcome | undefined;
  let lastError: Error | undefined;
  // Whether the last try put any packet on the wire: if not (the name did not resolve, the
  // network was down), no attempt can be alive on the server, and seq_timeout need not pass.
  let sentAny = false;
  const counted: OpenDoorRequest = {
    ...request,
    onProgress: (sent, total) => {
      if (sent > 0) sentAny = true;
      request.onProgress(sent, total);
    },
  };
  for (let attempt = 1; attempt <= MAX_KNOCK_ATTEMPTS; attempt += 1) {
    if (attempt > 1) {
      request.onAttempt(attempt);
      await deps.clock.sleep(retryDelayMs(server.method, attempt, sentAny), signal);
      sentAny = false;
      // The door may have opened late: then there is nothing to knock for.
      if (last?.address !== undefined && server.checkPort !== undefined) {
        const late = await check(server, last.address, deps, signal);
        if (late.state === 'open')
          return {
            state: 'open',
            address: last.address,
            latencyMs: late.elapsedMs,
            usedOneTime: false,
          };
      }
    }
    try {
      last = await knockOnce(counted, deps);
      lastError = undefined;
      if (last.state !== 'closed') return last;
    } catch (error) {
      if (signal.aborted) throw error;
      lastError = error as Error;
      if (error instanceof KnockError && /one-time sequences are used up/.test(error.message))
        throw error;
    }
  }
  if (lastError) throw new KnockError(`${lastError.message} (tried ${MAX_KNOCK_ATTEMPTS} times)`);
  const closed = last as Extract<DoorOutcome, { state: 'closed' }>;
  return { ...closed, reason: `${closed.reason} after ${MAX_KNOCK_ATTEMPTS} knocks` };
}

async function knockOnce(request: OpenDoorRequest, deps: DoorOpenerDeps): Promise<DoorOutcome> {
  const { server, signal } = request;
  let address: string;
  try {
    address = await sendOne(request, deps);
  } catch (error) {
    if (signal.aborted) throw error;
    // Never the hit's port in a message that reaches the log or the UI: it is part of the secret.
    throw new KnockError(error instanceof HitError ? error.withoutPort : (error as Error).message);
  }
  if (server.checkPort === undefined) return { state: 'knocked', address };
  const probe = await check(server, address, deps, signal);
  if (probe.state === 'open') {
    const usedOneTime = server.method.kind === 'knock' && server.method.oneTime;
    return { state: 'open', address, latencyMs: probe.elapsedMs, usedOneTime };
  }
  return { state: 'closed', address, reason: describeClosed(probe, server.checkTimeoutMs) };
}

/** Sends the knock sequence or the SPA packet; resolves with the address it went to. */
async function sendOne(request: OpenDoorRequest, deps: DoorOpenerDeps): Promise<string> {
  const { server, secret, signal } = request;
  const { method } = server;
  if (method.kind === 'spa' && secret.kind === 'spa') {
    const { kind, ...options } = method;
    request.onProgress(0, 1);
    const result = await deps.sendSpa({
      host: server.host,
      family: server.family,
      keys: spaKeysOf(secret, method),
      options,
      signal,
      clock: deps.clock,
      resolveAllowIp: () => {
        const ip = request.publicIpv4?.();
        if (ip === undefined)
          return Promise.reject(
            new KnockError('the public IPv4 is not known yet, and this door asks for it (-R)'),
          );
        return Promise.resolve(ip);
      },
    });
    request.onProgress(1, 1);
    return result.address;
  }
  if (method.kind !== 'knock' || secret.kind !== 'knock') {
    throw new KnockError(
      'the stored secret is for another method: enter the sequence or keys again',
    );
  }
  const sequence = method.oneTime
    ? nextOneTime(secret.oneTimeSequences ?? [], request.oneTimeCursor)
    : secret.sequence;
  if (sequence === undefined) throw new KnockError('no knock sequence is stored for this server');
  const result = await deps.knock({
    host: server.host,
    hits: parseSequence(sequence),
    delayMs: method.delayMs,
    family: server.family,
    signal,
    clock: deps.clock,
    onHit: (hit) => request.onProgress(hit.index + 1, hit.total),
  });
  return result.address;
}

function nextOneTime(list: readonly string[], cursor: number): string {
  const sequence = list[cursor];
  if (sequence === undefined) {
    throw new KnockError(
      `all ${list.length} one-time sequences are used up: load the next list from the server`,
    );
  }
  return sequence;
}

function check(
  server: ServerProfile,
  address: string,
  deps: DoorOpenerDeps,
  signal: AbortSignal,
): Promise<ProbeResult> {
  return deps.waitForOpen(address, server.checkPort ?? 0, {
    timeoutMs: server.checkTimeoutMs,
    signal,
    clock: deps.clock,
  });
}

function describeClosed(probe: ProbeResult, timeoutMs: number): string {
  switch (probe.state) {
    case 'closed':
      return `port ${probe.port} refused the connection`;
    case 'unreachable':
      return `${probe.address} is unreachable (${probe.code ?? 'no route'})`;
    default:
      return `port ${probe.port} did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
  }
}
