import type { SpaSecret } from '../servers/server-secret.js';

/**
 * The text fwknop's mobile clients read from a QR code to fill in a door's keys: fields separated
 * by one space, each NAME:value, as Fwknop2 for Android parses a scan (split on " ", then on ":")
 * and OpenWrt's fwknopd package makes them: `KEY_BASE64:<key> HMAC_KEY_BASE64:<hmac key>`.
 * It holds the keys in clear, by design: whoever sees it can open the door.
 */
export function fwknopKeysText(secret: SpaSecret): string {
  const fields = [`KEY_BASE64:${secret.encryptionKeyBase64}`];
  if (secret.hmacKeyBase64 !== undefined) fields.push(`HMAC_KEY_BASE64:${secret.hmacKeyBase64}`);
  return fields.join(' ');
}
