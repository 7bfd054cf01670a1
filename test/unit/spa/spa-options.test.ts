import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENCRYPTION_MODES } from '../../../src/knock/spa/spa-cipher.js';
import { DIGEST_TYPES } from '../../../src/knock/spa/spa-digest.js';
import { generateSpaKeys, formatKeyGen } from '../../../src/knock/spa/spa-keys.js';
import { spaOptionProblems, withSpaDefaults } from '../../../src/knock/spa/spa-option-rules.js';
import { spaOptionsSchema } from '../../../src/knock/spa/spa-options.js';
import { parseTimeOffset } from '../../../src/knock/spa/spa-time-offset.js';

describe('spaOptionsSchema', () => {
  it("fills in fwknop's defaults", () => {
    expect(spaOptionsSchema.parse({ access: [{ protocol: 'tcp', port: 22 }] })).toEqual({
      access: [{ protocol: 'tcp', port: 22 }],
      allowIp: { mode: 'resolve' },
      nat: { mode: 'none' },
      natRandPort: false,
      clientTimeout: 0,
      digestType: 'sha256',
      hmacDigestType: 'sha256',
      encryptionMode: 'cbc',
      transport: 'udp',
      serverPort: 62201,
      randPort: false,
      timeOffsetSeconds: 0,
      httpUserAgent: 'Fwknop/2.6.10',
    });
  });

  it('refuses what fwknopd cannot do, with a message for a person', () => {
    const issues = (input: object) =>
      spaOptionsSchema
        .safeParse({ access: [{ protocol: 'tcp', port: 22 }], ...input })
        .error?.issues.map((i) => i.message);
    expect(issues({ access: [] })).toHaveLength(1);
    expect(issues({ allowIp: { mode: 'address', address: '::1' } })).toEqual([
      'must be an IPv4 address',
    ]);
    expect(issues({ randPort: true, transport: 'http' })).toEqual([
      'a random server port works over UDP only (fwknopd listens on one TCP port)',
    ]);
    expect(issues({ natPort: 5000 })).toEqual([
      'a NAT port needs NAT access (-N host or --nat-local)',
    ]);
  });
});

describe('where the schema runs', () => {
  it('reaches no Node module, so it runs in the window as well', async () => {
    const { build } = await import('esbuild');
    // For the browser, esbuild fails on any node: import; zod itself stays outside.
    const result = await build({
      entryPoints: ['src/knock/spa/spa-options.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      external: ['zod'],
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]?.text).not.toMatch(/node:/);
  });
});

describe('the rules without zod, which the command uses', () => {
  const port = fc.integer({ min: 1, max: 65535 });
  const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  const input = fc.record({
    access: fc.array(fc.record({ protocol: fc.constantFrom('tcp', 'udp', 'icmp'), port }), {
      minLength: 1,
      maxLength: 3,
    }),
    allowIp: maybe(fc.constantFrom({ mode: 'source' as const }, { mode: 'resolve' as const })),
    nat: maybe(
      fc.oneof(
        fc.constant({ mode: 'none' as const }),
        fc.constant({ mode: 'local' as const }),
        fc.record({
          mode: fc.constant('forward' as const),
          host: fc.constantFrom('10.1.2.3', 'inner.example', 'bad host', ''),
          port: maybe(port),
        }),
      ),
    ),
    natPort: maybe(port),
    natRandPort: maybe(fc.boolean()),
    clientTimeout: maybe(fc.integer({ min: 0, max: 65536 })),
    digestType: maybe(fc.constantFrom(...DIGEST_TYPES)),
    hmacDigestType: maybe(fc.constantFrom(...DIGEST_TYPES)),
    encryptionMode: maybe(fc.constantFrom(...ENCRYPTION_MODES)),
    transport: maybe(fc.constantFrom('udp' as const, 'tcp' as const, 'http' as const)),
    serverPort: maybe(port),
    randPort: maybe(fc.boolean()),
    timeOffsetSeconds: maybe(fc.integer({ min: -1000, max: 1000 })),
    username: maybe(fc.constantFrom('alice', 'a:b', '')),
    httpUserAgent: maybe(fc.constantFrom('Fwknop/2.6.10', 'Fwknop x', 'é')),
  });

  it('accept and refuse exactly what spaOptionsSchema does, with the same defaults', () => {
    fc.assert(
      fc.property(input, (given) => {
        const parsed = spaOptionsSchema.safeParse(given);
        const options = withSpaDefaults(given);
        const problems = spaOptionProblems(options);
        expect(problems.length === 0).toBe(parsed.success);
        if (parsed.success) expect(options).toEqual(parsed.data);
        else {
          expect(parsed.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual(
            problems.map((p) => [p.path, p.message]),
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('keys and time offsets', () => {
  it('generates keys of the lengths fwknop --key-gen uses, printed as fwknop prints them', () => {
    const keys = generateSpaKeys({}, (size) => Buffer.alloc(size, 1));
    expect(keys.encryptionKey).toHaveLength(32);
    expect(keys.hmacKey).toHaveLength(64);
    expect(formatKeyGen(keys)).toBe(
      `KEY_BASE64: ${Buffer.alloc(32, 1).toString('base64')}\nHMAC_KEY_BASE64: ${Buffer.alloc(64, 1).toString('base64')}\n`,
    );
    expect(generateSpaKeys({ hmacDigestType: 'md5' }).hmacKey).toHaveLength(16);
    expect(generateSpaKeys({ hmacDigestType: 'sha384' }).hmacKey).toHaveLength(128);
  });

  it.each([
    ['90', 90],
    ['10min', 600],
    ['60sec', 60],
    ['2h', 7200],
    ['1days', 86_400],
  ])('reads the time offset %s', (text, seconds) => {
    expect(parseTimeOffset(text)).toBe(seconds);
  });

  it('takes a minus only where TIME_OFFSET allows one', () => {
    expect(parseTimeOffset('-5m', true)).toBe(-300);
    expect(() => parseTimeOffset('-5m')).toThrow('is not a time offset');
    expect(() => parseTimeOffset('5 weeks')).toThrow('is not a time offset');
  });
});
