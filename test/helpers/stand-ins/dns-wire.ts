/**
 * The server side of the DNS wire format (RFC 1035 §4), written apart from Sesame's own client
 * (src/net/public-ip/dns-message.ts) so that a mistake in one is not mirrored in the other; the
 * integration tests also check this side against Node's own resolver (c-ares).
 */
export interface DnsQuestion {
  readonly id: number;
  readonly flags: number;
  readonly name: string;
  readonly type: number;
  readonly class: number;
  /** The question section as received, echoed back in the response. */
  readonly raw: Buffer;
}

export const TYPE_A = 1;
export const TYPE_AAAA = 28;
export const TYPE_TXT = 16;

/** Reads the first question of a query; undefined when the message is not a query we can read. */
export function decodeQuestion(message: Buffer): DnsQuestion | undefined {
  if (message.length < 12 || message.readUInt16BE(4) < 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < message.length) {
    const length = message[offset] ?? 0;
    if (length === 0) break;
    if (length > 63) return undefined;
    labels.push(message.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += 1 + length;
  }
  const end = offset + 1 + 4;
  if (end > message.length) return undefined;
  return {
    id: message.readUInt16BE(0),
    flags: message.readUInt16BE(2),
    name: labels.join('.'),
    type: message.readUInt16BE(offset + 1),
    class: message.readUInt16BE(offset + 3),
    raw: message.subarray(12, end),
  };
}

export interface DnsRecord {
  readonly type: number;
  readonly data: Buffer;
}

/** A response to `question` with these answer records (owner name: a pointer to the question). */
export function encodeResponse(
  question: DnsQuestion,
  records: readonly DnsRecord[],
  rcode = 0,
): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(question.id, 0);
  // QR, authoritative answer, the query's RD bit echoed.
  header.writeUInt16BE(0x8400 | (question.flags & 0x0100) | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const answers = records.map((record) => {
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0);
    fixed.writeUInt16BE(record.type, 2);
    fixed.writeUInt16BE(question.class, 4);
    fixed.writeUInt32BE(0, 6);
    fixed.writeUInt16BE(record.data.length, 10);
    return Buffer.concat([fixed, record.data]);
  });
  return Buffer.concat([header, question.raw, ...answers]);
}

/** A record's data for an address: A for IPv4, AAAA for IPv6. */
export function addressRecord(address: string): DnsRecord {
  if (!address.includes(':')) {
    return { type: TYPE_A, data: Buffer.from(address.split('.').map(Number)) };
  }
  const [head = '', tail = ''] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = address.includes('::') ? groups(tail) : [];
  const middle = Array<string>(8 - left.length - right.length).fill('0');
  const all = [...left, ...middle, ...right];
  const data = Buffer.alloc(16);
  all.forEach((group, i) => data.writeUInt16BE(parseInt(group, 16), i * 2));
  return { type: TYPE_AAAA, data };
}

/** A TXT record holding one string, as Google's and Cloudflare's answers do. */
export function txtRecord(text: string): DnsRecord {
  const bytes = Buffer.from(text, 'utf8');
  return { type: TYPE_TXT, data: Buffer.concat([Buffer.from([bytes.length]), bytes]) };
}
