import { timingSafeEqual } from 'node:crypto';
import {
  decryptSpa,
  type EncryptionMode,
  LEGACY_KEY_LENGTH,
  SALTED_PREFIX_BASE64,
} from './spa-cipher.js';
import { type DigestType, digestBase64, digestInfo, hmacBase64 } from './spa-digest.js';
import { SpaError } from './spa-error.js';
import { decodeSpaFields, type SpaFields } from './spa-message.js';
import { MIN_WIRE_LENGTH } from './spa-packet.js';

/**
 * Reads a packet back the way fwknopd does (incoming_spa.c, fko_new_with_data): HMAC first, then
 * decryption, the 16-digit check, the digest (its type told by its length), the fields. `--test`
 * runs every packet through it, as `fwknop --test` does, and the tests use it to check that what
 * Sesame builds opens under the same keys.
 */
export type SpaDecodeFailure = 'length' | 'prefix' | 'hmac' | 'decrypt' | 'digest' | 'fields';

export class SpaDecodeError extends SpaError {
  constructor(
    readonly failure: SpaDecodeFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SpaDecodeError';
  }
}

export interface SpaDecodeKeys {
  readonly encryptionKey: Uint8Array;
  /** With an HMAC key the packet must carry an HMAC of `hmacDigestType`, as on fwknopd. */
  readonly hmacKey?: Uint8Array;
}

export interface SpaDecodeOptions {
  readonly encryptionMode: EncryptionMode;
  readonly hmacDigestType?: DigestType;
}

export interface DecodedSpaPacket {
  readonly fields: SpaFields;
  readonly encoded: string;
  readonly digestType: DigestType;
  readonly digest: string;
}

const DIGESTS_BY_LENGTH: Record<number, readonly DigestType[]> = {
  22: ['md5'],
  27: ['sha1'],
  43: ['sha256', 'sha3_256'],
  64: ['sha384'],
  86: ['sha512', 'sha3_512'],
};

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function decodeSpaPacket(
  wire: string,
  keys: SpaDecodeKeys,
  options: SpaDecodeOptions,
): DecodedSpaPacket {
  if (wire.length < MIN_WIRE_LENGTH || wire.length > 1500) {
    throw new SpaDecodeError('length', `a packet of ${wire.length} characters is not SPA data`);
  }
  if (wire.startsWith(SALTED_PREFIX_BASE64)) {
    throw new SpaDecodeError(
      'prefix',
      'the packet starts with the Rijndael prefix fwknop leaves out',
    );
  }
  let body = wire;
  if (keys.hmacKey !== undefined) {
    const type = options.hmacDigestType ?? 'sha256';
    const length = digestInfo(type).base64Length;
    const received = wire.slice(-length);
    body = wire.slice(0, -length);
    const expected = hmacBase64(type, keys.hmacKey, SALTED_PREFIX_BASE64 + body);
    if (!same(received, expected)) {
      throw new SpaDecodeError('hmac', 'the HMAC does not match (wrong HMAC key or digest type)');
    }
  }
  const key =
    options.encryptionMode === 'legacy'
      ? keys.encryptionKey.subarray(0, LEGACY_KEY_LENGTH)
      : keys.encryptionKey;
  let plaintext: string;
  try {
    plaintext = decryptSpa(SALTED_PREFIX_BASE64 + body, key, options.encryptionMode);
  } catch (error) {
    throw new SpaDecodeError('decrypt', (error as Error).message);
  }
  if (!/^\d{16}:/.test(plaintext)) {
    throw new SpaDecodeError('decrypt', 'decryption failed (wrong key or encryption mode)');
  }
  const cut = plaintext.lastIndexOf(':');
  const encoded = plaintext.slice(0, cut);
  const digest = plaintext.slice(cut + 1);
  const candidates = DIGESTS_BY_LENGTH[digest.length] ?? [];
  const digestType = candidates.find((type) => same(digestBase64(type, encoded), digest));
  if (digestType === undefined) {
    throw new SpaDecodeError('digest', 'the digest inside the packet does not match its data');
  }
  try {
    return { fields: decodeSpaFields(encoded), encoded, digestType, digest };
  } catch (error) {
    throw new SpaDecodeError('fields', (error as Error).message);
  }
}
