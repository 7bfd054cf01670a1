import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatSequence,
  MAX_HITS,
  parseDelay,
  parseHit,
  parseSequence,
  parseSequenceWords,
  SequenceError,
  type Hit,
} from '../../../src/knock/sequence.js';

describe('parseSequence (knockd syntax)', () => {
  it('reads ports with TCP as the default protocol', () => {
    expect(parseSequence('7000,8000:udp,9000')).toEqual([
      { port: 7000, protocol: 'tcp' },
      { port: 8000, protocol: 'udp' },
      { port: 9000, protocol: 'tcp' },
    ]);
  });

  it('accepts spaces around hits, upper-case protocols and an explicit :tcp', () => {
    expect(parseSequence(' 1:TCP , 65535:Udp ')).toEqual([
      { port: 1, protocol: 'tcp' },
      { port: 65535, protocol: 'udp' },
    ]);
  });

  it('separates by whitespace as the command line does', () => {
    expect(parseSequence('7000 8000:udp\t9000')).toHaveLength(3);
  });

  it('uses the given default protocol where none is written', () => {
    expect(parseSequence('1,2:tcp', 'udp')).toEqual([
      { port: 1, protocol: 'udp' },
      { port: 2, protocol: 'tcp' },
    ]);
  });

  it.each([
    ['70000', '"70000" is not a port (1-65535)'],
    ['0', '"0" is not a port (1-65535)'],
    ['7000,-1', '"-1" is not a port (1-65535)'],
    ['7000,abc', '"abc" is not a port (1-65535)'],
    ['7000,80.5', '"80.5" is not a port (1-65535)'],
    ['7000,0x50', '"0x50" is not a port (1-65535)'],
    ['7000,8000:icmp', '"icmp" is not a protocol (tcp or udp)'],
    ['7000,8000:', '"" is not a protocol (tcp or udp)'],
    [':udp', '"" is not a port (1-65535)'],
    ['7000,,9000', 'a hit is empty (two commas in a row?)'],
    ['7000,', 'a hit is empty (two commas in a row?)'],
    ['', 'the sequence is empty: give at least one port'],
    ['   ', 'the sequence is empty: give at least one port'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parseSequence(text)).toThrow(new SequenceError(message));
  });

  it(`allows ${MAX_HITS} hits, knockd's limit, and refuses more`, () => {
    const ports = Array.from({ length: MAX_HITS + 1 }, (_, i) => 1000 + i);
    expect(parseSequence(ports.slice(0, MAX_HITS).join(','))).toHaveLength(MAX_HITS);
    expect(() => parseSequence(ports.join(','))).toThrow(
      `a sequence has at most 32 hits (knockd's limit); this one has 33`,
    );
  });

  it('reads command-line words, each a port or a list', () => {
    expect(parseSequenceWords(['7000', '8000:udp,9000'])).toEqual(
      parseSequence('7000,8000:udp,9000'),
    );
    expect(() => parseSequenceWords([])).toThrow('the sequence is empty');
    expect(() => parseSequenceWords(Array.from({ length: 33 }, () => '1'))).toThrow(
      'at most 32 hits',
    );
  });

  it('parses a single hit', () => {
    expect(parseHit('53:udp')).toEqual({ port: 53, protocol: 'udp' });
    expect(parseHit('22', 'udp')).toEqual({ port: 22, protocol: 'udp' });
  });
});

describe('formatSequence', () => {
  it('writes knockd syntax, leaving out the default TCP', () => {
    expect(
      formatSequence([
        { port: 7000, protocol: 'tcp' },
        { port: 8000, protocol: 'udp' },
      ]),
    ).toBe('7000,8000:udp');
  });

  it('round-trips every valid sequence', () => {
    const hit = fc.record<Hit>({
      port: fc.integer({ min: 1, max: 65535 }),
      protocol: fc.constantFrom('tcp', 'udp'),
    });
    fc.assert(
      fc.property(fc.array(hit, { minLength: 1, maxLength: MAX_HITS }), (hits) => {
        expect(parseSequence(formatSequence(hits))).toEqual(hits);
      }),
    );
  });

  it('never throws anything but a SequenceError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          parseSequence(text);
        } catch (error) {
          expect(error).toBeInstanceOf(SequenceError);
        }
      }),
    );
  });
});

describe('parseDelay', () => {
  it('reads milliseconds', () => {
    expect(parseDelay('0')).toBe(0);
    expect(parseDelay(' 250 ')).toBe(250);
  });

  it.each(['-5', 'abc', '1.5', '60001', ''])('refuses %j', (text) => {
    expect(() => parseDelay(text)).toThrow(`"${text}" is not a delay in milliseconds (0-60000)`);
  });
});
