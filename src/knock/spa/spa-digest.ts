import { createHash, createHmac } from 'node:crypto';
import { base64NoPad } from './spa-base64.js';
import { DIGEST_TYPES, type DigestType } from './spa-vocabulary.js';

/**
 * The digest algorithms fwknop offers, by fwknop's own names, both for the digest inside the
 * packet (`-m, --digest-type`) and for the HMAC after encryption (`--hmac-digest-type`); their
 * names live in spa-vocabulary.ts, which the options schema can use without node:crypto.
 */
export { DEFAULT_DIGEST_TYPE, DIGEST_TYPES, type DigestType } from './spa-vocabulary.js';

interface DigestInfo {
  /** The name node:crypto knows the hash by. */
  readonly node: string;
  /** libfko's number for the type, printed by `fwknop -v` ("Digest Type: 3 (SHA256)"). */
  readonly number: number;
  /** Length of the digest in unpadded base64: fwknopd tells the type by this length. */
  readonly base64Length: number;
}

const INFO: Record<DigestType, DigestInfo> = {
  md5: { node: 'md5', number: 1, base64Length: 22 },
  sha1: { node: 'sha1', number: 2, base64Length: 27 },
  sha256: { node: 'sha256', number: 3, base64Length: 43 },
  sha384: { node: 'sha384', number: 4, base64Length: 64 },
  sha512: { node: 'sha512', number: 5, base64Length: 86 },
  sha3_256: { node: 'sha3-256', number: 6, base64Length: 43 },
  sha3_512: { node: 'sha3-512', number: 7, base64Length: 86 },
};

export function digestInfo(type: DigestType): DigestInfo {
  return INFO[type];
}

/** Reads a digest name the way fwknop does: case does not matter (`SHA256`, `sha3_256`). */
export function parseDigestType(text: string): DigestType | undefined {
  const name = text.trim().toLowerCase();
  return (DIGEST_TYPES as readonly string[]).includes(name) ? (name as DigestType) : undefined;
}

/** The digest of `data` in fwknop's unpadded base64. */
export function digestBase64(type: DigestType, data: string): string {
  return base64NoPad(createHash(INFO[type].node).update(data, 'utf8').digest());
}

/**
 * The HMAC of `data` in fwknop's unpadded base64. libfko's HMAC is the standard construction
 * (RFC 2104, keys longer than the block hashed first), so node:crypto's HMAC gives the same bytes
 * for every type, SHA-3 included.
 */
export function hmacBase64(type: DigestType, key: Uint8Array, data: string): string {
  return base64NoPad(createHmac(INFO[type].node, key).update(data, 'utf8').digest());
}
