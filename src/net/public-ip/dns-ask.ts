import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { abortReason } from '../../lib/clock.js';
import { decodeAnswers, encodeQuery } from './dns-message.js';
import { describeNetworkError, ProviderError } from './provider-error.js';
import { type DnsQuerySpec, type IpVersion, parseServer } from './provider-spec.js';

export interface DnsAskOptions {
  readonly query: DnsQuerySpec;
  readonly version: IpVersion;
  readonly signal: AbortSignal;
}

/**
 * Sends one question over UDP to the provider's own server, over the asked family, and returns
 * the first record's text. The socket is connected, so only the server's datagrams reach it and
 * a closed port shows up at once as "connection refused" (the ICMP error) instead of a timeout.
 * There is no retry here: the round's timeout bounds the wait, and other providers run in parallel.
 */
export async function dnsAsk(options: DnsAskOptions): Promise<string> {
  const { query, version, signal } = options;
  const server = parseServer(query.server);
  if (server === undefined) throw new ProviderError('network', `bad DNS server "${query.server}"`);
  const address = isIP(server.host) !== 0 ? server.host : await lookupServer(server.host, version);
  signal.throwIfAborted();
  const id = randomInt(0, 0x10000);
  const message = encodeQuery(id, query.name, query.type, query.class);
  const socket = createSocket(version === 6 ? 'udp6' : 'udp4');
  try {
    const response = await new Promise<Buffer>((resolve, reject) => {
      const onAbort = (): void => reject(abortReason(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('message', (data: Buffer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(data);
      });
      socket.once('error', (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(describeNetworkError(error));
      });
      socket.connect(server.port, address, () => socket.send(message));
    });
    const records = decodeAnswers(response, id, query.type, query.class);
    const first = records[0];
    if (first === undefined) {
      throw new ProviderError('not-an-address', `no ${query.type} record in the DNS answer`);
    }
    return first;
  } finally {
    try {
      socket.close();
    } catch {
      // Already closed by its error.
    }
  }
}

async function lookupServer(host: string, version: IpVersion): Promise<string> {
  try {
    return (await lookup(host, { family: version })).address;
  } catch (error) {
    throw describeNetworkError(error);
  }
}
