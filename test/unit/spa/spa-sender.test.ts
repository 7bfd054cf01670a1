import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { decodeSpaPacket } from '../../../src/knock/spa/spa-decode.js';
import { keyFromPassphrase } from '../../../src/knock/spa/spa-keys.js';
import { spaOptionsSchema, type SpaOptionsInput } from '../../../src/knock/spa/spa-options.js';
import type { SpaRandom } from '../../../src/knock/spa/spa-random.js';
import { prepareSpa, sendSpa } from '../../../src/knock/spa/spa-sender.js';
import { TestClock } from '../../helpers/test-clock.js';

const KEYS = {
  encryptionKey: keyFromPassphrase('fwknoptest'),
  hmacKey: keyFromPassphrase('hmactest'),
};

/** Fixed randomness: the same values every time, so a packet can be checked byte for byte. */
function fixedRandom(values: string[] = ['1234567890123456']): SpaRandom {
  let next = 0;
  return {
    randomValue: () => values[next++ % values.length] ?? '',
    salt: () => Buffer.from('0102030405060708', 'hex'),
  };
}

const options = (input: Partial<SpaOptionsInput> = {}) =>
  spaOptionsSchema.parse({
    access: [{ protocol: 'tcp', port: 22 }],
    allowIp: { mode: 'address', address: '203.0.113.5' },
    username: 'alice',
    ...input,
  });

describe('prepareSpa: the packet for a request', () => {
  it('builds the worked example exactly, from the clock and the random source', async () => {
    const prepared = await prepareSpa({
      host: 'spa.example',
      keys: KEYS,
      options: options(),
      clock: new TestClock(1_700_000_000_000),
      random: fixedRandom(),
    });
    expect(prepared.packet.wire).toBe(
      '8BAgMEBQYHCHYP9psdAxxVFsFlEBLPg4lUNSwH/4cFuYtC7JJDokwlYWpjgfqFryoshrjudU8CbF165CfRkUDlwjaRdTMKMyhzZ8j8FslORO5Gqpu3cqxi7+IiUBOA1AEex9GZmUZ5F9KFRRVyVEyj1iiH1BdZzto4DRkCpSdA5BbMNd+aIMDjpGV7pjsLAB37JvRhWv/R7WwjFIESP1mGsuAsRKkL330',
    );
    expect(prepared).toMatchObject({ allowIp: '203.0.113.5', serverPort: 62201 });
  });

  it('adds the time offset to the clock, for a client whose clock is off', async () => {
    const clock = new TestClock(1_700_000_000_999);
    const plus = await prepareSpa({
      host: 'h',
      keys: KEYS,
      options: options({ timeOffsetSeconds: 600 }),
      clock,
    });
    const minus = await prepareSpa({
      host: 'h',
      keys: KEYS,
      options: options({ timeOffsetSeconds: -90 }),
      clock,
    });
    expect(plus.packet.fields.timestamp).toBe(1_700_000_600);
    expect(minus.packet.fields.timestamp).toBe(1_699_999_910);
  });

  it('makes every packet new: another random value and salt each time', async () => {
    const request = { host: 'h', keys: KEYS, options: options() };
    const first = await prepareSpa(request);
    const second = await prepareSpa(request);
    expect(second.packet.fields.randomValue).not.toBe(first.packet.fields.randomValue);
    expect(second.packet.wire.slice(0, 22)).not.toBe(first.packet.wire.slice(0, 22));
  });

  it('asks the resolver for the allow IP, and uses 0.0.0.0 for the source', async () => {
    const resolved = await prepareSpa({
      host: 'h',
      keys: KEYS,
      options: options({ allowIp: { mode: 'resolve' } }),
      resolveAllowIp: () => Promise.resolve(' 198.51.100.7\n'),
    });
    expect(resolved.packet.fields.message).toBe('198.51.100.7,tcp/22');
    const source = await prepareSpa({
      host: 'h',
      keys: KEYS,
      options: options({ allowIp: { mode: 'source' } }),
    });
    expect(source.packet.fields.message).toBe('0.0.0.0,tcp/22');
    await expect(
      prepareSpa({ host: 'h', keys: KEYS, options: options({ allowIp: { mode: 'resolve' } }) }),
    ).rejects.toThrow('no way to find the public IP here: give the address to allow (-a)');
    await expect(
      prepareSpa({
        host: 'h',
        keys: KEYS,
        options: options({ allowIp: { mode: 'resolve' } }),
        resolveAllowIp: () => Promise.resolve('2001:db8::7'),
      }),
    ).rejects.toThrow(
      'the public IP found ("2001:db8::7") is not an IPv4 address; fwknopd allows IPv4 only: give it with -a',
    );
  });

  it('fills NAT and timeout fields as fwknop does', async () => {
    const forward = await prepareSpa({
      host: 'spa.example',
      keys: KEYS,
      options: options({
        nat: { mode: 'forward', host: '192.168.10.2' },
        natPort: 55000,
        clientTimeout: 60,
      }),
    });
    expect(forward.packet.fields).toMatchObject({
      messageType: 4,
      message: '203.0.113.5,tcp/55000',
      natAccess: '192.168.10.2,22',
      clientTimeout: 60,
    });
    const local = await prepareSpa({
      host: 'spa.example',
      keys: KEYS,
      options: options({ nat: { mode: 'local' }, natRandPort: true }),
      random: fixedRandom(['1234567890123456', '4321098765432109']),
    });
    // The first random value goes to the NAT port: 10000 + 12345 % 55535.
    expect(local.natPort).toBe(22_345);
    expect(local.packet.fields).toMatchObject({
      messageType: 5,
      message: '203.0.113.5,tcp/22345',
      natAccess: 'spa.example,22',
      randomValue: '4321098765432109',
    });
  });

  it('draws a random server port from 10000 up for --rand-port', async () => {
    const prepared = await prepareSpa({
      host: 'h',
      keys: KEYS,
      options: options({ randPort: true }),
      random: fixedRandom(['9999990000000000', '1234567890123456']),
    });
    expect(prepared.serverPort).toBe(10_000 + (99_999 % 55_535));
  });
});

describe('sendSpa: one packet to the server', () => {
  it('resolves the host, sends one datagram and reports it', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const received = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    try {
      const result = await sendSpa({
        host: 'localhost',
        keys: KEYS,
        options: options({ serverPort: socket.address().port }),
      });
      const data = (await received).toString('latin1');
      expect(result).toMatchObject({
        host: 'localhost',
        address: '127.0.0.1',
        family: 4,
        transport: 'udp',
        bytesSent: data.length,
      });
      expect(decodeSpaPacket(data, KEYS, { encryptionMode: 'cbc' }).fields.message).toBe(
        '203.0.113.5,tcp/22',
      );
    } finally {
      socket.close();
    }
  });

  it('refuses IPv6 only: fwknopd reads SPA over IPv4', async () => {
    await expect(
      sendSpa({ host: '::1', family: 'ipv6', keys: KEYS, options: options() }),
    ).rejects.toThrow('fwknopd reads SPA packets over IPv4 only: leave out IPv6-only (-6)');
    await expect(sendSpa({ host: '::1', keys: KEYS, options: options() })).rejects.toThrow(
      '"::1" is an IPv6 address, but IPv4 only was asked for',
    );
  });

  it('stops when cancelled before sending', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      sendSpa({ host: '127.0.0.1', keys: KEYS, options: options(), signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
