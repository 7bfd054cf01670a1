import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  localAddressToward,
  parseIpv4Routes,
  parseIpv6Routes,
  readDefaultRoutes,
} from '../../../src/net/default-route.js';

const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
`;

const IPV6_ROUTE = `fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001       lo
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('default routes from /proc', () => {
  it('reads the IPv4 defaults: gateway, interface and metric', () => {
    expect(parseIpv4Routes(ROUTE)).toEqual([
      'default via 192.0.2.1 dev eth0 metric 0',
      'default via 192.168.1.1 dev wlan0 metric 600',
    ]);
  });

  it('reads the IPv6 default and leaves out the kernel’s unreachable one through lo', () => {
    expect(parseIpv6Routes(IPV6_ROUTE)).toEqual([
      'default6 via fd00:0:0:0:0:0:0:1 dev eth0 metric 1024',
    ]);
  });

  it('a route that is down, or a table with no default, gives nothing', () => {
    expect(parseIpv4Routes(ROUTE.replace(/0003/g, '0002'))).toEqual([]);
    expect(parseIpv4Routes('Iface\tDestination\n')).toEqual([]);
    expect(parseIpv6Routes('')).toEqual([]);
  });

  it('readDefaultRoutes reads both files under the given root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sesame-proc-'));
    dirs.push(root);
    mkdirSync(join(root, 'net'));
    writeFileSync(join(root, 'net', 'route'), ROUTE);
    writeFileSync(join(root, 'net', 'ipv6_route'), IPV6_ROUTE);
    expect(await readDefaultRoutes({ procRoot: root })).toBe(
      [...parseIpv4Routes(ROUTE), ...parseIpv6Routes(IPV6_ROUTE)].join('\n'),
    );
  });

  it('without /proc, falls back to the local address the kernel picks toward the targets', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sesame-noproc-'));
    dirs.push(root);
    const routes = await readDefaultRoutes({
      procRoot: root,
      probeTargets: { ipv4: '127.0.0.1', ipv6: '::1' },
    });
    expect(routes).toBe('via 127.0.0.1\nvia6 ::1');
  });

  it('the probe gives an empty address when there is no route', async () => {
    expect(await localAddressToward('not-an-address', 'udp4')).toBe('');
    expect(await localAddressToward('::1', 'udp4')).toBe('');
  });
});
