import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonPublicScope } from '../../../../src/net/public-ip/address-scope.js';
import { extractAddress, validateAddress } from '../../../../src/net/public-ip/answer.js';

describe('extractAddress', () => {
  it.each([
    ['text', '203.0.113.7\n', '203.0.113.7'],
    ['text', '  2001:db8::7\r\n', '2001:db8::7'],
    ['trace', 'fl=1\nh=cloudflare.com\nip=2001:db8::7\nts=1.2\n', '2001:db8::7'],
    ['trace', 'fl=1\r\nip=203.0.113.7\r\nloc=NL\r\n', '203.0.113.7'],
    ['json', '{"ip":"203.0.113.7","country":"NL"}', '203.0.113.7'],
  ] as const)('%s %j', (format, body, address) => {
    expect(extractAddress(format, body)).toBe(address);
  });

  it.each([
    ['trace', 'fl=1\nh=x\n', 'no "ip=" line in the answer'],
    ['json', '<html>', 'not JSON: "<html>"'],
    ['json', '{"address":"1.2.3.4"}', 'no "ip" string in the JSON answer'],
    ['json', 'null', 'no "ip" string in the JSON answer'],
    ['json', '{"ip":7}', 'no "ip" string in the JSON answer'],
  ] as const)('%s %j fails: %s', (format, body, message) => {
    expect(() => extractAddress(format, body)).toThrow(message);
  });
});

describe('validateAddress', () => {
  it('returns IPv6 in canonical form, so the same address always compares equal', () => {
    expect(validateAddress('2A02:1388:0:0:0:0:0:0001', 6, false)).toBe('2a02:1388::1');
  });

  it.each([
    ['81.2.69.142', 6, 'answered an IPv4 address (81.2.69.142) when asked for IPv6'],
    ['::ffff:81.2.69.142', 6, 'answered an IPv4 address (::ffff:81.2.69.142) when asked for IPv6'],
    ['2a02:1388::1', 4, 'answered an IPv6 address (2a02:1388::1) when asked for IPv4'],
    ['fe80::1%eth0', 6, 'not an address: "fe80::1%eth0"'],
    ['81.2.69.142 81.2.69.143', 4, 'not an address: "81.2.69.142 81.2.69.143"'],
    ['', 4, 'not an address: ""'],
    ['10.1.2.3', 4, 'answered a private address (10.1.2.3), not a public one'],
    ['100.64.1.1', 4, 'answered a carrier-grade NAT address (100.64.1.1), not a public one'],
    ['fd00::1', 6, 'answered a unique local (private) address (fd00::1), not a public one'],
    ['fe80::1', 6, 'answered a link-local address (fe80::1), not a public one'],
  ] as const)('%j as IPv%s: %s', (text, version, message) => {
    expect(() => validateAddress(text, version, false)).toThrow(message);
  });

  it('accepts non-public addresses when told to (labs and tests)', () => {
    expect(validateAddress('10.200.0.1', 4, true)).toBe('10.200.0.1');
    expect(validateAddress('::1', 6, true)).toBe('::1');
  });

  it('keeps every IPv4 address as it is, and canonical IPv6 stays canonical', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(validateAddress(address, 4, true)).toBe(address);
      }),
    );
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        let once: string;
        try {
          once = validateAddress(address, 6, true);
        } catch (error) {
          // ::ffff:a.b.c.d is IPv4, refused for IPv6 on purpose.
          expect(error).toMatchObject({ kind: 'wrong-family' });
          return;
        }
        expect(validateAddress(once, 6, true)).toBe(once);
        expect(once).toBe(once.toLowerCase());
      }),
    );
  });
});

describe('nonPublicScope', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['169.254.10.1', 'a link-local address'],
    ['172.31.255.255', 'a private address'],
    ['192.168.1.1', 'a private address'],
    ['224.0.0.1', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    ['::', 'an unspecified address'],
    ['2001:db8::1', 'a documentation address'],
    ['ff02::1', 'a multicast address'],
    ['172.32.0.1', undefined],
    ['81.2.69.142', undefined],
    ['2a02:1388::1', undefined],
  ])('%s: %s', (address, scope) => {
    expect(nonPublicScope(address)).toBe(scope);
  });
});
