import { z } from 'zod';
import { ipVersion } from '../ip-address.js';

/**
 * Where Sesame asks for the machine's public IP. The schemas are what the settings file stores
 * for a custom list (a company's own echo service), so every field is checked here once and the
 * resolver can trust what it is given. No Node module here: the settings schema, and so the
 * window, use these schemas too.
 */

/** IPv4 or IPv6, as the numbers Node uses for address families. */
export type IpVersion = 4 | 6;
export const IP_VERSIONS: readonly IpVersion[] = [4, 6];

export function versionName(version: IpVersion): 'IPv4' | 'IPv6' {
  return version === 4 ? 'IPv4' : 'IPv6';
}

const providerName = z
  .string()
  .trim()
  .min(1, 'a provider needs a name')
  .max(64, 'a provider name has 64 characters at most');

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http:// or https:// URL',
});

/**
 * An HTTP(S) service that answers the caller's address: as plain text (ipify, icanhazip,
 * ifconfig.co/ip), as Cloudflare's trace (`key=value` lines with `ip=`), or as JSON `{"ip": …}`.
 * One URL per family; the request is made over that family whatever the name resolves to.
 */
export const HttpProviderSpecSchema = z
  .object({
    kind: z.literal('http'),
    name: providerName,
    ipv4: httpUrl.optional(),
    ipv6: httpUrl.optional(),
    format: z.enum(['text', 'trace', 'json']).default('text'),
  })
  .strict()
  .refine((spec) => spec.ipv4 !== undefined || spec.ipv6 !== undefined, {
    message: 'give a URL for ipv4, ipv6 or both',
  })
  .refine((spec) => literalFamilyFits(hostOfUrl(spec.ipv4), 4), {
    message: 'the ipv4 URL has an IPv6 address as its host',
    path: ['ipv4'],
  })
  .refine((spec) => literalFamilyFits(hostOfUrl(spec.ipv6), 6), {
    message: 'the ipv6 URL has an IPv4 address as its host',
    path: ['ipv6'],
  });

/**
 * One DNS question to a server that answers with the caller's address: OpenDNS answers an A or
 * AAAA query for `myip.opendns.com`, Google a TXT query for `o-o.myaddr.l.google.com`, Cloudflare
 * a TXT query of class CH for `whoami.cloudflare`. The server must be the one that knows the
 * trick (the authoritative server), never a recursive resolver, which would answer its own address.
 */
export const DnsQuerySpecSchema = z
  .object({
    /** `address`, `address:port`, `[v6-address]:port`, or a host name (with an optional port). */
    server: z.string().trim().min(1, 'give the DNS server'),
    name: z
      .string()
      .trim()
      .regex(/^(?:[a-zA-Z0-9_-]{1,63}\.)*[a-zA-Z0-9_-]{1,63}\.?$/, 'is not a DNS name'),
    type: z.enum(['A', 'AAAA', 'TXT']),
    class: z.enum(['IN', 'CH']).default('IN'),
  })
  .strict()
  .refine((query) => parseServer(query.server) !== undefined, {
    message: 'is not address[:port], [ipv6]:port or host[:port]',
    path: ['server'],
  });

export const DnsProviderSpecSchema = z
  .object({
    kind: z.literal('dns'),
    name: providerName,
    ipv4: DnsQuerySpecSchema.optional(),
    ipv6: DnsQuerySpecSchema.optional(),
  })
  .strict()
  .refine((spec) => spec.ipv4 !== undefined || spec.ipv6 !== undefined, {
    message: 'give a query for ipv4, ipv6 or both',
  })
  .refine((spec) => spec.ipv4?.type !== 'AAAA' && spec.ipv6?.type !== 'A', {
    message: 'an A query answers IPv4 and an AAAA query IPv6; use TXT to read either',
  })
  .refine((spec) => literalFamilyFits(parseServer(spec.ipv4?.server)?.host, 4), {
    message: 'the ipv4 query goes to an IPv6 server; it must be asked over IPv4',
    path: ['ipv4', 'server'],
  })
  .refine((spec) => literalFamilyFits(parseServer(spec.ipv6?.server)?.host, 6), {
    message: 'the ipv6 query goes to an IPv4 server; it must be asked over IPv6',
    path: ['ipv6', 'server'],
  });

export const ProviderSpecSchema = z.discriminatedUnion('kind', [
  HttpProviderSpecSchema,
  DnsProviderSpecSchema,
]);

/** A whole list, as the settings store it: at least one provider, names unique. */
export const ProviderListSchema = z
  .array(ProviderSpecSchema)
  .min(1, 'give at least one provider')
  .refine((list) => new Set(list.map((p) => p.name)).size === list.length, {
    message: 'provider names must be unique (they key the backoff and the report)',
  });

export type HttpProviderSpec = z.infer<typeof HttpProviderSpecSchema>;
export type DnsQuerySpec = z.infer<typeof DnsQuerySpecSchema>;
export type DnsProviderSpec = z.infer<typeof DnsProviderSpecSchema>;
export type ProviderSpec = z.infer<typeof ProviderSpecSchema>;
/** What a person or the settings file may write: the defaulted fields can be left out. */
export type ProviderSpecInput = z.input<typeof ProviderSpecSchema>;

export const DNS_PORT = 53;

/** Splits `address`, `address:port`, `[v6]:port`, `host` or `host:port`; undefined if none fits. */
export function parseServer(text: string | undefined): { host: string; port: number } | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(trimmed);
  if (bracketed) {
    const host = bracketed[1] ?? '';
    return ipVersion(host) === 6 ? withPort(host, bracketed[2]) : undefined;
  }
  if (ipVersion(trimmed) !== 0) return { host: trimmed, port: DNS_PORT };
  const hostPort = /^([a-zA-Z0-9._-]+)(?::(\d{1,5}))?$/.exec(trimmed);
  if (!hostPort) return undefined;
  const host = hostPort[1] ?? '';
  // "1.2.3" or "999.1.1.1" is a typo for an address, not a host name.
  if (/^[\d.]+$/.test(host) && ipVersion(host) === 0) return undefined;
  return withPort(host, hostPort[2]);
}

function withPort(
  host: string,
  port: string | undefined,
): { host: string; port: number } | undefined {
  const number = port === undefined ? DNS_PORT : Number(port);
  return number >= 1 && number <= 65535 ? { host, port: number } : undefined;
}

/** The host of a URL without IPv6 brackets; undefined when there is no URL or it does not parse. */
export function hostOfUrl(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}

/** A literal address must be of the family it is used for; a host name fits either. */
function literalFamilyFits(host: string | undefined, version: IpVersion): boolean {
  if (host === undefined) return true;
  const literal = ipVersion(host);
  return literal === 0 || literal === version;
}
