import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { interfaceFingerprint } from '../../../src/net/interface-fingerprint.js';

function info(address: string, cidr: string, internal = false): NetworkInterfaceInfo {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  return {
    address,
    cidr,
    family,
    internal,
    mac: '02:00:00:00:00:01',
    netmask: '255.255.255.0',
    ...(family === 'IPv6' && { scopeid: 0 }),
  } as NetworkInterfaceInfo;
}

describe('interfaceFingerprint', () => {
  const wifi = {
    lo: [info('127.0.0.1', '127.0.0.1/8', true)],
    wlan0: [info('192.168.1.20', '192.168.1.20/24'), info('fe80::1', 'fe80::1/64')],
  };

  it('lists the addresses that can reach the internet, not loopback', () => {
    expect(interfaceFingerprint(wifi)).toBe('wlan0 192.168.1.20/24\nwlan0 fe80::1/64');
  });

  it('does not change with the order the OS lists things in', () => {
    const shuffled = {
      wlan0: [info('fe80::1', 'fe80::1/64'), info('192.168.1.20', '192.168.1.20/24')],
      lo: wifi.lo,
    };
    expect(interfaceFingerprint(shuffled)).toBe(interfaceFingerprint(wifi));
  });

  it('changes when an address, a prefix or an interface changes', () => {
    const base = interfaceFingerprint(wifi);
    expect(
      interfaceFingerprint({ ...wifi, wlan0: [info('192.168.1.21', '192.168.1.21/24')] }),
    ).not.toBe(base);
    expect(
      interfaceFingerprint({ ...wifi, wlan0: [info('192.168.1.20', '192.168.1.20/16')] }),
    ).not.toBe(base);
    expect(interfaceFingerprint({ ...wifi, eth0: [info('10.0.0.2', '10.0.0.2/8')] })).not.toBe(
      base,
    );
    expect(interfaceFingerprint({ lo: wifi.lo })).toBe('');
  });
});
