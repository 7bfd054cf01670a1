import { describe, expect, it } from 'vitest';
import { decodeAnswers, encodeQuery } from '../../../../src/net/public-ip/dns-message.js';
import {
  addressRecord,
  decodeQuestion,
  type DnsQuestion,
  encodeResponse,
  txtRecord,
} from '../../../helpers/stand-ins/dns-wire.js';

// The stand-in's encoder is written apart from Sesame's decoder, and is itself checked against
// Node's own resolver (c-ares) in test/integration.
function questionOf(message: Buffer): DnsQuestion {
  const question = decodeQuestion(message);
  if (question === undefined) throw new Error('the stand-in cannot read the query');
  return question;
}

describe('encodeQuery', () => {
  it('writes one question, recursion not desired, as RFC 1035 lays it out', () => {
    expect(encodeQuery(0x1234, 'myip.opendns.com', 'A', 'IN').toString('hex')).toBe(
      [
        '1234', // ID
        '0000', // a standard query; RD off: the server asked is the authority
        '0001', // one question
        '000000000000', // no answers, authority or additional records
        '046d796970', // "myip"
        '076f70656e646e73', // "opendns"
        '03636f6d00', // "com", root
        '0001', // type A
        '0001', // class IN
      ].join(''),
    );
  });

  it('asks TXT of class CH, with or without the final dot', () => {
    const question = questionOf(encodeQuery(7, 'whoami.cloudflare.', 'TXT', 'CH'));
    expect(question).toMatchObject({ id: 7, name: 'whoami.cloudflare', type: 16, class: 3 });
  });
});

describe('decodeAnswers', () => {
  const a = encodeQuery(0x4242, 'myip.test', 'A', 'IN');
  const qa = questionOf(a);

  it('reads A, AAAA and TXT records, skipping records of other types', () => {
    const response = encodeResponse(qa, [
      addressRecord('2a02:1388::7'),
      addressRecord('81.2.69.142'),
      addressRecord('81.2.69.143'),
    ]);
    expect(decodeAnswers(response, 0x4242, 'A', 'IN')).toEqual(['81.2.69.142', '81.2.69.143']);
    const aaaa = questionOf(encodeQuery(1, 'myip.test', 'AAAA', 'IN'));
    expect(
      decodeAnswers(encodeResponse(aaaa, [addressRecord('2a02:1388::7')]), 1, 'AAAA', 'IN'),
    ).toEqual(['2a02:1388:0:0:0:0:0:7']);
  });

  it('joins the strings of a TXT record, and skips records of another class', () => {
    const txt = questionOf(encodeQuery(9, 'o-o.myaddr.l.google.com', 'TXT', 'IN'));
    const split = Buffer.concat([
      Buffer.from([4]),
      Buffer.from('81.2'),
      Buffer.from([7]),
      Buffer.from('.69.142'),
    ]);
    const response = encodeResponse(txt, [{ type: 16, data: split }]);
    expect(decodeAnswers(response, 9, 'TXT', 'IN')).toEqual(['81.2.69.142']);
    expect(decodeAnswers(response, 9, 'TXT', 'CH')).toEqual([]);
  });

  it('reads an owner name written out in full, not only as a pointer', () => {
    const response = encodeResponse(qa, [txtRecord('x')]);
    const full = Buffer.concat([
      response.subarray(0, 12 + qa.raw.length),
      qa.raw.subarray(0, qa.raw.length - 4), // the name again, uncompressed
      Buffer.from([0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 81, 2, 69, 142]),
    ]);
    expect(decodeAnswers(full, 0x4242, 'A', 'IN')).toEqual(['81.2.69.142']);
  });

  it.each([
    ['another ID', (r: Buffer) => r.writeUInt16BE(0x9999, 0), 'DNS response for another query'],
    ['a query, not a response', (r: Buffer) => r.writeUInt16BE(0x0000, 2), 'not a DNS response'],
    ['truncated (TC)', (r: Buffer) => r.writeUInt16BE(0x8600, 2), 'DNS response truncated'],
    ['NXDOMAIN', (r: Buffer) => r.writeUInt16BE(0x8403, 2), 'DNS error NXDOMAIN'],
    ['REFUSED', (r: Buffer) => r.writeUInt16BE(0x8405, 2), 'DNS error REFUSED'],
    ['rcode 9', (r: Buffer) => r.writeUInt16BE(0x8409, 2), 'DNS error rcode 9'],
    ['more records than bytes', (r: Buffer) => r.writeUInt16BE(2, 6), 'malformed DNS response'],
  ])('refuses a response with %s', (_, spoil, message) => {
    const response = encodeResponse(qa, [addressRecord('81.2.69.142')]);
    spoil(response);
    expect(() => decodeAnswers(response, 0x4242, 'A', 'IN')).toThrow(message);
  });

  it('refuses an A record whose data is not four bytes', () => {
    const response = encodeResponse(qa, [{ type: 1, data: Buffer.from([1, 2, 3]) }]);
    expect(() => decodeAnswers(response, 0x4242, 'A', 'IN')).toThrow('malformed DNS response');
  });

  it('refuses a message shorter than a header', () => {
    expect(() => decodeAnswers(Buffer.from('hi'), 0x4242, 'A', 'IN')).toThrow(
      'malformed DNS response',
    );
  });
});
