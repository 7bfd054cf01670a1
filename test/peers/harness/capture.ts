import type { ChildProcess } from 'node:child_process';
import type { Cleanup } from './cleanup.js';
import type { Namespace } from './netns.js';
import { stopProcess, waitFor } from './run.js';

export interface CapturedPacket {
  readonly time: number;
  readonly family: 4 | 6;
  readonly source: string;
  readonly destination: string;
  readonly destinationPort: number;
  readonly protocol: 'tcp' | 'udp';
  /** tcpdump's flags, e.g. `S` for a SYN, `S.` for a SYN-ACK, `R` for a reset. */
  readonly flags: string;
}

export interface Capture {
  packets(): CapturedPacket[];
  /** TCP packets with only SYN set (a connection attempt), to the given ports. */
  syns(): CapturedPacket[];
  stop(): Promise<CapturedPacket[]>;
}

/** Records, with a real tcpdump, every TCP/UDP packet arriving on an interface of the namespace. */
export async function startCapture(
  ns: Namespace,
  cleanup: Cleanup,
  iface: string,
  filter: string,
): Promise<Capture> {
  const child: ChildProcess = ns.start(cleanup, 'tcpdump', [
    '-i',
    iface,
    '-nn',
    '-l',
    '-tt',
    '-Q',
    'in',
    filter,
  ]);
  let text = '';
  let listening = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('listening on')) listening = true;
  });
  await waitFor('tcpdump to listen', () => listening, 10_000);
  const packets = (): CapturedPacket[] => parseTcpdump(text);
  return {
    packets,
    syns: () => packets().filter((p) => p.protocol === 'tcp' && p.flags === 'S'),
    stop: async () => {
      await stopProcess(child);
      return packets();
    },
  };
}

// 1700000000.123456 IP 10.200.0.1.45678 > 10.200.0.2.7000: Flags [S], seq 1, win 64240, length 0
// 1700000000.123456 IP6 fd5e:5a3e::1.45678 > fd5e:5a3e::2.7000: Flags [S], ...
// 1700000000.123456 IP 10.200.0.1.45678 > 10.200.0.2.8000: UDP, length 1
const LINE = /^(\d+\.\d+) (IP6?) (\S+)\.(\d+) > (\S+)\.(\d+): (?:Flags \[([^\]]*)\]|(UDP))/;

export function parseTcpdump(text: string): CapturedPacket[] {
  const packets: CapturedPacket[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    packets.push({
      time: Number(m[1]),
      family: m[2] === 'IP6' ? 6 : 4,
      source: m[3] ?? '',
      destination: m[5] ?? '',
      destinationPort: Number(m[6]),
      protocol: m[8] === 'UDP' ? 'udp' : 'tcp',
      flags: m[7] ?? '',
    });
  }
  return packets;
}
