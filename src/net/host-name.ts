import { ipVersion } from './ip-address.js';

/**
 * Checks what a person typed as a server's host: an IPv4 or IPv6 address (brackets allowed) or a
 * DNS name. Returns the host in the form the resolver wants, or a message that says what to fix.
 * It also keeps option-like values (`-oProxyCommand=…`) out of every command line Sesame builds.
 * Plain TypeScript without Node modules: the window's forms run the same check.
 */
export function checkHost(
  text: string,
): { ok: true; host: string } | { ok: false; message: string } {
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '') return { ok: false, message: 'the host is empty: give a name or an address' };
  if (ipVersion(host) !== 0) return { ok: true, host };
  if (host.length > 253) {
    return {
      ok: false,
      message: `"${shorten(text)}" is too long for a host name (253 characters at most)`,
    };
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  const labels = name.split('.');
  const labelOk = (label: string): boolean =>
    /^[a-zA-Z0-9_](?:[a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?$/.test(label);
  if (!labels.every(labelOk)) {
    return {
      ok: false,
      message: `"${shorten(text)}" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)`,
    };
  }
  if (/^[\d.]+$/.test(name)) {
    return { ok: false, message: `"${shorten(text)}" is not a valid IPv4 address` };
  }
  return { ok: true, host: name };
}

/** The typed text as a message shows it: shortened, and with no raw control character (a
 * newline in a log line or a terminal would let the text pass for something else). */
function shorten(text: string): string {
  const short = text.length > 64 ? `${text.slice(0, 61)}...` : text;
  return short.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
