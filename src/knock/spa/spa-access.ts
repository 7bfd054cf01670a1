import { isIP } from 'node:net';
import { SpaError } from './spa-error.js';

/**
 * What an SPA access request asks fwknopd to open, in fwknop's own syntax: `tcp/22,udp/53`
 * (`-A, --access` and `ACCESS` in ~/.fwknoprc).
 */
export const ACCESS_PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;
export type AccessProtocol = (typeof ACCESS_PROTOCOLS)[number];

export interface AccessPort {
  readonly protocol: AccessProtocol;
  readonly port: number;
}

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
  return { protocol: protocol as AccessProtocol, port };
}

export function formatAccessList(ports: readonly AccessPort[]): string {
  return ports.map(({ protocol, port }) => `${protocol}/${port}`).join(',');
}

/** fwknop's ALLOW_IP is an IPv4 address: fwknopd reads only IPv4 in the access message. */
export function isIpv4(text: string): boolean {
  return isIP(text) === 4;
}

/**
 * A NAT destination as fwknop writes it: `host,port` (`-N 192.168.10.2:22` is accepted too and
 * turned into a comma). libfko refuses spaces, `/`, `?`, quotes and backslashes in the host.
 */
export function checkNatHost(host: string): void {
  if (host === '' || host.length > 253) {
    throw new SpaError(`"${host}" is not a NAT destination host (an IPv4 address or a name)`);
  }
  const hostname =
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (!isIpv4(host) && (!hostname.test(host) || /^[\d.]+$/.test(host))) {
    throw new SpaError(`"${host}" is not a NAT destination host (an IPv4 address or a name)`);
  }
}
