import type { Hit } from '../../../../src/knock/sequence.js';

/**
 * Advice on a knock sequence, from the article Sesame started from: choose sequences nobody else
 * sends by chance, avoid what port scanners send ("20, 80, 443"), and knock over TCP, since UDP
 * can be spoofed. A sequence with advice is still allowed: knockd takes it.
 */

export type AdviceKind = 'short' | 'repeated' | 'sequential' | 'well-known' | 'scanner' | 'udp';

export interface Advice {
  readonly kind: AdviceKind;
  readonly message: string;
}

/** Fewer hits than this is easy to hit by chance. */
export const MIN_GOOD_HITS = 3;
/** Ports scanners and worms probe first; a sequence made of them opens for a sweep. */
export const SCANNED_PORTS: ReadonlySet<number> = new Set([
  20, 21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1723, 3306, 3389,
  5432, 5900, 6379, 8000, 8008, 8080, 8443, 8888, 9200,
]);

export function adviseSequence(hits: readonly Hit[]): Advice[] {
  if (hits.length === 0) return [];
  const advice: Advice[] = [];
  const ports = hits.map((hit) => hit.port);
  if (hits.length < MIN_GOOD_HITS) {
    advice.push({
      kind: 'short',
      message: `Only ${hits.length} ${hits.length === 1 ? 'hit' : 'hits'}: use at least ${MIN_GOOD_HITS}, better 4 or more, so nobody opens the door by chance.`,
    });
  }
  const repeated = [...new Set(ports.filter((port, i) => ports.indexOf(port) !== i))];
  if (repeated.length > 0) {
    advice.push({
      kind: 'repeated',
      message: `Port ${repeated.join(', ')} comes more than once: every hit on a different port makes a sequence harder to guess.`,
    });
  }
  if (isSequential(ports)) {
    advice.push({
      kind: 'sequential',
      message:
        'The ports follow each other in steps (like 7000, 7001 or 11000, 12000, 13000): a scan or a guess runs through exactly such series. Mix them up.',
    });
  }
  const wellKnown = ports.filter((port) => port < 1024);
  if (wellKnown.length > 0) {
    advice.push({
      kind: 'well-known',
      message: `Well-known port${wellKnown.length > 1 ? 's' : ''} ${[...new Set(wellKnown)].join(', ')}: traffic hits these all day. Use ports above 1024.`,
    });
  }
  const scanned = ports.filter((port) => SCANNED_PORTS.has(port));
  if (scanned.length >= 2 || (scanned.length === 1 && hits.length <= 2)) {
    advice.push({
      kind: 'scanner',
      message:
        'This looks like what port scanners send (avoid sequences such as "20, 80, 443"): choose ports no service uses.',
    });
  }
  if (hits.some((hit) => hit.protocol === 'udp')) {
    advice.push({
      kind: 'udp',
      message:
        'UDP hits can be spoofed by someone else on the path; knock over TCP where the server allows it.',
    });
  }
  return advice;
}

/** Neighbouring ports anywhere, or the whole sequence evenly spaced. */
function isSequential(ports: readonly number[]): boolean {
  const steps = ports.slice(1).map((port, i) => port - (ports[i] ?? port));
  if (steps.some((step) => Math.abs(step) === 1)) return true;
  const first = steps[0];
  return ports.length >= 3 && first !== undefined && first !== 0 && steps.every((s) => s === first);
}

/**
 * A strong random sequence: `length` TCP hits on distinct ports between 1024 and 65535, none a
 * scanner's favourite, in no order a scan would follow. Uses the browser's crypto.
 */
export function generateSequence(
  length = 5,
  random: (max: number) => number = cryptoRandom,
): Hit[] {
  for (;;) {
    const hits: Hit[] = [];
    while (hits.length < length) {
      const port = 1024 + random(65536 - 1024);
      if (!SCANNED_PORTS.has(port) && !hits.some((hit) => hit.port === port))
        hits.push({ port, protocol: 'tcp' });
    }
    if (adviseSequence(hits).length === 0) return hits;
  }
}

function cryptoRandom(max: number): number {
  // Rejection sampling keeps every value equally likely.
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0] ?? 0;
    if (value < limit) return value % max;
  }
}
