/**
 * Something about an SPA request that Sesame cannot or will not send: a key of the wrong length,
 * an access list fwknopd would refuse, a packet too long for one datagram. The message says what
 * to change and never contains key material.
 */
export class SpaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpaError';
  }
}
