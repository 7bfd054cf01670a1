import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import {
  addressRecord,
  decodeQuestion,
  type DnsRecord,
  encodeResponse,
  TYPE_A,
  TYPE_AAAA,
  TYPE_TXT,
  txtRecord,
} from './dns-wire.js';
import {
  answerAddress,
  closeStandIn,
  delay,
  ECHO,
  plainSource,
  type StandInMode,
  switchMode,
} from './stand-in-mode.js';

export interface DnsStandIn {
  readonly host: string;
  readonly port: number;
  /** `127.0.0.1:5353` or `[::1]:5353`, as a DNS provider spec's `server`. */
  readonly server: string;
  readonly queries: { readonly source: string; readonly name: string; readonly type: number }[];
  mode: StandInMode;
  setMode(mode: StandInMode): Promise<void>;
  close(): Promise<void>;
}

/**
 * A stand-in for OpenDNS's `myip.opendns.com` and Google's `o-o.myaddr.l.google.com`: whatever
 * the name and class (IN or CH), it answers A, AAAA and TXT questions with the address the query
 * came from, unless its mode says to misbehave. `dead` closes the socket (the port then answers
 * with ICMP "port unreachable"), and any other mode binds the same port again.
 */
export async function startDnsStandIn(options: {
  readonly host: string;
  readonly port?: number;
  readonly mode?: StandInMode;
}): Promise<DnsStandIn> {
  const timers = new Set<NodeJS.Timeout>();
  let socket: Socket | undefined;

  const standIn: DnsStandIn = {
    host: options.host,
    port: 0,
    server: '',
    queries: [],
    mode: options.mode ?? ECHO,
    setMode: (mode) => switchMode(standIn, mode, unbind, () => bind(standIn.port)),
    close: () => closeStandIn(timers, unbind),
  };

  async function onQuery(message: Buffer, from: { address: string; port: number }, own: Socket) {
    const question = decodeQuestion(message);
    if (question === undefined) return;
    const source = plainSource(from.address);
    standIn.queries.push({ source, name: question.name, type: question.type });
    const mode = standIn.mode;
    if (mode.kind === 'slow' && !(await delay(mode.delayMs, timers))) return;
    if (own !== socket) return;
    if (mode.kind === 'garbage') {
      // The right ID and flags, then a record count that the bytes do not hold.
      const broken = encodeResponse(question, []);
      broken.writeUInt16BE(3, 6);
      own.send(Buffer.concat([broken, Buffer.from([0xc0])]), from.port, from.address);
      return;
    }
    const version =
      question.type === TYPE_A ? 4 : question.type === TYPE_AAAA ? 6 : isIP(source) === 6 ? 6 : 4;
    const address = answerAddress(mode, source, version === 6 ? 6 : 4);
    const records: DnsRecord[] = [];
    if (address !== undefined && question.type === TYPE_TXT) records.push(txtRecord(address));
    if (address !== undefined && (question.type === TYPE_A || question.type === TYPE_AAAA)) {
      // An address of the other family goes out as its own record type, as a confused server's would.
      records.push(addressRecord(address));
    }
    own.send(encodeResponse(question, records), from.port, from.address);
  }

  function bind(port: number): Promise<void> {
    const own =
      isIP(options.host) === 6
        ? createSocket({ type: 'udp6', ipv6Only: true })
        : createSocket({ type: 'udp4' });
    socket = own;
    own.on('message', (message, from) => void onQuery(message, from, own));
    return new Promise((resolve, reject) => {
      own.once('error', reject);
      own.bind(port, options.host, () => {
        own.removeListener('error', reject);
        resolve();
      });
    });
  }

  function unbind(): Promise<void> {
    const own = socket;
    socket = undefined;
    return new Promise((resolve) => (own ? own.close(() => resolve()) : resolve()));
  }

  if (standIn.mode.kind === 'dead') throw new Error('start a stand-in alive, then set it dead');
  await bind(options.port ?? 0);
  const port = socket?.address().port ?? 0;
  const host = isIP(options.host) === 6 ? `[${options.host}]` : options.host;
  return Object.assign(standIn, { port, server: `${host}:${port}` });
}
