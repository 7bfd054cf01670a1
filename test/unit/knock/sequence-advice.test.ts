import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adviseSequence,
  COMMON_SERVICE_PORTS,
  generateSequence,
} from '../../../src/knock/sequence-advice.js';
import { formatSequence, parseSequence } from '../../../src/knock/sequence.js';

const codes = (text: string) => adviseSequence(parseSequence(text)).map((advice) => advice.code);

describe('adviseSequence', () => {
  it('has nothing to say about a strong sequence', () => {
    expect(adviseSequence(parseSequence('31877,12034,48211,22950'))).toEqual([]);
  });

  it("names the article's scanner chain 20, 80, 443 for every reason it is weak", () => {
    expect(adviseSequence(parseSequence('20,80,443'))).toEqual([
      {
        code: 'well-known-port',
        message:
          'port 20, 80, 443 are well-known ports (below 1024): scanners and ordinary traffic reach them all the time',
      },
      {
        code: 'scanner-order',
        message:
          'the ports only go up, the order in which a port scanner sends them (like "20, 80, 443"): mix them',
      },
    ]);
  });

  it.each([
    ['31877', ['too-short']],
    ['31877,12034', ['too-short']],
    ['31877,12034,31877,22950', ['repeated-port']],
    ['40000,40001,40002', ['step-ports', 'scanner-order']],
    ['40300,40200,40100', ['step-ports']],
    ['31877,3306,48211', ['common-port']],
    ['7000,8000,9000', ['step-ports', 'common-port', 'scanner-order']],
    ['12000,31000,45000', ['scanner-order']],
    ['31877,12034:udp,48211', ['udp-hit']],
  ])('%s: %j', (text, expected) => {
    expect(codes(text)).toEqual(expected);
  });

  it('says why, in words', () => {
    expect(adviseSequence(parseSequence('31877,3389:udp,48211'))).toEqual([
      {
        code: 'common-port',
        message: 'port 3389 (RDP) is a common service port: scanners try it first',
      },
      {
        code: 'udp-hit',
        message:
          'UDP hit on 3389: UDP is easy to spoof and a lost datagram is never resent; TCP is safer',
      },
    ]);
    expect(adviseSequence(parseSequence('31877'))[0]?.message).toBe(
      'one hit is easy to stumble on: use at least 3, better 4 or more',
    );
  });

  it('never throws, whatever the hits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            port: fc.integer({ min: 1, max: 65535 }),
            protocol: fc.constantFrom('tcp' as const, 'udp' as const),
          }),
          { maxLength: 32 },
        ),
        (hits) => {
          for (const advice of adviseSequence(hits)) expect(advice.message).not.toBe('');
        },
      ),
    );
  });
});

describe('generateSequence', () => {
  it('makes 4 TCP hits by default that the advice finds nothing wrong with', () => {
    const hits = generateSequence();
    expect(hits).toHaveLength(4);
    expect(hits.every((hit) => hit.protocol === 'tcp')).toBe(true);
    expect(adviseSequence(hits)).toEqual([]);
  });

  it('always gives distinct, uncommon, unordered ports that read back as they were written', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 32 }),
        fc.constantFrom('tcp' as const, 'udp' as const),
        fc.infiniteStream(fc.integer({ min: 0, max: 0xffff_ffff })),
        (length, protocol, stream) => {
          const values = stream[Symbol.iterator]();
          const random = (array: Uint32Array) => {
            for (let i = 0; i < array.length; i += 1) array[i] = values.next().value as number;
            return array;
          };
          const hits = generateSequence({ length, protocol, random });
          const ports = hits.map((hit) => hit.port);
          expect(new Set(ports).size).toBe(length);
          expect(ports.every((port) => port >= 10_000 && port <= 65_000)).toBe(true);
          expect(ports.some((port) => COMMON_SERVICE_PORTS[port] !== undefined)).toBe(false);
          expect(adviseSequence(hits).filter((advice) => advice.code !== 'udp-hit')).toEqual([]);
          const steps = ports.slice(1).map((port, i) => port - (ports[i] ?? 0));
          expect(steps.every((step) => step > 0) || steps.every((step) => step < 0)).toBe(false);
          expect(parseSequence(formatSequence(hits))).toEqual(hits);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses lengths it cannot make strong', () => {
    expect(() => generateSequence({ length: 2 })).toThrow('a generated sequence has 3 to 32 hits');
    expect(() => generateSequence({ length: 33 })).toThrow('a generated sequence has 3 to 32 hits');
  });

  it('reaches no Node module, so the window can use it', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: ['src/knock/sequence-advice.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]?.text).not.toMatch(/node:/);
  });
});
