import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spaOptionsFrom } from '../../../src/cli/spa-args.js';
import { parseFwknoprc } from '../../../src/formats/fwknoprc.js';
import { resolveFwknoprc } from '../../../src/formats/fwknoprc-settings.js';
import {
  formatFwknoprcStanza,
  fwknoprcEntries,
  putFwknoprcStanza,
} from '../../../src/formats/fwknoprc-writer.js';
import { ENCRYPTION_MODES } from '../../../src/knock/spa/spa-cipher.js';
import { DIGEST_TYPES } from '../../../src/knock/spa/spa-digest.js';
import { spaOptionsSchema } from '../../../src/knock/spa/spa-options.js';

const KEYS = {
  encryptionKey: new Uint8Array(Buffer.alloc(32, 1)),
  hmacKey: new Uint8Array(Buffer.alloc(64, 2)),
};

describe('writing a ~/.fwknoprc stanza', () => {
  it("uses fwknop's layout and key order, keys as base64, defaults left out", () => {
    const options = spaOptionsSchema.parse({
      access: [{ protocol: 'tcp', port: 22 }],
      allowIp: { mode: 'address', address: '203.0.113.9' },
      hmacDigestType: 'sha512',
      clientTimeout: 60,
    });
    const text = formatFwknoprcStanza(
      'door',
      fwknoprcEntries({ server: 'server.example', options, keys: KEYS }),
    );
    expect(text).toBe(
      [
        '[door]',
        'FW_TIMEOUT                  60',
        'ALLOW_IP                    203.0.113.9',
        'ACCESS                      tcp/22',
        'SPA_SERVER                  server.example',
        `KEY_BASE64                  ${Buffer.alloc(32, 1).toString('base64')}`,
        'HMAC_DIGEST_TYPE            SHA512',
        `HMAC_KEY_BASE64             ${Buffer.alloc(64, 2).toString('base64')}`,
        'USE_HMAC                    Y',
        '',
      ].join('\n'),
    );
  });

  it('refuses a value fwknop would read cut short, and a bad stanza name', () => {
    const options = spaOptionsSchema.parse({
      access: [{ protocol: 'tcp', port: 22 }],
      httpUserAgent: 'Fwknop/2.6.10 (Sesame)',
    });
    expect(() => fwknoprcEntries({ server: 'h', options, keys: KEYS })).toThrow(
      'HTTP_USER_AGENT cannot be written to ~/.fwknoprc: fwknop reads a value only up to a blank, ";" or "#"',
    );
    expect(() => formatFwknoprcStanza('a]b', [])).toThrow(
      '"a]b" cannot be a stanza name (no "]", no line breaks)',
    );
  });
});

describe('putting a stanza into a file', () => {
  const door = '[door]\nACCESS                      tcp/22\n';

  it('appends a new stanza after a blank line, and starts an empty file', () => {
    expect(putFwknoprcStanza('', 'door', door)).toBe(door);
    expect(putFwknoprcStanza('[default]\nVERBOSE Y\n', 'door', door)).toBe(
      `[default]\nVERBOSE Y\n\n${door}`,
    );
  });

  it('replaces the stanza of that name in place and keeps every other line', () => {
    const before =
      '# my servers\n[default]\nVERBOSE Y\n\n[DOOR]\nACCESS tcp/80\nSPA_SERVER old\n# the next one is at home\n[home]\nACCESS tcp/22\n';
    expect(putFwknoprcStanza(before, 'door', door)).toBe(
      `# my servers\n[default]\nVERBOSE Y\n\n${door}# the next one is at home\n[home]\nACCESS tcp/22\n`,
    );
  });

  it('replaces a stanza that holds keys only when forced, as fwknop asks first', () => {
    const before = '[door]\nKEY_BASE64 AAAA\n';
    expect(() => putFwknoprcStanza(before, 'door', door)).toThrow(
      'the stanza [door] exists and holds keys: add --force-stanza to replace it',
    );
    expect(putFwknoprcStanza(before, 'door', door, { force: true })).toBe(door);
  });
});

describe('what Sesame writes, it reads back the same', () => {
  const port = fc.integer({ min: 1, max: 65535 });
  const options = fc
    .record({
      access: fc.array(fc.record({ protocol: fc.constantFrom('tcp', 'udp', 'icmp'), port }), {
        minLength: 1,
        maxLength: 4,
      }),
      allowIp: fc.oneof(
        fc.constant({ mode: 'source' as const }),
        fc.constant({ mode: 'resolve' as const }),
        fc
          .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
          .map((parts) => ({ mode: 'address' as const, address: parts.join('.') })),
      ),
      clientTimeout: fc.integer({ min: 0, max: 65536 }),
      digestType: fc.constantFrom(...DIGEST_TYPES),
      hmacDigestType: fc.constantFrom(...DIGEST_TYPES),
      encryptionMode: fc.constantFrom(...ENCRYPTION_MODES),
      transport: fc.constantFrom('udp', 'tcp', 'http'),
      serverPort: port,
      timeOffsetSeconds: fc.integer({ min: -86_400, max: 86_400 }),
      username: fc.option(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), { nil: undefined }),
      nat: fc.oneof(
        fc.constant({ mode: 'none' as const }),
        fc.constant({ mode: 'local' as const }),
        fc.record({ mode: fc.constant('forward' as const), host: fc.constant('10.1.2.3'), port }),
      ),
      natPort: fc.option(port, { nil: undefined }),
    })
    .map((input) => {
      const nat = input.nat.mode !== 'none';
      return spaOptionsSchema.parse({
        ...input,
        access: nat ? input.access.slice(0, 1) : input.access,
        natPort: nat ? input.natPort : undefined,
      });
    });

  it('writes and reads back any door, options and keys alike', () => {
    fc.assert(
      fc.property(options, fc.uint8Array({ minLength: 1, maxLength: 32 }), (door, key) => {
        const keys =
          door.encryptionMode === 'legacy'
            ? { encryptionKey: key }
            : { ...KEYS, encryptionKey: key };
        const text = formatFwknoprcStanza(
          'door',
          fwknoprcEntries({ server: 'spa.example', options: door, keys }),
        );
        const { settings, issues } = resolveFwknoprc(parseFwknoprc(text), 'rc', 'door');
        expect(issues).toEqual([]);
        expect(settings.server).toBe('spa.example');
        expect(spaOptionsFrom({}, settings)).toEqual(door);
        expect(Buffer.from(settings.encryptionKey?.bytes ?? []).equals(Buffer.from(key))).toBe(
          true,
        );
      }),
      { numRuns: 200 },
    );
  });
});
