import { isIP } from 'node:net';
import { nonPublicScope } from './address-scope.js';
import { ProviderError } from './provider-error.js';
import { type IpVersion, versionName } from './provider-spec.js';

export type AnswerFormat = 'text' | 'trace' | 'json';

/**
 * Takes the address out of an echo service's body. Only the address itself is accepted: a
 * captive portal's HTML page or an error text must never be read as an address.
 */
export function extractAddress(format: AnswerFormat, body: string): string {
  switch (format) {
    case 'text':
      // icanhazip ends with a newline, fwknop's service with CRLF; some add none.
      return body.trim();
    case 'trace': {
      const line = body.split(/\r?\n/).find((l) => l.startsWith('ip='));
      if (line === undefined)
        throw new ProviderError('not-an-address', 'no "ip=" line in the answer');
      return line.slice(3).trim();
    }
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        throw new ProviderError('not-an-address', `not JSON: ${quote(body)}`);
      }
      const ip = (value as { ip?: unknown } | null)?.ip;
      if (typeof ip !== 'string') {
        throw new ProviderError('not-an-address', 'no "ip" string in the JSON answer');
      }
      return ip.trim();
    }
  }
}

/**
 * Checks that an answer is one address of the asked family (and public, unless told otherwise),
 * and returns it in canonical form, so that `2001:DB8::0:1` and `2001:db8::1` compare equal.
 */
export function validateAddress(
  text: string,
  version: IpVersion,
  acceptNonPublic: boolean,
): string {
  // A zone (`fe80::1%eth0`) only means something on this machine.
  const found = text.includes('%') ? 0 : isIP(text);
  if (found === 0) throw new ProviderError('not-an-address', `not an address: ${quote(text)}`);
  const address = canonical(text, found);
  // ::ffff:1.2.3.4 is an IPv4 address in IPv6 clothing: it says nothing about IPv6.
  const mapped = found === 6 && /^::ffff:(?:[\d.]+|[\da-f]{1,4}:[\da-f]{1,4})$/.test(address);
  const actual: IpVersion = found === 4 || mapped ? 4 : 6;
  if (actual !== version) {
    throw new ProviderError(
      'wrong-family',
      `answered an ${versionName(actual)} address (${text}) when asked for ${versionName(version)}`,
    );
  }
  if (!acceptNonPublic) {
    const scope = nonPublicScope(address);
    if (scope !== undefined) {
      throw new ProviderError('non-public', `answered ${scope} (${address}), not a public one`);
    }
  }
  return address;
}

function canonical(text: string, version: number): string {
  if (version === 4) return text;
  // The URL parser writes IPv6 hosts in RFC 5952 form: lower case, longest zero run compressed.
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** A body shown in a message: short, one line, non-printing characters escaped. */
export function quote(text: string): string {
  const flat = JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
  return flat;
}
