import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { abortReason, throwIfAborted } from '../lib/clock.js';
import { type AddressFamily, familyNumber } from './address-family.js';
import { checkHost } from './host-name.js';

export interface ResolvedHost {
  /** The host as the person gave it. */
  readonly host: string;
  readonly address: string;
  readonly family: 4 | 6;
}

export class ResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResolveError';
  }
}

/**
 * Resolves a host once, to the first address of the wanted family. Callers pin the answer for a
 * whole knock: knock 0.8 looks the name up again for every hit, and a round-robin name can then
 * send half a sequence to one address and half to another.
 */
export async function resolveHost(
  host: string,
  family: AddressFamily = 'auto',
  signal?: AbortSignal,
): Promise<ResolvedHost> {
  const checked = checkHost(host);
  if (!checked.ok) throw new ResolveError(checked.message);
  const literal = isIP(checked.host);
  if (literal !== 0) {
    if (family === 'ipv4' && literal === 6) {
      throw new ResolveError(`"${host}" is an IPv6 address, but IPv4 only was asked for`);
    }
    if (family === 'ipv6' && literal === 4) {
      throw new ResolveError(`"${host}" is an IPv4 address, but IPv6 only was asked for`);
    }
    return { host, address: checked.host, family: literal === 6 ? 6 : 4 };
  }
  throwIfAborted(signal);
  const wanted = familyNumber(family);
  // dns.lookup cannot be cancelled; the race lets the caller stop waiting for it.
  const answer = await raceAbort(lookup(checked.host, { family: wanted, all: true }), signal).catch(
    (error: unknown) => {
      if (signal?.aborted) throw abortReason(signal);
      throw new ResolveError(resolveFailure(host, family, error));
    },
  );
  const first = answer[0];
  if (first === undefined || (first.family !== 4 && first.family !== 6)) {
    throw new ResolveError(resolveFailure(host, family, undefined));
  }
  return { host, address: first.address, family: first.family };
}

function resolveFailure(host: string, family: AddressFamily, error: unknown): string {
  const which =
    family === 'ipv4' ? ' to an IPv4 address' : family === 'ipv6' ? ' to an IPv6 address' : '';
  const code = (error as { code?: unknown } | undefined)?.code;
  const why = code === 'EAI_AGAIN' ? ' (no answer from DNS; check your connection)' : '';
  return `cannot resolve host "${host}"${which}${why}`;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
