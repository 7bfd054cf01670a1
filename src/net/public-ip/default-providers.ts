import { type ProviderSpec, ProviderListSchema } from './provider-spec.js';

/**
 * The public services Sesame asks by default: four HTTPS echo services and two DNS tricks, run by
 * six different operators, so that one of them being down, slow or wrong does not decide the
 * answer. Endpoints and answer formats as documented by each service (see docs/architecture.md).
 *
 * Where a service has one name for both families (ifconfig.co, Cloudflare), the family is forced
 * by resolving the name to that family only and connecting over it.
 */
export const DEFAULT_PROVIDERS: readonly ProviderSpec[] = ProviderListSchema.parse([
  {
    kind: 'http',
    name: 'ipify',
    ipv4: 'https://api.ipify.org/',
    ipv6: 'https://api6.ipify.org/',
  },
  {
    kind: 'http',
    name: 'icanhazip',
    ipv4: 'https://ipv4.icanhazip.com/',
    ipv6: 'https://ipv6.icanhazip.com/',
  },
  {
    kind: 'http',
    name: 'ifconfig.co',
    // `/ip` answers plain text whatever the User-Agent; `/` sends HTML to browser-like agents.
    ipv4: 'https://ifconfig.co/ip',
    ipv6: 'https://ifconfig.co/ip',
  },
  {
    kind: 'http',
    name: 'cloudflare',
    format: 'trace',
    ipv4: 'https://cloudflare.com/cdn-cgi/trace',
    ipv6: 'https://cloudflare.com/cdn-cgi/trace',
  },
  {
    kind: 'dns',
    name: 'opendns',
    ipv4: { server: 'resolver1.opendns.com', name: 'myip.opendns.com', type: 'A' },
    ipv6: { server: 'resolver1.ipv6-sandbox.opendns.com', name: 'myip.opendns.com', type: 'AAAA' },
  },
  {
    kind: 'dns',
    name: 'google',
    // ns1.google.com by address: a recursive resolver would answer its own address instead.
    ipv4: { server: '216.239.32.10', name: 'o-o.myaddr.l.google.com', type: 'TXT' },
    ipv6: { server: '2001:4860:4802:32::a', name: 'o-o.myaddr.l.google.com', type: 'TXT' },
  },
]);
