import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { freePort } from './loopback.js';

export interface LoopbackDoor {
  /** The UDP ports of the sequence, in order (or of the current one-time sequence). */
  readonly ports: readonly number[];
  readonly checkPort: number;
  /** knockd syntax for the sequence: `p1:udp,p2:udp,…`. */
  readonly sequence: string;
  /** Completed sequences so far. */
  completed(): number;
  /** Hits seen, in order, as `port` numbers. */
  hits(): number[];
  /** Shuts the door again (the service stops answering). */
  shut(): Promise<void>;
  isOpen(): boolean;
  close(): Promise<void>;
}

export interface LoopbackDoorOptions {
  readonly hits?: number;
  /** Ignore this many complete sequences before opening (a door that stays shut at first). */
  readonly ignoreFirst?: number;
  /** One-time sequences: each is used once, like knockd's one_time_sequences. */
  readonly oneTime?: number;
}

/**
 * A small knockd stand-in on 127.0.0.1 for tests that need no root: UDP ports in a sequence, and
 * when they are hit in order from one source, a TCP service on the check port starts answering.
 * Like knockd, a hit on the wrong port ends the attempt. (TCP hits need pcap to be seen without a
 * listener, so this door uses UDP; the peer tests cover TCP against the real knockd.)
 */
export async function startLoopbackDoor(
  options: LoopbackDoorOptions = {},
): Promise<LoopbackDoor & { oneTimeList: string[] }> {
  const length = options.hits ?? 3;
  const sets = Math.max(1, options.oneTime ?? 1);
  const allPorts = await Promise.all(Array.from({ length: length * sets }, () => freeUdpPort()));
  const sequences = Array.from({ length: sets }, (_, i) =>
    allPorts.slice(i * length, (i + 1) * length).map((s) => s.port),
  );
  const sockets: UdpSocket[] = allPorts.map((s) => s.socket);
  const checkPort = await freePort();
  let current = 0;
  let stage = 0;
  let completed = 0;
  let ignored = 0;
  const seen: number[] = [];
  let service: Server | undefined;

  const open = async (): Promise<void> => {
    if (service) return;
    const server = createServer((socket) => socket.destroy());
    service = server;
    await new Promise<void>((resolve) => server.listen(checkPort, '127.0.0.1', resolve));
  };
  const onHit = (port: number): void => {
    seen.push(port);
    const expected = sequences[current];
    if (!expected) return;
    if (port === expected[stage]) {
      stage += 1;
      if (stage === expected.length) {
        stage = 0;
        completed += 1;
        if (ignored < (options.ignoreFirst ?? 0)) {
          ignored += 1;
          return;
        }
        if (options.oneTime) current += 1;
        void open();
      }
    } else {
      stage = port === expected[0] ? 1 : 0;
    }
  };
  for (const { socket, port } of allPorts) socket.on('message', () => onHit(port));

  const shut = async (): Promise<void> => {
    const server = service;
    service = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const first = sequences[0] ?? [];
  return {
    ports: first,
    checkPort,
    sequence: first.map((port) => `${port}:udp`).join(','),
    oneTimeList: sequences.map((ports) => ports.map((port) => `${port}:udp`).join(',')),
    completed: () => completed,
    hits: () => [...seen],
    shut,
    isOpen: () => service !== undefined,
    close: async () => {
      await shut();
      for (const socket of sockets) socket.close();
    },
  };
}

async function freeUdpPort(): Promise<{ socket: UdpSocket; port: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port };
}
