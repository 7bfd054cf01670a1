import { isIPv4 } from '../../net/ip-address.js';

/**
 * The words of fwknop's options (digest types, encryption modes, access protocols) and the
 * checks of values people type, with no Node module in reach: spaOptionsSchema is built from
 * these, and it runs in the window's renderer as well as in Node.
 */

/** fwknop's digest algorithms, for the digest inside the packet and for the HMAC. */
export const DIGEST_TYPES = [
  'md5',
  'sha1',
  'sha256',
  'sha384',
  'sha512',
  'sha3_256',
  'sha3_512',
] as const;
export type DigestType = (typeof DIGEST_TYPES)[number];
export const DEFAULT_DIGEST_TYPE: DigestType = 'sha256';

/** Rijndael's modes in fwknop; `legacy` is CBC the way fwknop before 2.5 derived the key. */
export const ENCRYPTION_MODES = ['cbc', 'ecb', 'cfb', 'ofb', 'ctr', 'legacy'] as const;
export type EncryptionMode = (typeof ENCRYPTION_MODES)[number];
export const DEFAULT_ENCRYPTION_MODE: EncryptionMode = 'cbc';

export const ACCESS_PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;
export type AccessProtocol = (typeof ACCESS_PROTOCOLS)[number];

export interface AccessPort {
  readonly protocol: AccessProtocol;
  readonly port: number;
}

/** fwknop's ALLOW_IP is an IPv4 address: fwknopd reads only IPv4 in the access message. */
export function isIpv4(text: string): boolean {
  return isIPv4(text);
}

/** libfko's longest username (MAX_SPA_USERNAME_SIZE less its terminating byte). */
export const MAX_USERNAME_LENGTH = 63;

/**
 * Checks a username the way libfko does (validate_username): printable ASCII without
 * `" / \ [ ] : ; | = , + * ? < >`, at most 63 characters. Returns the reason or undefined.
 */
export function usernameProblem(username: string): string | undefined {
  if (username.length === 0) return 'the username is empty';
  if (username.length > MAX_USERNAME_LENGTH) {
    return `the username is longer than ${MAX_USERNAME_LENGTH} characters`;
  }
  if (!/^[\x20-\x7e]+$/.test(username) || /["/\\[\]:;|=,+*?<>]/.test(username)) {
    return `the username "${username}" has a character fwknopd refuses (" / \\ [ ] : ; | = , + * ? < > or non-ASCII)`;
  }
  return undefined;
}

const HOST_NAME =
  /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * A NAT destination host as fwknopd takes it: an IPv4 address or a host name (libfko refuses
 * blanks, `/`, `?`, quotes and backslashes). Returns the reason or undefined.
 */
export function natHostProblem(host: string): string | undefined {
  const valid =
    isIpv4(host) || (host.length <= 253 && HOST_NAME.test(host) && !/^[\d.]+$/.test(host));
  return valid ? undefined : `"${host}" is not a NAT destination host (an IPv4 address or a name)`;
}
