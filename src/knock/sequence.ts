/**
 * Knock sequences in knockd's own syntax: `7000,8000:udp,9000`.
 *
 * knockd reads `Sequence = port[:tcp|udp],...` with TCP as the default and at most 32 hits
 * (SEQ_MAX in knockd.c). Sesame accepts exactly that, and is stricter than knockd in one place:
 * an unknown protocol name is refused instead of being taken as TCP, because a typo in a
 * sequence would otherwise knock on the wrong door without a word.
 */

export type Protocol = 'tcp' | 'udp';

export interface Hit {
  readonly port: number;
  readonly protocol: Protocol;
}

/** knockd's SEQ_MAX: a door's sequence holds at most this many hits. */
export const MAX_HITS = 32;
/** The longest wait between hits Sesame accepts; knockd's default seq_timeout is 25 s. */
export const MAX_DELAY_MS = 60_000;

export class SequenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SequenceError';
  }
}

const DIGITS = /^\d+$/;

/** Parses a port number, `"70000" is not a port (1-65535)` otherwise. */
export function parsePort(text: string): number {
  const trimmed = text.trim();
  const port = DIGITS.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SequenceError(`"${text}" is not a port (1-65535)`);
  }
  return port;
}

export function parseProtocol(text: string): Protocol {
  const name = text.trim().toLowerCase();
  if (name === 'tcp' || name === 'udp') return name;
  throw new SequenceError(`"${text}" is not a protocol (tcp or udp)`);
}

/** One hit, `8000` or `8000:udp`; `defaultProtocol` applies when none is written. */
export function parseHit(text: string, defaultProtocol: Protocol = 'tcp'): Hit {
  const trimmed = text.trim();
  if (trimmed === '') throw new SequenceError('a hit is empty (two commas in a row?)');
  const colon = trimmed.indexOf(':');
  if (colon === -1) return { port: parsePort(trimmed), protocol: defaultProtocol };
  return {
    port: parsePort(trimmed.slice(0, colon)),
    protocol: parseProtocol(trimmed.slice(colon + 1)),
  };
}

/**
 * Parses a whole sequence. Hits are separated by commas (knockd.conf) or whitespace (the
 * command line: `knock host 7000 8000:udp 9000`); both may be mixed.
 */
export function parseSequence(text: string, defaultProtocol: Protocol = 'tcp'): Hit[] {
  if (text.trim() === '') throw new SequenceError('the sequence is empty: give at least one port');
  const parts = text
    .trim()
    .split(/\s*,\s*|\s+/)
    .map((part) => part.trim());
  return checkLength(parts.map((part) => parseHit(part, defaultProtocol)));
}

/** Parses command-line words, each of which may itself be a comma-separated list. */
export function parseSequenceWords(
  words: readonly string[],
  defaultProtocol: Protocol = 'tcp',
): Hit[] {
  if (words.length === 0) throw new SequenceError('the sequence is empty: give at least one port');
  return checkLength(words.flatMap((word) => parseSequence(word, defaultProtocol)));
}

function checkLength(hits: Hit[]): Hit[] {
  if (hits.length > MAX_HITS) {
    throw new SequenceError(
      `a sequence has at most ${MAX_HITS} hits (knockd's limit); this one has ${hits.length}`,
    );
  }
  return hits;
}

/** Prints a sequence the way knockd.conf writes it; TCP is the default and is left out. */
export function formatSequence(hits: readonly Hit[]): string {
  return hits.map(formatHit).join(',');
}

export function formatHit(hit: Hit): string {
  return hit.protocol === 'tcp' ? String(hit.port) : `${hit.port}:${hit.protocol}`;
}

/** Parses the wait between hits in milliseconds (`-d` of knock). */
export function parseDelay(text: string): number {
  const trimmed = text.trim();
  const delay = DIGITS.test(trimmed) ? Number(trimmed) : NaN;
  if (!Number.isInteger(delay) || delay > MAX_DELAY_MS) {
    throw new SequenceError(`"${text}" is not a delay in milliseconds (0-${MAX_DELAY_MS})`);
  }
  return delay;
}
