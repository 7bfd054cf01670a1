import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHost } from '../../../src/net/host-name.js';
import { resolveHost } from '../../../src/net/resolve-host.js';

describe('checkHost', () => {
  it.each([
    ['server.example.com', 'server.example.com'],
    ['server.example.com.', 'server.example.com'],
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8::1', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['  localhost ', 'localhost'],
    ['my_host-1', 'my_host-1'],
  ])('accepts %j', (text, host) => {
    expect(checkHost(text)).toEqual({ ok: true, host });
  });

  it.each([
    ['', 'the host is empty: give a name or an address'],
    [
      '-oProxyCommand=x',
      '"-oProxyCommand=x" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
    ],
    [
      'a b',
      '"a b" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
    ],
    [
      'host;rm -rf',
      '"host;rm -rf" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
    ],
    [
      '$(id)',
      '"$(id)" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
    ],
    [
      'a..b',
      '"a..b" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
    ],
    ['999.1.1.1', '"999.1.1.1" is not a valid IPv4 address'],
    [
      'x'.repeat(254),
      `"${'x'.repeat(61)}..." is too long for a host name (253 characters at most)`,
    ],
  ])('refuses %j', (text, message) => {
    expect(checkHost(text)).toEqual({ ok: false, message });
  });
  it('answers any text with a host that cannot pass for an option or a shell word, or a reason', () => {
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('-oProxyCommand=x', '$(id)', '`id`', 'a;b', 'a|b', 'a\nb', '[::1', '::1]'),
      fc.string({ maxLength: 300 }).map((text) => `${text}.example.com`),
    );
    fc.assert(
      fc.property(hostile, (text) => {
        const answer = checkHost(text);
        if (!answer.ok) {
          expect(answer.message.length).toBeGreaterThan(0);
          expect(answer.message).not.toMatch(/\p{Cc}/u);
          return;
        }
        expect(answer.host).toMatch(/^[A-Za-z0-9_:.%-]{1,253}$/);
        expect(answer.host).not.toMatch(/^-/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('resolveHost', () => {
  it('returns address literals as they are, with their family', async () => {
    await expect(resolveHost('127.0.0.1')).resolves.toMatchObject({
      address: '127.0.0.1',
      family: 4,
    });
    await expect(resolveHost('[::1]', 'ipv6')).resolves.toMatchObject({
      address: '::1',
      family: 6,
    });
  });

  it('refuses a literal of the other family', async () => {
    await expect(resolveHost('::1', 'ipv4')).rejects.toThrow(
      '"::1" is an IPv6 address, but IPv4 only was asked for',
    );
    await expect(resolveHost('127.0.0.1', 'ipv6')).rejects.toThrow(
      '"127.0.0.1" is an IPv4 address, but IPv6 only was asked for',
    );
  });

  it('resolves a name from the hosts file to the wanted family', async () => {
    await expect(resolveHost('localhost', 'ipv4')).resolves.toMatchObject({
      address: '127.0.0.1',
      family: 4,
    });
  });

  it('refuses a bad host before asking DNS', async () => {
    await expect(resolveHost('bad host')).rejects.toThrow(
      '"bad host" is not a host name or an IP address',
    );
  });
});
