/**
 * IP address syntax without Node's `net` module, so the schemas that use it also run in the
 * window's renderer (a browser). Same answers as `net.isIP` for the forms people type.
 */

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return (
    parts.length === 4 && parts.every((part) => /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(part))
  );
}

export function isIPv6(text: string): boolean {
  // A zone (fe80::1%eth0) names a local interface; it is fine after the address.
  const [address = '', zone] = text.split('%');
  if (zone !== undefined && !/^[\w.-]+$/.test(zone)) return false;
  let groups = address;
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.')) {
    // An embedded IPv4 address (::ffff:192.0.2.1) counts as two groups.
    if (!isIPv4(address.slice(lastColon + 1))) return false;
    groups = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const hex = (part: string): boolean => /^[0-9a-fA-F]{1,4}$/.test(part);
  const count = (half: string | undefined): number | undefined => {
    if (half === undefined || half === '') return 0;
    const parts = half.split(':');
    return parts.every(hex) ? parts.length : undefined;
  };
  const head = count(halves[0]);
  const tail = count(halves[1]);
  if (head === undefined || tail === undefined) return false;
  return halves.length === 2 ? head + tail <= 7 : head === 8;
}

/** 4, 6, or 0 when the text is not an IP address: like `net.isIP`. */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (isIPv4(text)) return 4;
  if (isIPv6(text)) return 6;
  return 0;
}
