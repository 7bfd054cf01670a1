import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipVersion } from '../../../src/net/ip-address.js';

describe('ipVersion agrees with Node', () => {
  it.each([
    '0.0.0.0',
    '203.0.113.7',
    '255.255.255.255',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    '::',
    '::1',
    '2001:db8::1',
    '2001:db8:0:0:0:0:0:1',
    '2001:db8::0:0:0:0:0:1',
    '1:2:3:4:5:6:7:8',
    '1:2:3:4:5:6:7:8:9',
    '::ffff:192.0.2.1',
    '::ffff:192.0.2.256',
    'fe80::1%eth0',
    '1::2::3',
    'g::1',
    '12345::',
    '',
    'localhost',
  ])('%j', (text) => {
    expect(ipVersion(text)).toBe(isIP(text));
  });

  it('on every IPv4 and IPv6 address fast-check makes, and on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string()), (text) => {
        expect(ipVersion(text)).toBe(isIP(text));
      }),
      { numRuns: 2000 },
    );
  });
});
