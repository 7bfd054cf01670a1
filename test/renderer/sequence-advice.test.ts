import { describe, expect, it } from 'vitest';
import { parseSequence } from '../../src/knock/sequence.js';
import {
  adviseSequence,
  generateSequence,
  SCANNED_PORTS,
} from '../../renderer/src/servers/form/sequence-advice.js';

const kinds = (text: string) => adviseSequence(parseSequence(text)).map((advice) => advice.kind);

describe('sequence advice, after the article', () => {
  it('warns about a port scanner\'s sequence such as "20, 80, 443"', () => {
    expect(kinds('20,80,443')).toEqual(['well-known', 'scanner']);
  });

  it.each([
    ['7000', ['short']],
    ['7000,9000', ['short']],
    ['7000,7001,9312', ['sequential']],
    ['11000,12000,13000', ['sequential']],
    ['9000,8000,7000', ['sequential']],
    ['7000,9313,7000', ['repeated']],
    ['7000,9313:udp,4127', ['udp']],
    ['4127,22,9313', ['well-known']],
    ['4127,8080,9313,3306', ['scanner']],
  ])('%s gets %j', (text, expected) => {
    expect(kinds(text)).toEqual(expected);
  });

  it('has nothing to say about a good sequence, or an empty one', () => {
    expect(kinds('4127,9313,2871,15220')).toEqual([]);
    expect(adviseSequence([])).toEqual([]);
  });

  it('generates strong sequences: TCP, distinct ports above 1024, no scanner favourites, no advice', () => {
    for (let round = 0; round < 200; round += 1) {
      const hits = generateSequence();
      expect(hits).toHaveLength(5);
      expect(new Set(hits.map((hit) => hit.port)).size).toBe(5);
      for (const hit of hits) {
        expect(hit.protocol).toBe('tcp');
        expect(hit.port).toBeGreaterThanOrEqual(1024);
        expect(hit.port).toBeLessThanOrEqual(65535);
        expect(SCANNED_PORTS.has(hit.port)).toBe(false);
      }
      expect(adviseSequence(hits)).toEqual([]);
    }
  });

  it('draws again when the random ports make a weak sequence', () => {
    // 1024+7000, +7001, … would be sequential; the next draws are not.
    const draws = [7000, 7001, 7002, 7003, 7004, 100, 9000, 3000, 40_000, 12_345];
    let i = 0;
    const hits = generateSequence(5, () => draws[i++ % draws.length] ?? 0);
    expect(hits.map((hit) => hit.port)).toEqual([1124, 10024, 4024, 41024, 13369]);
  });
});
