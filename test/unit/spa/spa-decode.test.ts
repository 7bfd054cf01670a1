import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EncryptionMode, parseEncryptionMode } from '../../../src/knock/spa/spa-cipher.js';
import { type DigestType, parseDigestType } from '../../../src/knock/spa/spa-digest.js';
import { decodeSpaPacket } from '../../../src/knock/spa/spa-decode.js';
import { keyFromBase64, keyFromPassphrase } from '../../../src/knock/spa/spa-keys.js';

/**
 * Packets made by Debian's fwknop 2.6.10 (`fwknop --test -v`, see the fixture's `args`): Sesame's
 * decoder must open every one of them with the same keys, in every encryption mode, digest and
 * HMAC type. The decoder shares its layers with the builder, so this checks both against fwknop.
 */
interface Fixture {
  readonly name: string;
  readonly args: readonly string[];
  readonly encoded: string;
  readonly digest: string;
  readonly wire: string;
}
const fixtures = (
  JSON.parse(
    readFileSync(new URL('fixtures/fwknop-2.6.10-packets.json', import.meta.url), 'utf8'),
  ) as { packets: Fixture[] }
).packets;

function argument(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function keysAndOptions(args: readonly string[]) {
  const passphrase = argument(args, '--key-rijndael');
  const key64 = argument(args, '--key-base64-rijndael');
  const hmac = argument(args, '--key-hmac');
  const hmac64 = argument(args, '--key-base64-hmac');
  const encryptionKey = passphrase
    ? keyFromPassphrase(passphrase)
    : keyFromBase64(key64 ?? '', 'key');
  const hmacKey = hmac
    ? keyFromPassphrase(hmac)
    : hmac64
      ? keyFromBase64(hmac64, 'hmac key')
      : undefined;
  const mode: EncryptionMode = parseEncryptionMode(argument(args, '-M') ?? 'cbc') ?? 'cbc';
  const hmacDigestType: DigestType =
    parseDigestType(argument(args, '--hmac-digest-type') ?? 'sha256') ?? 'sha256';
  return { keys: { encryptionKey, hmacKey }, options: { encryptionMode: mode, hmacDigestType } };
}

describe('Sesame opens every packet fwknop 2.6.10 made', () => {
  it('has the packets', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const { keys, options } = keysAndOptions(fixture.args);
    const decoded = decodeSpaPacket(fixture.wire, keys, options);
    expect(decoded.encoded).toBe(fixture.encoded);
    expect(decoded.digest).toBe(fixture.digest);
    expect(decoded.fields.username).toBe('alice');
    const digest = argument(fixture.args, '-m');
    expect(decoded.digestType).toBe(digest ?? 'sha256');
  });

  it('reads the NAT, local NAT and timeout fields as fwknop wrote them', () => {
    const byName = (name: string) => {
      const fixture = fixtures.find((f) => f.name === name);
      if (!fixture) throw new Error(`no fixture ${name}`);
      const { keys, options } = keysAndOptions(fixture.args);
      return decodeSpaPacket(fixture.wire, keys, options).fields;
    };
    expect(byName('NAT access')).toMatchObject({
      messageType: 2,
      message: '203.0.113.5,tcp/22',
      natAccess: '192.168.10.2,2222',
    });
    expect(byName('NAT access with timeout and NAT port')).toMatchObject({
      messageType: 4,
      message: '203.0.113.5,tcp/55000',
      natAccess: '192.168.10.2,22',
      clientTimeout: 60,
    });
    expect(byName('local NAT')).toMatchObject({
      messageType: 5,
      message: '203.0.113.5,tcp/2222',
      natAccess: '127.0.0.1,22',
    });
    expect(byName('local NAT with timeout')).toMatchObject({ messageType: 6, clientTimeout: 90 });
    expect(byName('client timeout')).toMatchObject({ messageType: 3, clientTimeout: 45 });
    expect(byName('base64 keys')).toMatchObject({ message: '0.0.0.0,tcp/22' });
  });
});

describe('the decoder refuses what fwknopd refuses, and says why', () => {
  const fixture = fixtures[0];
  if (!fixture) throw new Error('no fixtures');
  const { keys, options } = keysAndOptions(fixture.args);

  it('a wrong HMAC key', () => {
    expect(() =>
      decodeSpaPacket(fixture.wire, { ...keys, hmacKey: keyFromPassphrase('other') }, options),
    ).toThrow(expect.objectContaining({ failure: 'hmac' }));
  });

  it('a wrong encryption key', () => {
    expect(() =>
      decodeSpaPacket(
        fixture.wire,
        { ...keys, encryptionKey: keyFromPassphrase('wrongkey') },
        options,
      ),
    ).toThrow(expect.objectContaining({ failure: 'decrypt' }));
  });

  it('the wrong encryption mode', () => {
    expect(() =>
      decodeSpaPacket(fixture.wire, keys, { ...options, encryptionMode: 'ctr' }),
    ).toThrow(expect.objectContaining({ failure: 'decrypt' }));
  });

  it('a packet that carries the prefix fwknop leaves out, or is too short', () => {
    expect(() => decodeSpaPacket(`U2FsdGVkX1${fixture.wire}`, keys, options)).toThrow(
      expect.objectContaining({ failure: 'prefix' }),
    );
    expect(() => decodeSpaPacket(fixture.wire.slice(0, 100), keys, options)).toThrow(
      expect.objectContaining({ failure: 'length' }),
    );
  });
});
