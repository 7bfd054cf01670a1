import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase64 } from './spa-base64.js';
import { type EncryptionMode, MAX_ENCRYPTION_KEY_LENGTH } from './spa-cipher.js';
import type { DigestType } from './spa-digest.js';
import { SpaError } from './spa-error.js';

/**
 * The secrets of an SPA door. They are kept apart from the options because they live only in the
 * OS keychain, never in settings, logs or error messages: nothing in Sesame prints them except
 * `--key-gen`, whose job it is.
 */
export interface SpaKeys {
  /** The Rijndael passphrase bytes (KEY, or KEY_BASE64 decoded): 1-32 bytes. */
  readonly encryptionKey: Uint8Array;
  /** The HMAC key bytes (HMAC_KEY, or HMAC_KEY_BASE64 decoded): 1-128 bytes. No key, no HMAC. */
  readonly hmacKey?: Uint8Array;
}

/** libfko's limit for an HMAC key (MAX_KEY_LEN). */
export const MAX_HMAC_KEY_LENGTH = 128;

/** A passphrase as typed: its UTF-8 bytes, which is what fwknop hands to the key derivation. */
export function keyFromPassphrase(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/**
 * A key given as base64 (KEY_BASE64, --key-base64-rijndael). `source` names where it came from
 * for the message; the value itself never appears in one.
 */
export function keyFromBase64(text: string, source: string): Uint8Array {
  const bytes = decodeBase64(text.trim());
  if (bytes === undefined) {
    throw new SpaError(`${source} is not base64 (letters, digits, "+", "/" and a final "=")`);
  }
  if (bytes.length === 0) throw new SpaError(`${source} is empty`);
  return new Uint8Array(bytes);
}

/**
 * The rules fwknop applies to a pair of keys before it builds a packet: lengths libfko accepts,
 * two different keys, and no HMAC in legacy mode (servers before 2.5 know no HMAC).
 */
export function checkSpaKeys(keys: SpaKeys, mode: EncryptionMode): void {
  const length = keys.encryptionKey.length;
  if (length < 1 || length > MAX_ENCRYPTION_KEY_LENGTH) {
    throw new SpaError(
      `the encryption key is ${length} bytes long; fwknop's Rijndael key must be 1-${MAX_ENCRYPTION_KEY_LENGTH} bytes (--key-gen makes one of 32)`,
    );
  }
  const hmac = keys.hmacKey;
  if (hmac === undefined) return;
  if (mode === 'legacy') {
    throw new SpaError(
      'legacy encryption mode cannot carry an HMAC (servers before fwknop 2.5 know none): drop the HMAC key or the legacy mode',
    );
  }
  if (hmac.length < 1 || hmac.length > MAX_HMAC_KEY_LENGTH) {
    throw new SpaError(
      `the HMAC key is ${hmac.length} bytes long; fwknop takes 1-${MAX_HMAC_KEY_LENGTH} bytes (--key-gen makes one of 64)`,
    );
  }
  if (hmac.length === length && timingSafeEqual(hmac, keys.encryptionKey)) {
    throw new SpaError(
      'the encryption key and the HMAC key are the same: fwknop refuses that, use two different keys (--key-gen makes a pair)',
    );
  }
}

/** How long `fwknop --key-gen` makes the HMAC key for each digest: one block of the hash. */
function defaultHmacKeyLength(type: DigestType): number {
  switch (type) {
    case 'md5':
      return 16;
    case 'sha1':
      return 20;
    case 'sha384':
    case 'sha512':
      return 128;
    // fwknop 2.6.10 fails for the SHA-3 types here; Sesame gives them the SHA-256 length.
    case 'sha256':
    case 'sha3_256':
    case 'sha3_512':
      return 64;
  }
}

export interface KeyGenOptions {
  readonly keyLength?: number;
  readonly hmacKeyLength?: number;
  readonly hmacDigestType?: DigestType;
}

/** New random keys, as `fwknop --key-gen` makes them: 32 bytes for Rijndael, 64 for HMAC-SHA256. */
export function generateSpaKeys(
  options: KeyGenOptions = {},
  random: (size: number) => Uint8Array = randomBytes,
): Required<SpaKeys> {
  const keyLength = options.keyLength ?? MAX_ENCRYPTION_KEY_LENGTH;
  const hmacKeyLength =
    options.hmacKeyLength ?? defaultHmacKeyLength(options.hmacDigestType ?? 'sha256');
  if (!Number.isInteger(keyLength) || keyLength < 1 || keyLength > MAX_ENCRYPTION_KEY_LENGTH) {
    throw new SpaError(`a Rijndael key length must be 1-${MAX_ENCRYPTION_KEY_LENGTH} bytes`);
  }
  if (
    !Number.isInteger(hmacKeyLength) ||
    hmacKeyLength < 1 ||
    hmacKeyLength > MAX_HMAC_KEY_LENGTH
  ) {
    throw new SpaError(`an HMAC key length must be 1-${MAX_HMAC_KEY_LENGTH} bytes`);
  }
  return {
    encryptionKey: new Uint8Array(random(keyLength)),
    hmacKey: new Uint8Array(random(hmacKeyLength)),
  };
}

/** The two lines `fwknop --key-gen` prints, standard base64 with its padding. */
export function formatKeyGen(keys: Required<SpaKeys>): string {
  return `KEY_BASE64: ${Buffer.from(keys.encryptionKey).toString('base64')}\nHMAC_KEY_BASE64: ${Buffer.from(keys.hmacKey).toString('base64')}\n`;
}
