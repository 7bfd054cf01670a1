import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDERS } from '../../../../src/net/public-ip/default-providers.js';
import { describeIssues } from '../../../../src/lib/describe-issues.js';
import {
  parseProviderShorthand,
  providerList,
} from '../../../../src/net/public-ip/provider-shorthand.js';
import {
  parseServer,
  ProviderListSchema,
  ProviderSpecSchema,
} from '../../../../src/net/public-ip/provider-spec.js';

function issues(value: unknown): string {
  const parsed = ProviderSpecSchema.safeParse(value);
  return parsed.success ? 'valid' : describeIssues(parsed.error);
}

describe('ProviderSpecSchema', () => {
  it('holds the defaults: six services of six operators, each with IPv4 and IPv6', () => {
    expect(DEFAULT_PROVIDERS.map((p) => p.name)).toEqual([
      'ipify',
      'icanhazip',
      'ifconfig.co',
      'cloudflare',
      'opendns',
      'google',
    ]);
    for (const provider of DEFAULT_PROVIDERS) {
      expect(provider.ipv4, provider.name).toBeDefined();
      expect(provider.ipv6, provider.name).toBeDefined();
    }
  });

  it('fills in the defaults a settings file may leave out', () => {
    expect(ProviderSpecSchema.parse({ kind: 'http', name: 'a', ipv4: 'https://a.test/' })).toEqual({
      kind: 'http',
      name: 'a',
      ipv4: 'https://a.test/',
      format: 'text',
    });
    expect(
      ProviderSpecSchema.parse({
        kind: 'dns',
        name: 'd',
        ipv6: { server: '[2001:db8::53]:5353', name: 'me.test', type: 'TXT' },
      }),
    ).toMatchObject({ ipv6: { class: 'IN' } });
  });

  it.each([
    [{ kind: 'http', name: 'a' }, 'give a URL for ipv4, ipv6 or both'],
    [
      { kind: 'http', name: 'a', ipv4: 'ftp://a.test/' },
      'ipv4: must be an http:// or https:// URL',
    ],
    [
      { kind: 'http', name: 'a', ipv4: 'http://[::1]:80/' },
      'ipv4: the ipv4 URL has an IPv6 address as its host',
    ],
    [{ kind: 'http', name: ' ', ipv4: 'http://a.test/' }, 'name: a provider needs a name'],
    [
      { kind: 'http', name: 'a', ipv4: 'http://a.test/', format: 'xml' },
      'format: Invalid option: expected one of "text"|"trace"|"json"',
    ],
    [{ kind: 'http', name: 'a', ipv4: 'http://a.test/', extra: 1 }, 'Unrecognized key: "extra"'],
    [{ kind: 'smtp', name: 'a' }, "kind: Invalid discriminator value. Expected 'http' | 'dns'"],
    [
      { kind: 'dns', name: 'd', ipv4: { server: '1.2.3', name: 'me.test', type: 'A' } },
      'ipv4.server: is not address[:port], [ipv6]:port or host[:port]',
    ],
    [
      { kind: 'dns', name: 'd', ipv4: { server: '1.2.3.4:70000', name: 'me.test', type: 'A' } },
      'ipv4.server: is not address[:port], [ipv6]:port or host[:port]',
    ],
    [
      { kind: 'dns', name: 'd', ipv4: { server: '::1', name: 'me.test', type: 'TXT' } },
      'ipv4.server: the ipv4 query goes to an IPv6 server; it must be asked over IPv4',
    ],
    [
      { kind: 'dns', name: 'd', ipv6: { server: 'ns.test', name: 'me.test', type: 'A' } },
      'an A query answers IPv4 and an AAAA query IPv6; use TXT to read either',
    ],
    [
      { kind: 'dns', name: 'd', ipv4: { server: 'ns.test', name: 'me test', type: 'A' } },
      'ipv4.name: is not a DNS name',
    ],
  ])('%j: %s', (value, message) => {
    expect(issues(value)).toContain(message);
  });

  it('a list needs at least one provider and unique names', () => {
    const one = { kind: 'http', name: 'a', ipv4: 'http://a.test/' };
    expect(ProviderListSchema.safeParse([]).success).toBe(false);
    const twice = ProviderListSchema.safeParse([one, one]);
    expect(twice.success ? '' : describeIssues(twice.error)).toBe(
      'provider names must be unique (they key the backoff and the report)',
    );
  });
});

describe('parseServer', () => {
  it.each([
    ['208.67.222.222', { host: '208.67.222.222', port: 53 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['2001:db8::53', { host: '2001:db8::53', port: 53 }],
    ['[2001:db8::53]:5353', { host: '2001:db8::53', port: 5353 }],
    ['resolver1.opendns.com', { host: 'resolver1.opendns.com', port: 53 }],
    ['ns.test:5300', { host: 'ns.test', port: 5300 }],
    ['[ns.test]:53', undefined],
    ['999.1.1.1', undefined],
    ['ns.test:0', undefined],
    ['a b', undefined],
  ])('%s', (text, expected) => {
    expect(parseServer(text)).toEqual(expected);
  });
});

describe('parseProviderShorthand and providerList', () => {
  it('an http(s) URL serves the family of its address, or both for a name', () => {
    expect(parseProviderShorthand('http://127.0.0.1:8080/')).toEqual({
      kind: 'http',
      name: '127.0.0.1:8080',
      ipv4: 'http://127.0.0.1:8080/',
    });
    expect(parseProviderShorthand('https://[::1]:8443/ip')).toEqual({
      kind: 'http',
      name: '[::1]:8443',
      ipv6: 'https://[::1]:8443/ip',
    });
    expect(parseProviderShorthand('https://echo.example.com')).toMatchObject({
      ipv4: 'https://echo.example.com/',
      ipv6: 'https://echo.example.com/',
    });
  });

  it('a dns:// URL (RFC 4501) asks A, AAAA or TXT of any class', () => {
    expect(parseProviderShorthand('dns://127.0.0.1:5353/myip.test')).toEqual({
      kind: 'dns',
      name: 'dns:127.0.0.1:5353',
      ipv4: { server: '127.0.0.1:5353', name: 'myip.test', type: 'A', class: 'IN' },
    });
    expect(parseProviderShorthand('dns://[::1]:53/whoami.test?type=txt&class=CH')).toEqual({
      kind: 'dns',
      name: 'dns:[::1]:53',
      ipv6: { server: '[::1]:53', name: 'whoami.test', type: 'TXT', class: 'CH' },
    });
    expect(parseProviderShorthand('dns://ns.test/me.test?type=TXT')).toMatchObject({
      ipv4: { server: 'ns.test' },
      ipv6: { server: 'ns.test' },
    });
  });

  it('a JSON spec is taken as it is, after the schema has checked it', () => {
    const spec = { kind: 'http', name: 'corp', format: 'json', ipv4: 'https://ip.corp.test/' };
    expect(parseProviderShorthand(JSON.stringify(spec))).toEqual(spec);
  });

  it.each([
    ['ftp://a.test/', 'is not a provider: give an http(s):// or dns:// URL, or a JSON spec'],
    ['{"kind":', 'is not valid JSON'],
    ['{"kind":"http","name":"a"}', 'give a URL for ipv4, ipv6 or both'],
    ['dns://127.0.0.1', 'is not dns://server[:port]/name[?type=…]'],
    ['dns://127.0.0.1/me.test?type=MX', 'type "MX" is not A, AAAA or TXT'],
    ['dns://127.0.0.1/me.test?class=HS', 'class "HS" is not IN or CH'],
    ['http://exa mple/', 'is not a valid URL'],
  ])('%s fails: %s', (text, message) => {
    expect(() => parseProviderShorthand(text)).toThrow(message);
  });

  it('providerList makes names unique', () => {
    const a = parseProviderShorthand('http://127.0.0.1:8080/');
    expect(providerList([a, a, a]).map((p) => p.name)).toEqual([
      '127.0.0.1:8080',
      '127.0.0.1:8080#2',
      '127.0.0.1:8080#3',
    ]);
  });
});
