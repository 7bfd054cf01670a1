import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { z } from 'zod';
import { MAX_PASSPHRASE_LENGTH, MIN_PASSPHRASE_LENGTH } from './passphrase-rules.js';

/**
 * The passphrase encryption of exported secrets: scrypt derives 64 bytes from the passphrase and
 * a random salt; the first 32 are an AES-256-GCM key, the last 32 make a check value that tells a
 * wrong passphrase apart from a changed file. GCM authenticates the ciphertext and the "additional
 * data" the caller gives (the export's non-secret part), so a file changed anywhere is refused.
 *
 * Parameters: scrypt N = 2^17, r = 8, p = 1 (128 MiB, OWASP's recommendation for scrypt), a
 * 16-byte salt, a 12-byte IV, a 16-byte tag. They are stored with the data, so later versions can
 * raise them; a file may ask for N from 2^15 to 2^20, r up to 16, p up to 4, and no more, so a
 * crafted file cannot make Sesame spend gigabytes.
 */

export const SCRYPT_DEFAULTS = { N: 2 ** 17, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CHECK_LABEL = 'Sesame export passphrase check';

const base64 = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, `${what} is not base64`)
    .refine((text) => Buffer.from(text, 'base64').length === bytes, `${what} has the wrong length`);

export const sealedSchema = z.strictObject({
  kdf: z.strictObject({
    name: z.literal('scrypt', { error: 'the key derivation must be scrypt' }),
    N: z
      .number()
      .int()
      .min(2 ** 15, 'scrypt N is at least 2^15')
      .max(2 ** 20, 'scrypt N is at most 2^20')
      .refine((n) => (n & (n - 1)) === 0, 'scrypt N is a power of 2'),
    r: z.number().int().min(1).max(16),
    p: z.number().int().min(1).max(4),
    salt: base64(SALT_BYTES, 'the salt'),
  }),
  cipher: z.strictObject({
    name: z.literal('aes-256-gcm', { error: 'the cipher must be aes-256-gcm' }),
    iv: base64(IV_BYTES, 'the IV'),
    tag: base64(TAG_BYTES, 'the tag'),
  }),
  /** HMAC-SHA256 of a fixed label under the second half of the derived key. */
  check: base64(32, 'the check value'),
  data: z
    .string()
    .max(4 * 1024 * 1024)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'the data is not base64'),
});
export type Sealed = z.output<typeof sealedSchema>;

export type SealFailure = 'wrong-passphrase' | 'tampered';

export class SealError extends Error {
  constructor(
    readonly reason: SealFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SealError';
  }
}

export function checkNewPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new RangeError(
      `the passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters (a few random words are best)`,
    );
  }
  if (passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw new RangeError(
      `the passphrase is too long (${MAX_PASSPHRASE_LENGTH} characters at most)`,
    );
  }
}

function derive(
  passphrase: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // scrypt needs 128 * N * r bytes; Node refuses more than 32 MiB unless told.
    const maxmem = 128 * params.N * params.r + 1024 * 1024;
    scrypt(passphrase.normalize('NFC'), salt, 64, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

const checkValue = (key: Buffer): Buffer =>
  createHmac('sha256', key.subarray(32)).update(CHECK_LABEL).digest();

/** Encrypts `plaintext`, binding `additionalData` to it. */
export async function seal(
  plaintext: string,
  passphrase: string,
  additionalData: string,
  params: { N: number; r: number; p: number } = SCRYPT_DEFAULTS,
): Promise<Sealed> {
  checkNewPassphrase(passphrase);
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const key = await derive(passphrase, salt, params);
  const cipher = createCipheriv('aes-256-gcm', key.subarray(0, 32), iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    kdf: { name: 'scrypt', ...params, salt: salt.toString('base64') },
    cipher: {
      name: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    },
    check: checkValue(key).toString('base64'),
    data: data.toString('base64'),
  };
}

/** Decrypts; a wrong passphrase or any change to the data or the additional data is a SealError. */
export async function open(
  sealed: Sealed,
  passphrase: string,
  additionalData: string,
): Promise<string> {
  const { N, r, p, salt } = sealed.kdf;
  const key = await derive(passphrase, Buffer.from(salt, 'base64'), { N, r, p });
  const check = Buffer.from(sealed.check, 'base64');
  if (!timingSafeEqual(check, checkValue(key))) {
    throw new SealError(
      'wrong-passphrase',
      'the passphrase is wrong: nothing was imported (try again; it is the one given at export)',
    );
  }
  const decipher = createDecipheriv(
    'aes-256-gcm',
    key.subarray(0, 32),
    Buffer.from(sealed.cipher.iv, 'base64'),
    { authTagLength: TAG_BYTES },
  );
  decipher.setAAD(Buffer.from(additionalData, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.cipher.tag, 'base64'));
  try {
    return Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new SealError(
      'tampered',
      'the file was changed after it was exported (its contents no longer match its seal): nothing was imported',
    );
  }
}
