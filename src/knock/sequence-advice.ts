import { type Hit, MAX_HITS, type Protocol } from './sequence.js';

/**
 * Advice on a knock sequence, and strong random sequences. Plain TypeScript with no Node module,
 * so the window's forms use the same rules as the `sesame` command.
 *
 * The advice follows the article Sesame started from ("avoid the classic chains of port scanners
 * such as 20, 80, 443"; TCP rather than UDP, which is easy to spoof) and how knockd matches hits:
 * knockd only ever sees packets to ports that appear in some door's sequence, so a sequence is
 * guessed when ordinary traffic or a scanner happens to send those ports in that order.
 */

export type AdviceCode =
  | 'too-short'
  | 'repeated-port'
  | 'step-ports'
  | 'well-known-port'
  | 'common-port'
  | 'scanner-order'
  | 'udp-hit';

export interface SequenceAdvice {
  readonly code: AdviceCode;
  readonly message: string;
}

/** Fewer hits than this are easy to stumble on. */
export const MIN_ADVISED_HITS = 3;

/** The first port that is not "well known" (below it, services and scanners are everywhere). */
export const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * Ports of 1024 and above that common services listen on, which scanners try first and ordinary
 * traffic reaches: a knock there is noise in someone else's logs and easy to trip by accident.
 */
export const COMMON_SERVICE_PORTS: Readonly<Record<number, string>> = {
  1080: 'SOCKS',
  1194: 'OpenVPN',
  1433: 'SQL Server',
  1521: 'Oracle',
  1723: 'PPTP',
  1883: 'MQTT',
  2049: 'NFS',
  2222: 'SSH (alternative)',
  2375: 'Docker',
  2376: 'Docker',
  3000: 'web development servers',
  3128: 'Squid',
  3306: 'MySQL',
  3389: 'RDP',
  4443: 'HTTPS (alternative)',
  5000: 'web development servers',
  5060: 'SIP',
  5222: 'XMPP',
  5432: 'PostgreSQL',
  5555: 'Android debugging',
  5672: 'AMQP',
  5900: 'VNC',
  5901: 'VNC',
  6379: 'Redis',
  6443: 'Kubernetes',
  6667: 'IRC',
  7000: 'knockd examples',
  8000: 'HTTP (alternative)',
  8008: 'HTTP (alternative)',
  8080: 'HTTP (alternative)',
  8081: 'HTTP (alternative)',
  8443: 'HTTPS (alternative)',
  8888: 'HTTP (alternative)',
  9000: 'knockd examples',
  9090: 'web consoles',
  9100: 'printers',
  9200: 'Elasticsearch',
  9418: 'git',
  10000: 'Webmin',
  11211: 'Memcached',
  25565: 'Minecraft',
  27017: 'MongoDB',
  51820: 'WireGuard',
  62201: 'fwknop SPA',
};

/** What is weak about a sequence, each with a sentence that says why; empty when nothing is. */
export function adviseSequence(hits: readonly Hit[]): SequenceAdvice[] {
  const advice: SequenceAdvice[] = [];
  const add = (code: AdviceCode, message: string): void => void advice.push({ code, message });
  if (hits.length < MIN_ADVISED_HITS) {
    add(
      'too-short',
      `${hits.length === 1 ? 'one hit is' : `${hits.length} hits are`} easy to stumble on: use at least ${MIN_ADVISED_HITS}, better 4 or more`,
    );
  }
  const ports = hits.map((hit) => hit.port);
  const repeated = [...new Set(ports.filter((port, i) => ports.indexOf(port) !== i))];
  if (repeated.length > 0) {
    add(
      'repeated-port',
      `port ${repeated.join(', ')} comes more than once: a resent packet can then count as the next hit, and repeats are easier to guess`,
    );
  }
  const steps = ports.slice(1).map((port, i) => port - (ports[i] ?? 0));
  if (
    ports.length >= 2 &&
    steps.every((step) => step === steps[0]) &&
    Math.abs(steps[0] ?? 0) <= 1000 &&
    steps[0] !== 0
  ) {
    add(
      'step-ports',
      `the ports go in equal steps of ${Math.abs(steps[0] ?? 0)}: a sweep over a port range sends exactly that`,
    );
  }
  const wellKnown = [...new Set(ports.filter((port) => port < FIRST_UNPRIVILEGED_PORT))];
  if (wellKnown.length > 0) {
    add(
      'well-known-port',
      `port ${wellKnown.join(', ')} ${wellKnown.length === 1 ? 'is a well-known port' : 'are well-known ports'} (below ${FIRST_UNPRIVILEGED_PORT}): scanners and ordinary traffic reach ${wellKnown.length === 1 ? 'it' : 'them'} all the time`,
    );
  }
  const common = [...new Set(ports.filter((port) => COMMON_SERVICE_PORTS[port] !== undefined))];
  if (common.length > 0) {
    const named = common.map((port) => `${port} (${COMMON_SERVICE_PORTS[port] ?? ''})`);
    add(
      'common-port',
      `port ${named.join(', ')} ${common.length === 1 ? 'is a common service port' : 'are common service ports'}: scanners try ${common.length === 1 ? 'it' : 'them'} first`,
    );
  }
  if (ports.length >= 3 && steps.every((step) => step > 0)) {
    add(
      'scanner-order',
      'the ports only go up, the order in which a port scanner sends them (like "20, 80, 443"): mix them',
    );
  }
  const udp = [...new Set(hits.filter((hit) => hit.protocol === 'udp').map((hit) => hit.port))];
  if (udp.length > 0) {
    add(
      'udp-hit',
      `UDP hit${udp.length === 1 ? '' : 's'} on ${udp.join(', ')}: UDP is easy to spoof and a lost datagram is never resent; TCP is safer`,
    );
  }
  return advice;
}

export interface GenerateOptions {
  /** How many hits (default 4). */
  readonly length?: number;
  /** The protocol of every hit (default TCP, as the article advises). */
  readonly protocol?: Protocol;
  /** Fills an array with random values; crypto.getRandomValues by default (Node 20 and browsers). */
  readonly random?: (values: Uint32Array) => Uint32Array;
}

export const DEFAULT_GENERATED_HITS = 4;
const LOWEST = 10_000;
const HIGHEST = 65_000;
/** Adjacent hits at least this far apart, so no two look like part of one sweep. */
const MIN_GAP = 1000;

const systemRandom = (values: Uint32Array): Uint32Array =>
  globalThis.crypto.getRandomValues(values);

/**
 * A strong random sequence: distinct ports from 10000 to 65000, none a common service port, no
 * two adjacent hits closer than 1000, and never only going up or only going down. Four hits
 * leave about 63 bits to guess.
 */
export function generateSequence(options: GenerateOptions = {}): Hit[] {
  const length = options.length ?? DEFAULT_GENERATED_HITS;
  if (!Number.isInteger(length) || length < MIN_ADVISED_HITS || length > MAX_HITS) {
    throw new RangeError(`a generated sequence has ${MIN_ADVISED_HITS} to ${MAX_HITS} hits`);
  }
  const protocol = options.protocol ?? 'tcp';
  const random = options.random ?? systemRandom;
  const draw = randomBelow(random);
  for (;;) {
    const ports: number[] = [];
    while (ports.length < length) {
      const port = LOWEST + draw(HIGHEST - LOWEST + 1);
      const previous = ports[ports.length - 1];
      if (COMMON_SERVICE_PORTS[port] !== undefined || ports.includes(port)) continue;
      if (previous !== undefined && Math.abs(port - previous) < MIN_GAP) continue;
      ports.push(port);
    }
    const hits = ports.map((port) => ({ port, protocol }));
    const monotonic = isMonotonic(ports);
    const problems = adviseSequence(hits).filter((advice) => advice.code !== 'udp-hit');
    if (!monotonic && problems.length === 0) return hits;
  }
}

function isMonotonic(ports: readonly number[]): boolean {
  const steps = ports.slice(1).map((port, i) => port - (ports[i] ?? 0));
  return steps.every((step) => step > 0) || steps.every((step) => step < 0);
}

/** A uniform whole number below `bound`, without the bias of a plain modulo. */
function randomBelow(random: (values: Uint32Array) => Uint32Array): (bound: number) => number {
  const buffer = new Uint32Array(1);
  return (bound) => {
    const limit = Math.floor(0x1_0000_0000 / bound) * bound;
    for (;;) {
      const value = random(buffer)[0] ?? 0;
      if (value < limit) return value % bound;
    }
  };
}
