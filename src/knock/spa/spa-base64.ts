/**
 * fwknop's base64: the standard alphabet (`+` and `/`), with the trailing `=` cut off wherever it
 * joins fields or packets (libfko strips them after every encode).
 */
export function base64NoPad(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return bytes.toString('base64').replace(/=+$/, '');
}

/** What fwknop accepts as base64 text: letters, digits, `+`, `/` and `=` (`is_base64`). */
export function looksLikeBase64(text: string): boolean {
  return /^[A-Za-z0-9+/=]+$/.test(text);
}

/**
 * Decodes base64 with or without its `=` padding. Returns undefined for text that is not base64,
 * rather than Node's habit of silently skipping characters it does not know.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const body = text.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) return undefined;
  return Buffer.from(body, 'base64');
}
