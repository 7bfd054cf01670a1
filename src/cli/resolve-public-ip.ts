/**
 * `-R`: asks a web service for this machine's public IPv4 address, as fwknop does (it uses wget
 * on https://www.cipherdyne.org/cgi-bin/myip). The engine takes any resolver as an argument; this
 * is the command's own until Sesame's public-IP discovery takes its place.
 */
export const DEFAULT_RESOLVE_URL = 'https://www.cipherdyne.org/cgi-bin/myip';

export function resolveUrlFor(url: string | undefined, httpOnly: boolean): string {
  const chosen = url ?? DEFAULT_RESOLVE_URL;
  return httpOnly ? chosen.replace(/^https:/i, 'http:') : chosen;
}

export async function resolvePublicIp(
  url: string,
  userAgent: string,
  signal?: AbortSignal,
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'User-Agent': userAgent },
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(10_000)])
        : AbortSignal.timeout(10_000),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error(
      `could not ask ${url} for your public IP (${(error as Error).message}); give it with -a`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `${url} answered ${response.status} when asked for your public IP; give it with -a`,
    );
  }
  const body = (await response.text()).trim();
  // fwknop takes the first IPv4-looking word of the answer.
  const address = /\b\d{1,3}(?:\.\d{1,3}){3}\b/.exec(body)?.[0];
  if (address === undefined) {
    throw new Error(`${url} did not answer with an IPv4 address; give your public IP with -a`);
  }
  return address;
}
