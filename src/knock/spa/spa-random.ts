import { randomBytes, randomInt } from 'node:crypto';
import { SALT_LENGTH } from './spa-cipher.js';

/**
 * Where an SPA packet's randomness comes from: the 16-digit random value inside it and the 8-byte
 * salt of its key derivation. fwknopd refuses a packet it has seen before, so both must be new
 * for every packet; tests pass fixed values to check packets byte for byte.
 */
export interface SpaRandom {
  /** 16 decimal digits. */
  randomValue(): string;
  /** 8 bytes. */
  salt(): Uint8Array;
}

export const cryptoSpaRandom: SpaRandom = {
  // randomInt takes ranges below 2^48, so the 16 digits are drawn as two halves of 8.
  randomValue: () =>
    `${randomInt(10_000_000, 100_000_000)}${String(randomInt(0, 100_000_000)).padStart(8, '0')}`,
  salt: () => randomBytes(SALT_LENGTH),
};

/** fwknop's lowest random port (MIN_HIGH_PORT); `--rand-port` picks from 10000-65534. */
export const MIN_RANDOM_PORT = 10_000;

/**
 * A random port the way fwknop draws one: 10000 + (the first five digits of a random value mod
 * 55535). fwknop then draws a new random value for the packet, so the port says nothing about
 * what is inside; Sesame likewise draws a value of its own for the port.
 */
export function randomPort(random: SpaRandom): number {
  const digits = Number(random.randomValue().slice(0, 5));
  return MIN_RANDOM_PORT + (digits % (65535 - MIN_RANDOM_PORT));
}
