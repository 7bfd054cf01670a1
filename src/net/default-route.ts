import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';

/**
 * Which way traffic to the internet leaves the machine, as a string that changes when that way
 * changes (another gateway, another interface): a switch from Wi-Fi to a cable can keep every
 * address and still change the public IP.
 *
 * On Linux the kernel's routing tables are read from /proc (two small files, no process spawned),
 * synchronously: a /proc file is made in memory on read and never waits on a disk, and reading it
 * at once costs a tenth of the CPU of the promise API's open, stat, read and close round trips
 * through the thread pool (measured: 22 µs against 208 µs, see docs/benchmarks.md).
 * Elsewhere, a UDP socket is connected toward an address on the internet and the local address
 * the kernel picks for it is read back: connecting a UDP socket only looks up the route, it sends
 * no packet. The default targets are documentation addresses (RFC 5737, RFC 3849), routed like
 * any other internet address but owned by nobody.
 */
export interface DefaultRouteOptions {
  readonly procRoot?: string;
  readonly probeTargets?: { readonly ipv4: string; readonly ipv6: string };
}

const DEFAULT_PROBE_TARGETS = { ipv4: '192.0.2.1', ipv6: '2001:db8::1' };
// RTF_UP, RTF_GATEWAY, RTF_REJECT from linux/route.h.
const RTF_UP = 0x0001;
const RTF_REJECT = 0x0200;

export async function readDefaultRoutes(options: DefaultRouteOptions = {}): Promise<string> {
  const root = options.procRoot ?? '/proc';
  const v4 = readIfThere(`${root}/net/route`);
  const v6 = readIfThere(`${root}/net/ipv6_route`);
  if (v4 === undefined && v6 === undefined) {
    return probeRoutes(options.probeTargets ?? DEFAULT_PROBE_TARGETS);
  }
  return [...parseIpv4Routes(v4 ?? ''), ...parseIpv6Routes(v6 ?? '')].join('\n');
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Default routes in /proc/net/route: `Iface Destination Gateway Flags RefCnt Use Metric Mask …`,
 * addresses as little-endian hex. Returns `default via 192.168.1.1 dev wlan0 metric 600`.
 */
export function parseIpv4Routes(text: string): string[] {
  const routes: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [iface, destination, gateway, flags, , , metric, mask] = line.trim().split(/\s+/);
    if (iface === undefined || gateway === undefined || flags === undefined) continue;
    if (destination !== '00000000' || mask !== '00000000') continue;
    if ((parseInt(flags, 16) & RTF_UP) === 0) continue;
    routes.push(`default via ${hexIpv4(gateway)} dev ${iface} metric ${metric ?? '0'}`);
  }
  return routes.sort();
}

/**
 * Default routes in /proc/net/ipv6_route: `dest destlen src srclen nexthop metric refcnt use
 * flags iface`, hex. The kernel lists an unreachable default through `lo` with RTF_REJECT when
 * there is no IPv6; that one is not a way out.
 */
export function parseIpv6Routes(text: string): string[] {
  const routes: string[] = [];
  for (const line of text.split('\n')) {
    const [destination, length, , , nextHop, metric, , , flags, iface] = line.trim().split(/\s+/);
    if (iface === undefined || flags === undefined || nextHop === undefined) continue;
    if (!/^0{32}$/.test(destination ?? '') || length !== '00') continue;
    const bits = parseInt(flags, 16);
    if ((bits & RTF_UP) === 0 || (bits & RTF_REJECT) !== 0 || iface === 'lo') continue;
    routes.push(
      `default6 via ${hexIpv6(nextHop)} dev ${iface} metric ${parseInt(metric ?? '0', 16)}`,
    );
  }
  return routes.sort();
}

function hexIpv4(hex: string): string {
  const value = parseInt(hex, 16);
  return [0, 8, 16, 24].map((shift) => (value >>> shift) & 0xff).join('.');
}

function hexIpv6(hex: string): string {
  return (hex.match(/.{4}/g) ?? []).map((group) => parseInt(group, 16).toString(16)).join(':');
}

/** The local address the kernel would use toward each target; empty for a family with no route. */
async function probeRoutes(targets: { ipv4: string; ipv6: string }): Promise<string> {
  const [v4, v6] = await Promise.all([
    localAddressToward(targets.ipv4, 'udp4'),
    localAddressToward(targets.ipv6, 'udp6'),
  ]);
  return [`via ${v4}`, `via6 ${v6}`].join('\n');
}

export function localAddressToward(target: string, type: 'udp4' | 'udp6'): Promise<string> {
  return new Promise((resolve) => {
    const socket = createSocket(type);
    const done = (address: string): void => {
      socket.close();
      // A socket that could not connect reports the unspecified address it is bound to.
      resolve(address === '0.0.0.0' || address === '::' ? '' : address);
    };
    socket.once('error', () => done(''));
    // The port is never used: nothing is sent.
    socket.connect(9, target, () => done(socket.address().address));
  });
}
