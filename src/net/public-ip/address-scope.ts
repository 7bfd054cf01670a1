import { BlockList, isIP } from 'node:net';

/**
 * Address ranges that are never a machine's public address as seen from the internet. An echo
 * service that answers one is wrong (a proxy, a captive portal, a misconfigured company service),
 * and knocking for it would open a door for nobody. Labs and tests use such addresses as stand-ins
 * on purpose, so the resolver accepts them only when told to.
 */
const RANGES: readonly (readonly [network: string, prefix: number, what: string])[] = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
  ['::', 128, 'an unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['::ffff:0:0', 96, 'an IPv4-mapped address'],
  ['100::', 64, 'a discard-only address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['fc00::', 7, 'a unique local (private) address'],
  ['fe80::', 10, 'a link-local address'],
  ['ff00::', 8, 'a multicast address'],
];

const lists = RANGES.map(([network, prefix, what]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return { list, what, family: isIP(network) === 6 ? ('ipv6' as const) : ('ipv4' as const) };
});

/** Why an address is not public (`a private address`), or undefined when it is public. */
export function nonPublicScope(address: string): string | undefined {
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 6 ? 'ipv6' : 'ipv4';
  return lists.find((entry) => entry.family === family && entry.list.check(address, family))?.what;
}
