import { DEFAULT_PROVIDERS } from '../net/public-ip/default-providers.js';
import { parseProviderShorthand, providerList } from '../net/public-ip/provider-shorthand.js';
import { PublicIpResolver } from '../net/public-ip/public-ip-resolver.js';
import { UsageError } from './cli-io.js';

/**
 * `-R`: this machine's public IPv4 address, from Sesame's public-IP resolver: its providers by
 * default (fwknop asks one cipherdyne.org page), or the one `--resolve-url` names. The command
 * loads this file only for `-R`, since the resolver's provider schemas load zod.
 */
export async function resolveAllowIp(
  resolveUrl: string | undefined,
  httpOnly: boolean,
  userAgent: string | undefined,
  signal?: AbortSignal,
): Promise<string> {
  let providers = DEFAULT_PROVIDERS;
  if (resolveUrl !== undefined) {
    // fwknop's --resolve-http-only asks over http what it would ask over https.
    const url = httpOnly ? resolveUrl.replace(/^https:/i, 'http:') : resolveUrl;
    try {
      providers = providerList([parseProviderShorthand(url)]);
    } catch (error) {
      throw new UsageError(`--resolve-url: ${(error as Error).message}`);
    }
  }
  // A service the person named may well answer a private address (a lab, a VPN): fwknop takes
  // whatever it says, and so does Sesame then. The public providers' answers must be public.
  const resolver = new PublicIpResolver({
    providers,
    ...(userAgent !== undefined && { userAgent }),
    acceptNonPublic: resolveUrl !== undefined,
  });
  const result = await resolver.resolve(4, { signal });
  if (result.address !== undefined) return result.address;
  const reasons = [
    ...result.answers.map((answer) => `${answer.provider} said ${answer.address}`),
    ...result.failures.map((failure) => `${failure.provider}: ${failure.reason}`),
  ];
  throw new Error(
    `could not find your public IPv4 address (${reasons.join('; ') || 'no provider answers IPv4'}); give it with -a`,
  );
}
