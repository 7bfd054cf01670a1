import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { base64NoPad, decodeBase64 } from './spa-base64.js';
import { SpaError } from './spa-error.js';
import { ENCRYPTION_MODES, type EncryptionMode } from './spa-vocabulary.js';

/**
 * Rijndael as fwknop uses it (libfko cipher_funcs.c): always AES-256, key and IV derived from the
 * passphrase and an 8-byte salt the way OpenSSL's `enc -md md5` does (EVP_BytesToKey, MD5, one
 * round), PKCS#7 padding in every mode, and the OpenSSL `Salted__` header in front, base64'd.
 */
export {
  DEFAULT_ENCRYPTION_MODE,
  ENCRYPTION_MODES,
  type EncryptionMode,
} from './spa-vocabulary.js';

/** libfko's numbers and names, as `fwknop -v` prints them ("Encryption Mode: 2 (CBC)"). */
export const ENCRYPTION_MODE_LABELS: Record<EncryptionMode, string> = {
  ecb: '1 (ECB)',
  cbc: '2 (CBC)',
  cfb: '3 (CFB)',
  ofb: '5 (OFB)',
  ctr: '6 (CTR)',
  legacy: '8 (CBC legacy IV)',
};

/** Reads a mode name the way fwknop does (`CBC`, `legacy`, any case). */
export function parseEncryptionMode(text: string): EncryptionMode | undefined {
  const name = text.trim().toLowerCase();
  return (ENCRYPTION_MODES as readonly string[]).includes(name)
    ? (name as EncryptionMode)
    : undefined;
}

/** The longest passphrase libfko takes for Rijndael (RIJNDAEL_MAX_KEYSIZE). */
export const MAX_ENCRYPTION_KEY_LENGTH = 32;
/** fwknop's `-M legacy` sends at most 16 bytes of key, as servers before 2.5 expect. */
export const LEGACY_KEY_LENGTH = 16;
export const SALT_LENGTH = 8;

/** base64 of "Salted__": every Rijndael packet starts with it, and the wire leaves it out. */
export const SALTED_PREFIX_BASE64 = 'U2FsdGVkX1';

const SALTED = Buffer.from('Salted__', 'latin1');
const BLOCK = 16;

const NODE_CIPHER: Record<EncryptionMode, string> = {
  cbc: 'aes-256-cbc',
  legacy: 'aes-256-cbc',
  ecb: 'aes-256-ecb',
  cfb: 'aes-256-cfb',
  ofb: 'aes-256-ofb',
  ctr: 'aes-256-ctr',
};

/**
 * The passphrase bytes that go into the key derivation. In legacy mode fwknop before 2.5 padded
 * a short key with ASCII '0' up to 16 bytes; Sesame's caller has already cut it to 16.
 */
function passphraseFor(key: Uint8Array, mode: EncryptionMode): Buffer {
  if (key.length > MAX_ENCRYPTION_KEY_LENGTH) {
    throw new SpaError(
      `the encryption key is ${key.length} bytes; fwknop's Rijndael takes 1-${MAX_ENCRYPTION_KEY_LENGTH}`,
    );
  }
  const bytes = Buffer.from(key);
  if (mode === 'legacy' && bytes.length < LEGACY_KEY_LENGTH) {
    return Buffer.concat([bytes, Buffer.alloc(LEGACY_KEY_LENGTH - bytes.length, '0')]);
  }
  return bytes;
}

/** EVP_BytesToKey(MD5, 1 round): D1 = MD5(pw‖salt), Dn = MD5(Dn-1‖pw‖salt); key ‖ IV = D1‖D2‖D3. */
export function deriveKeyAndIv(
  key: Uint8Array,
  salt: Uint8Array,
  mode: EncryptionMode = 'cbc',
): { key: Buffer; iv: Buffer } {
  const passphrase = passphraseFor(key, mode);
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  while (blocks.length * 16 < 48) {
    previous = createHash('md5')
      .update(Buffer.concat([previous, passphrase, salt]))
      .digest();
    blocks.push(previous);
  }
  const material = Buffer.concat(blocks);
  return { key: material.subarray(0, 32), iv: material.subarray(32, 48) };
}

function pad(data: Buffer): Buffer {
  const count = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(count, count)]);
}

/** libfko pads in every mode, so every mode is run here without the cipher's own padding. */
function run(
  direction: 'encrypt' | 'decrypt',
  mode: EncryptionMode,
  key: Buffer,
  iv: Buffer,
  data: Buffer,
): Buffer {
  const cipher =
    direction === 'encrypt'
      ? createCipheriv(NODE_CIPHER[mode], key, mode === 'ecb' ? null : iv)
      : createDecipheriv(NODE_CIPHER[mode], key, mode === 'ecb' ? null : iv);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/**
 * Encrypts the plaintext and returns fwknop's base64 text, `U2FsdGVkX1…` included, `=` stripped:
 * the form the HMAC is computed over.
 */
export function encryptSpa(
  plaintext: string,
  key: Uint8Array,
  salt: Uint8Array,
  mode: EncryptionMode,
): string {
  if (salt.length !== SALT_LENGTH) throw new SpaError(`the salt must be ${SALT_LENGTH} bytes`);
  const derived = deriveKeyAndIv(key, salt, mode);
  const ciphertext = run(
    'encrypt',
    mode,
    derived.key,
    derived.iv,
    pad(Buffer.from(plaintext, 'utf8')),
  );
  return base64NoPad(Buffer.concat([SALTED, salt, ciphertext]));
}

/**
 * Decrypts fwknop's base64 text (with the `U2FsdGVkX1` prefix) back to the plaintext. Throws a
 * SpaError when the data cannot be what fwknop encrypted; a wrong key usually shows later, as a
 * plaintext that does not start with 16 digits.
 */
export function decryptSpa(base64: string, key: Uint8Array, mode: EncryptionMode): string {
  const data = decodeBase64(base64);
  if (data === undefined) throw new SpaError('the encrypted data is not base64');
  if (data.length < 32 || !data.subarray(0, 8).equals(SALTED) || data.length % BLOCK !== 0) {
    throw new SpaError('the encrypted data is not Rijndael data from fwknop');
  }
  const salt = data.subarray(8, 16);
  const derived = deriveKeyAndIv(key, salt, mode);
  const plain = run('decrypt', mode, derived.key, derived.iv, data.subarray(16));
  // libfko removes the padding only when it is well-formed, and leaves the bytes otherwise.
  const count = plain[plain.length - 1] ?? 0;
  const padding = plain.subarray(plain.length - count);
  const unpadded =
    count >= 1 && count <= BLOCK && padding.every((byte) => byte === count)
      ? plain.subarray(0, plain.length - count)
      : plain;
  return unpadded.toString('latin1');
}
