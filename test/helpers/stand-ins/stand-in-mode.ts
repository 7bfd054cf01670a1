import { isIP } from 'node:net';

/**
 * What a stand-in provider does with the next request. `echo` is what the real services do
 * (answer the address the request came from); the others are the ways a provider goes wrong.
 */
export type StandInMode =
  | { readonly kind: 'echo' }
  | { readonly kind: 'fixed'; readonly address: string }
  | { readonly kind: 'garbage' }
  | { readonly kind: 'wrong-family' }
  | { readonly kind: 'private' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'dead' };

export const ECHO: StandInMode = { kind: 'echo' };

/** `echo`, `fixed:ADDRESS`, `garbage`, `wrong-family`, `private`, `slow[:MS]`, `dead`. */
export function parseMode(text: string): StandInMode {
  const [kind = '', ...rest] = text.trim().split(':');
  const argument = rest.join(':');
  switch (kind) {
    case 'echo':
    case 'garbage':
    case 'wrong-family':
    case 'private':
    case 'dead':
      if (argument === '') return { kind };
      break;
    case 'fixed':
      if (isIP(argument) !== 0) return { kind, address: argument };
      break;
    case 'slow': {
      const delayMs = argument === '' ? 60_000 : Number(argument);
      if (Number.isInteger(delayMs) && delayMs >= 0) return { kind, delayMs };
      break;
    }
  }
  throw new Error(
    `"${text}" is not a mode (echo, fixed:ADDRESS, garbage, wrong-family, private, slow[:MS], dead)`,
  );
}

export function formatMode(mode: StandInMode): string {
  if (mode.kind === 'fixed') return `fixed:${mode.address}`;
  if (mode.kind === 'slow') return `slow:${mode.delayMs}`;
  return mode.kind;
}

/** A request's source as the real services show it: `::ffff:10.0.0.1` is the IPv4 10.0.0.1. */
export function plainSource(address: string | undefined): string {
  const text = address ?? '';
  return /^::ffff:[\d.]+$/i.test(text) ? text.slice(7) : text;
}

/**
 * The address to answer to a request from `source` asked for family `version`, or undefined for
 * the modes that answer no address at all (garbage, dead).
 */
export function answerAddress(
  mode: StandInMode,
  source: string,
  version: 4 | 6,
): string | undefined {
  switch (mode.kind) {
    case 'echo':
    case 'slow':
      return source;
    case 'fixed':
      return mode.address;
    case 'wrong-family':
      return version === 4 ? '2001:db8::bad' : '192.0.2.66';
    case 'private':
      return version === 4 ? '10.11.12.13' : 'fd00::1313';
    case 'garbage':
    case 'dead':
      return undefined;
  }
}

/** Waits `ms` unless the stand-in is closed first; resolves false then. */
export function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve(true);
    }, ms);
    timers.add(timer);
  });
}

/**
 * What every stand-in does with a new mode: `dead` really stops it (the port refuses), and any
 * other mode after `dead` starts it again on the same port.
 */
export async function switchMode(
  holder: { mode: StandInMode },
  mode: StandInMode,
  stop: () => Promise<void>,
  restart: () => Promise<void>,
): Promise<void> {
  const wasDead = holder.mode.kind === 'dead';
  holder.mode = mode;
  if (mode.kind === 'dead' && !wasDead) await stop();
  if (mode.kind !== 'dead' && wasDead) await restart();
}

/** Ends the pending slow answers, then stops the stand-in. */
export async function closeStandIn(
  timers: Set<NodeJS.Timeout>,
  stop: () => Promise<void>,
): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  await stop();
}
