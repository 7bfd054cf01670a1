import {
  type EncryptionMode,
  encryptSpa,
  LEGACY_KEY_LENGTH,
  SALTED_PREFIX_BASE64,
} from './spa-cipher.js';
import { type DigestType, digestBase64, hmacBase64 } from './spa-digest.js';
import { SpaError } from './spa-error.js';
import { checkSpaKeys, type SpaKeys } from './spa-keys.js';
import { encodeSpaFields, type SpaFields } from './spa-message.js';

/**
 * fwknopd's limits on the data of one packet (fwknopd_common.h, fko_encryption.c): at least 140
 * characters, and a Rijndael packet below 400, since fwknopd takes anything of 400 or more for a
 * GnuPG packet and never tries its Rijndael key on it.
 */
export const MIN_WIRE_LENGTH = 140;
export const MAX_RIJNDAEL_WIRE_LENGTH = 399;

export interface SpaPacketInput {
  readonly fields: SpaFields;
  readonly keys: SpaKeys;
  readonly digestType: DigestType;
  readonly hmacDigestType: DigestType;
  readonly encryptionMode: EncryptionMode;
  /** 8 random bytes, new for every packet. */
  readonly salt: Uint8Array;
}

/** Every layer of a built packet. Holds no key material; all of it is safe to print. */
export interface SpaPacket {
  readonly fields: SpaFields;
  /** The plaintext fields joined by `:`, before the digest. */
  readonly encoded: string;
  readonly digestType: DigestType;
  readonly digest: string;
  readonly encryptionMode: EncryptionMode;
  /** The HMAC digest type, when the packet carries an HMAC. */
  readonly hmacDigestType?: DigestType;
  readonly hmac?: string;
  /** What is sent: the base64 ciphertext without `U2FsdGVkX1`, then the HMAC, no separator. */
  readonly wire: string;
  /** True when legacy mode cut a longer key to 16 bytes, as fwknop does (with a warning). */
  readonly legacyKeyTruncated: boolean;
}

/** Builds a packet layer by layer: plaintext, digest, Rijndael, HMAC (libfko fko_spa_data_final). */
export function buildSpaPacket(input: SpaPacketInput): SpaPacket {
  const { keys, encryptionMode } = input;
  checkSpaKeys(keys, encryptionMode);
  const legacyKeyTruncated =
    encryptionMode === 'legacy' && keys.encryptionKey.length > LEGACY_KEY_LENGTH;
  const encryptionKey = legacyKeyTruncated
    ? keys.encryptionKey.subarray(0, LEGACY_KEY_LENGTH)
    : keys.encryptionKey;
  const encoded = encodeSpaFields(input.fields);
  const digest = digestBase64(input.digestType, encoded);
  const encrypted = encryptSpa(`${encoded}:${digest}`, encryptionKey, input.salt, encryptionMode);
  // The HMAC covers the base64 text with its "Salted__" prefix; only the wire leaves it out.
  const hmac =
    keys.hmacKey === undefined
      ? undefined
      : hmacBase64(input.hmacDigestType, keys.hmacKey, encrypted);
  const wire = encrypted.slice(SALTED_PREFIX_BASE64.length) + (hmac ?? '');
  if (wire.length > MAX_RIJNDAEL_WIRE_LENGTH) {
    throw new SpaError(
      `the SPA packet would be ${wire.length} characters; fwknopd reads at most ${MAX_RIJNDAEL_WIRE_LENGTH} as a Rijndael packet: request fewer ports or use a shorter digest`,
    );
  }
  if (wire.length < MIN_WIRE_LENGTH) {
    throw new SpaError(
      `the SPA packet would be ${wire.length} characters; fwknopd ignores packets under ${MIN_WIRE_LENGTH}`,
    );
  }
  return {
    fields: input.fields,
    encoded,
    digestType: input.digestType,
    digest,
    encryptionMode,
    ...(hmac !== undefined && { hmacDigestType: input.hmacDigestType, hmac }),
    wire,
    legacyKeyTruncated,
  };
}
