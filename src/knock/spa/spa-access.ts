import { SpaError } from './spa-error.js';
import { ACCESS_PROTOCOLS, type AccessPort, natHostProblem } from './spa-vocabulary.js';

export {
  ACCESS_PROTOCOLS,
  type AccessPort,
  type AccessProtocol,
  isIpv4,
} from './spa-vocabulary.js';

/**
 * What an SPA access request asks fwknopd to open, in fwknop's own syntax: `tcp/22,udp/53`
 * (`-A, --access` and `ACCESS` in ~/.fwknoprc).
 */
/**
 * Parses `tcp/22,udp/53`. Stricter than libfko, which takes any text that starts with a known
 * protocol name: a typo here would ask for a door the server never opens, without a word.
 */
export function parseAccessList(text: string): AccessPort[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new SpaError('the access list is empty: give proto/port, e.g. tcp/22');
  return trimmed.split(',').map((part) => parseAccessPort(part));
}

export function parseAccessPort(text: string): AccessPort {
  const match = /^([a-z]+)\/(\d{1,5})$/i.exec(text.trim());
  if (!match) {
    throw new SpaError(`"${text.trim()}" is not proto/port (e.g. tcp/22, udp/53)`);
  }
  const protocol = (match[1] ?? '').toLowerCase();
  if (!(ACCESS_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new SpaError(`"${text.trim()}": the protocol must be tcp, udp or icmp`);
  }
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new SpaError(`"${text.trim()}": the port must be 1-65535`);
  return { protocol: protocol as AccessPort['protocol'], port };
}

export function formatAccessList(ports: readonly AccessPort[]): string {
  return ports.map(({ protocol, port }) => `${protocol}/${port}`).join(',');
}

/** A NAT destination (`-N`, NAT_ACCESS): an IPv4 address or a host name, or a SpaError. */
export function checkNatHost(host: string): void {
  const problem = natHostProblem(host);
  if (problem !== undefined) throw new SpaError(problem);
}
