import { checkSpaKeys, keyFromBase64, type SpaKeys } from '../knock/spa/spa-keys.js';
import type { SpaMethod } from './server-profile.js';
import type { SpaSecret } from './server-secret.js';

/** The keys of a stored SPA secret as bytes, checked against the door's encryption mode. */
export function spaKeysOf(secret: SpaSecret, method: SpaMethod): SpaKeys {
  const encryptionKey = keyFromBase64(secret.encryptionKeyBase64, 'the encryption key');
  const hmacKey =
    secret.hmacKeyBase64 === undefined
      ? undefined
      : keyFromBase64(secret.hmacKeyBase64, 'the HMAC key');
  const keys: SpaKeys = hmacKey === undefined ? { encryptionKey } : { encryptionKey, hmacKey };
  checkSpaKeys(keys, method.encryptionMode);
  return keys;
}

/** How a pair of keys is stored: their bytes in base64. */
export function spaSecretOf(keys: SpaKeys): SpaSecret {
  const encode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  return {
    kind: 'spa',
    encryptionKeyBase64: encode(keys.encryptionKey),
    ...(keys.hmacKey !== undefined && { hmacKeyBase64: encode(keys.hmacKey) }),
  };
}
