import { describe, expect, it } from 'vitest';
import { deriveKeyAndIv, encryptSpa } from '../../../src/knock/spa/spa-cipher.js';
import { digestBase64, hmacBase64 } from '../../../src/knock/spa/spa-digest.js';
import { keyFromPassphrase } from '../../../src/knock/spa/spa-keys.js';
import { encodeSpaFields, type SpaFields } from '../../../src/knock/spa/spa-message.js';
import { buildSpaPacket } from '../../../src/knock/spa/spa-packet.js';

// The worked example of the protocol notes (A9). The ciphertext was produced by
// `openssl enc -aes-256-cbc -md md5 -S 0102030405060708 -pass pass:fwknoptest`, the HMAC by
// `openssl dgst -sha256 -hmac hmactest`: values from outside Sesame's own code.
const FIELDS: SpaFields = {
  randomValue: '1234567890123456',
  username: 'alice',
  timestamp: 1_700_000_000,
  version: '3.0.0',
  messageType: 1,
  message: '203.0.113.5,tcp/22',
};
const SALT = Buffer.from('0102030405060708', 'hex');
const ENCODED = '1234567890123456:YWxpY2U:1700000000:3.0.0:1:MjAzLjAuMTEzLjUsdGNwLzIy';
const DIGEST = '0ITq2d2mwbtO7zhjHTiOaI3e31Xe6ivVMz/ioqXhNo8';
const ENCRYPTED =
  'U2FsdGVkX18BAgMEBQYHCHYP9psdAxxVFsFlEBLPg4lUNSwH/4cFuYtC7JJDokwlYWpjgfqFryoshrjudU8CbF165CfRkUDlwjaRdTMKMyhzZ8j8FslORO5Gqpu3cqxi7+IiUBOA1AEex9GZmUZ5F9KFRRVyVEyj1iiH1BdZzto4DRkCpSdA5BbMNd+aIMDj';
const HMAC = 'pGV7pjsLAB37JvRhWv/R7WwjFIESP1mGsuAsRKkL330';
const KEYS = {
  encryptionKey: keyFromPassphrase('fwknoptest'),
  hmacKey: keyFromPassphrase('hmactest'),
};

describe('the SPA packet, layer by layer, against the worked example', () => {
  it('encodes the fields in order, base64 without padding', () => {
    expect(encodeSpaFields(FIELDS)).toBe(ENCODED);
  });

  it('digests the encoded fields with SHA-256', () => {
    expect(digestBase64('sha256', ENCODED)).toBe(DIGEST);
  });

  it("derives key and IV like OpenSSL's EVP_BytesToKey with MD5", () => {
    const { key, iv } = deriveKeyAndIv(KEYS.encryptionKey, SALT);
    expect(key.toString('hex')).toBe(
      'ebe462fe5be052f4611bbb47b9e7c48bd8b947d85052411f55c16f0e4e04a5ff',
    );
    expect(iv.toString('hex')).toBe('48926d083e8525f9424a6bdaec95c20c');
  });

  it('encrypts encoded:digest (112 bytes, padded to 128) behind the Salted__ header', () => {
    const plaintext = `${ENCODED}:${DIGEST}`;
    expect(plaintext).toHaveLength(112);
    expect(encryptSpa(plaintext, KEYS.encryptionKey, SALT, 'cbc')).toBe(ENCRYPTED);
  });

  it('computes the HMAC over the base64 text with its U2FsdGVkX1 prefix', () => {
    expect(hmacBase64('sha256', KEYS.hmacKey, ENCRYPTED)).toBe(HMAC);
  });

  it('puts it together: the wire leaves out the prefix and appends the HMAC (225 characters)', () => {
    const packet = buildSpaPacket({
      fields: FIELDS,
      keys: KEYS,
      digestType: 'sha256',
      hmacDigestType: 'sha256',
      encryptionMode: 'cbc',
      salt: SALT,
    });
    expect(packet.wire).toBe(`${ENCRYPTED.slice(10)}${HMAC}`);
    expect(packet.wire).toHaveLength(225);
    expect(packet.wire.startsWith('8BAgMEBQYHCHYP9psd')).toBe(true);
    expect(packet).toMatchObject({ encoded: ENCODED, digest: DIGEST, hmac: HMAC });
  });

  it('leaves the HMAC out when there is no HMAC key', () => {
    const packet = buildSpaPacket({
      fields: FIELDS,
      keys: { encryptionKey: KEYS.encryptionKey },
      digestType: 'sha256',
      hmacDigestType: 'sha256',
      encryptionMode: 'cbc',
      salt: SALT,
    });
    expect(packet.wire).toBe(ENCRYPTED.slice(10));
    expect(packet.hmac).toBeUndefined();
  });

  it('pads a short legacy key with "0" to 16 bytes, and cuts a long one to 16', () => {
    const short = deriveKeyAndIv(keyFromPassphrase('abc'), SALT, 'legacy');
    const padded = deriveKeyAndIv(keyFromPassphrase('abc0000000000000'), SALT, 'cbc');
    expect(short.key.equals(padded.key)).toBe(true);
    const build = (key: string) =>
      buildSpaPacket({
        fields: FIELDS,
        keys: { encryptionKey: keyFromPassphrase(key) },
        digestType: 'sha256',
        hmacDigestType: 'sha256',
        encryptionMode: 'legacy',
        salt: SALT,
      });
    const long = build('0123456789abcdefXYZ');
    expect(long.legacyKeyTruncated).toBe(true);
    expect(long.wire).toBe(build('0123456789abcdef').wire);
  });
});

describe('the limits fwknopd puts on a packet', () => {
  const build = (message: string) =>
    buildSpaPacket({
      fields: { ...FIELDS, message },
      keys: KEYS,
      digestType: 'sha512',
      hmacDigestType: 'sha512',
      encryptionMode: 'cbc',
      salt: SALT,
    });

  it('refuses a packet fwknopd would take for GnuPG data (400 characters or more)', () => {
    const ports = Array.from({ length: 12 }, (_, i) => `tcp/${10000 + i}`).join(',');
    expect(() => build(`203.0.113.5,${ports}`)).toThrow(
      /^the SPA packet would be \d+ characters; fwknopd reads at most 399 as a Rijndael packet: request fewer ports or use a shorter digest$/,
    );
  });

  it('refuses an empty or over-long access message and a bad random value', () => {
    expect(() => build('')).toThrow('the access message must be 1-255 characters (it is 0)');
    expect(() => encodeSpaFields({ ...FIELDS, randomValue: '123' })).toThrow(
      'the random value must be exactly 16 decimal digits',
    );
  });

  it('refuses usernames fwknopd refuses', () => {
    expect(() => encodeSpaFields({ ...FIELDS, username: 'a:b' })).toThrow(
      /character fwknopd refuses/,
    );
    expect(() => encodeSpaFields({ ...FIELDS, username: 'x'.repeat(64) })).toThrow(
      'the username is longer than 63 characters',
    );
  });

  it('needs the NAT destination and timeout its message type announces', () => {
    expect(() => encodeSpaFields({ ...FIELDS, messageType: 2 })).toThrow(
      'a NAT request needs a NAT destination (host,port)',
    );
    expect(() => encodeSpaFields({ ...FIELDS, messageType: 3 })).toThrow(
      'a client-timeout request needs a timeout of at least 1 second',
    );
    expect(
      encodeSpaFields({
        ...FIELDS,
        messageType: 4,
        natAccess: '192.168.1.2,22',
        clientTimeout: 60,
      }),
    ).toBe(`${ENCODED.replace(/:1:/, ':4:')}:MTkyLjE2OC4xLjIsMjI:60`);
  });
});
