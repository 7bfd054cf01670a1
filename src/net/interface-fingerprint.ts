import type { NetworkInterfaceInfo } from 'node:os';

export type InterfaceMap = NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * A string that changes when the machine's interfaces or their addresses change: one line per
 * address, sorted, so that the order the OS lists them in does not count. Loopback is left out
 * (it never carries traffic to the internet); link-local addresses stay in, since they come and
 * go with a link going up or down. Cheap enough to compute every few seconds (a few microseconds
 * for a laptop's handful of addresses).
 */
export function interfaceFingerprint(interfaces: InterfaceMap): string {
  const lines: string[] = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    for (const info of addresses ?? []) {
      if (info.internal) continue;
      lines.push(`${name} ${info.cidr ?? `${info.address}/${info.netmask}`}`);
    }
  }
  return lines.sort().join('\n');
}
