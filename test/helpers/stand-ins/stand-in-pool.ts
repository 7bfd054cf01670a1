import { isIP } from 'node:net';
import { type ProviderSpec, ProviderSpecSchema } from '../../../src/net/public-ip/provider-spec.js';
import { type DnsStandIn, startDnsStandIn } from './dns-stand-in.js';
import { type HttpEcho, type HttpEchoOptions, startHttpEcho } from './http-echo.js';
import type { StandInMode } from './stand-in-mode.js';

/** Stand-ins started by one test file, closed together after each test. */
export function standInPool() {
  const open: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<void> }>(standIn: T): T => {
    open.push(standIn);
    return standIn;
  };
  return {
    http: async (options: HttpEchoOptions): Promise<HttpEcho> =>
      track(await startHttpEcho(options)),
    dns: async (host: string, mode?: StandInMode): Promise<DnsStandIn> =>
      track(await startDnsStandIn({ host, ...(mode && { mode }) })),
    closeAll: async (): Promise<void> => {
      await Promise.all(open.splice(0).map((standIn) => standIn.close()));
    },
  };
}

/** A provider spec for an HTTP stand-in, for the family it listens on. */
export function httpProvider(
  name: string,
  echo: Pick<HttpEcho, 'host' | 'url'>,
  format: 'text' | 'trace' | 'json' = 'text',
): ProviderSpec {
  const family = isIP(echo.host) === 6 ? 'ipv6' : 'ipv4';
  return ProviderSpecSchema.parse({ kind: 'http', name, format, [family]: echo.url });
}

/** A provider spec for a DNS stand-in, for the family it listens on. */
export function dnsProvider(
  name: string,
  standIn: DnsStandIn,
  type: 'A' | 'AAAA' | 'TXT',
  recordClass: 'IN' | 'CH' = 'IN',
): ProviderSpec {
  const family = isIP(standIn.host) === 6 ? 'ipv6' : 'ipv4';
  const query = { server: standIn.server, name: 'myip.sesame.test', type, class: recordClass };
  return ProviderSpecSchema.parse({ kind: 'dns', name, [family]: query });
}
