import { ProviderError } from './provider-error.js';

/**
 * The few bits of the DNS wire format (RFC 1035 §4) that asking "what is my address" needs: one
 * question out, the answer records of that question's type back. Written by hand because Node's
 * resolver cannot ask class CH (Cloudflare's `whoami.cloudflare`) and a provider's answers are
 * three record types in one small datagram.
 */
export const RECORD_TYPES = { A: 1, AAAA: 28, TXT: 16 } as const;
export const RECORD_CLASSES = { IN: 1, CH: 3 } as const;
export type RecordType = keyof typeof RECORD_TYPES;
export type RecordClass = keyof typeof RECORD_CLASSES;

const RCODES = ['no error', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];

export function encodeQuery(
  id: number,
  name: string,
  type: RecordType,
  recordClass: RecordClass,
): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  // Recursion not desired: the server asked is the authority for the name.
  header.writeUInt16BE(0x0000, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(RECORD_TYPES[type], 0);
  tail.writeUInt16BE(RECORD_CLASSES[recordClass], 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

function encodeName(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  const parts = labels.map((label) => {
    const bytes = Buffer.from(label, 'ascii');
    return Buffer.concat([Buffer.from([bytes.length]), bytes]);
  });
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/**
 * The data of every answer record of the asked type and class, as text: an address for A and
 * AAAA, the joined strings for TXT. Throws a ProviderError for a response that does not answer
 * the query (wrong ID, not a response, an error code, truncated, malformed).
 */
export function decodeAnswers(
  message: Buffer,
  id: number,
  type: RecordType,
  recordClass: RecordClass,
): string[] {
  try {
    return decode(message, id, type, recordClass);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    // A read past the end: the datagram is cut short or its lengths lie.
    throw new ProviderError('not-an-address', 'malformed DNS response');
  }
}

function decode(message: Buffer, id: number, type: RecordType, recordClass: RecordClass): string[] {
  if (message.length < 12) throw new ProviderError('not-an-address', 'malformed DNS response');
  if (message.readUInt16BE(0) !== id) {
    throw new ProviderError('not-an-address', 'DNS response for another query');
  }
  const flags = message.readUInt16BE(2);
  if ((flags & 0x8000) === 0) throw new ProviderError('not-an-address', 'not a DNS response');
  if ((flags & 0x0200) !== 0) throw new ProviderError('dns-error', 'DNS response truncated');
  const rcode = flags & 0x000f;
  if (rcode !== 0) {
    throw new ProviderError('dns-error', `DNS error ${RCODES[rcode] ?? `rcode ${rcode}`}`);
  }
  const questions = message.readUInt16BE(4);
  const answers = message.readUInt16BE(6);
  let offset = 12;
  for (let i = 0; i < questions; i += 1) offset = skipName(message, offset) + 4;
  const found: string[] = [];
  for (let i = 0; i < answers; i += 1) {
    offset = skipName(message, offset);
    const rrType = message.readUInt16BE(offset);
    const rrClass = message.readUInt16BE(offset + 2);
    const length = message.readUInt16BE(offset + 8);
    const data = message.subarray(offset + 10, offset + 10 + length);
    if (data.length !== length) throw new RangeError('record data cut short');
    offset += 10 + length;
    if (rrType !== RECORD_TYPES[type] || rrClass !== RECORD_CLASSES[recordClass]) continue;
    found.push(recordText(type, data));
  }
  return found;
}

function skipName(message: Buffer, start: number): number {
  let offset = start;
  for (;;) {
    const length = message.readUInt8(offset);
    if (length === 0) return offset + 1;
    // A compression pointer (two bytes) ends the name.
    if ((length & 0xc0) === 0xc0) return offset + 2;
    if ((length & 0xc0) !== 0) throw new RangeError('bad label');
    offset += 1 + length;
  }
}

function recordText(type: RecordType, data: Buffer): string {
  switch (type) {
    case 'A':
      if (data.length !== 4) throw new RangeError('bad A record');
      return [...data].join('.');
    case 'AAAA': {
      if (data.length !== 16) throw new RangeError('bad AAAA record');
      const groups = Array.from({ length: 8 }, (_, i) => data.readUInt16BE(i * 2).toString(16));
      return groups.join(':');
    }
    case 'TXT': {
      const strings: string[] = [];
      for (let offset = 0; offset < data.length;) {
        const length = data.readUInt8(offset);
        const text = data.subarray(offset + 1, offset + 1 + length);
        if (text.length !== length) throw new RangeError('TXT string cut short');
        strings.push(text.toString('utf8'));
        offset += 1 + length;
      }
      return strings.join('');
    }
  }
}
