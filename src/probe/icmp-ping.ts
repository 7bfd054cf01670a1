import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import type * as NetPingModule from 'net-ping';

export interface PingResult {
  readonly reachable: boolean;
  readonly rttMs?: number;
  /** How the echo was sent: a raw socket of Sesame's own, or the system's `ping`. */
  readonly via: 'raw-socket' | 'system-ping';
  readonly reason?: string;
}

type NetPing = typeof NetPingModule;

/**
 * Sends one ICMP echo. Raw sockets need privilege (root, CAP_NET_RAW), which a desktop app
 * usually lacks, so Sesame uses net-ping where the process may open them and the system `ping`
 * (which carries its own privilege) everywhere else. The address is always a resolved IP literal
 * and goes to `ping` as one argument, never through a shell.
 */
export async function ping(address: string, family: 4 | 6, timeoutMs = 2000): Promise<PingResult> {
  const netPing = loadNetPing();
  if (netPing) {
    try {
      return await pingRaw(netPing, address, family, timeoutMs);
    } catch (error) {
      if (!isPermissionError(error))
        return { reachable: false, via: 'raw-socket', reason: (error as Error).message };
    }
  }
  return pingWithSystem(address, timeoutMs);
}

let cached: NetPing | null | undefined;
function loadNetPing(): NetPing | null {
  if (cached === undefined) {
    try {
      cached = createRequire(import.meta.url)('net-ping') as NetPing;
    } catch {
      cached = null; // Not built for this platform: the system ping will do.
    }
  }
  return cached;
}

function pingRaw(
  netPing: NetPing,
  address: string,
  family: 4 | 6,
  timeoutMs: number,
): Promise<PingResult> {
  const session = netPing.createSession({
    networkProtocol: family === 6 ? netPing.NetworkProtocol.IPv6 : netPing.NetworkProtocol.IPv4,
    timeout: timeoutMs,
    retries: 0,
  });
  return new Promise((resolve) => {
    // net-ping's own timer lives in its native socket; this one guarantees an answer, and keeps
    // the process alive until there is one.
    const guard = setTimeout(
      () => finish({ reachable: false, via: 'raw-socket', reason: 'no echo reply' }),
      timeoutMs + 500,
    );
    let done = false;
    const finish = (result: PingResult): void => {
      if (done) return;
      done = true;
      clearTimeout(guard);
      session.close();
      resolve(result);
    };
    session.pingHost(address, (error, _target, sent, received) => {
      if (error) finish({ reachable: false, via: 'raw-socket', reason: error.message });
      else
        finish({ reachable: true, via: 'raw-socket', rttMs: received.getTime() - sent.getTime() });
    });
  });
}

function isPermissionError(error: unknown): boolean {
  return /not permitted|EPERM|EACCES/i.test(String((error as Error).message ?? error));
}

export function systemPingArgs(
  address: string,
  timeoutMs: number,
  platform = process.platform,
): string[] {
  const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  switch (platform) {
    case 'win32':
      return ['-n', '1', '-w', String(timeoutMs), address];
    case 'darwin':
      return ['-c', '1', '-W', String(timeoutMs), address];
    default:
      return ['-c', '1', '-n', '-W', seconds, address];
  }
}

function pingWithSystem(address: string, timeoutMs: number): Promise<PingResult> {
  // On macOS and the BSDs ping6 is separate; Linux's and Windows' ping take both families.
  const program = process.platform === 'darwin' && address.includes(':') ? 'ping6' : 'ping';
  return new Promise((resolve) => {
    execFile(
      program,
      systemPingArgs(address, timeoutMs),
      { timeout: timeoutMs + 2000 },
      (error, stdout) => {
        const rtt = /time[=<]\s*([\d.]+)\s*ms/i.exec(stdout);
        if (!error && rtt) resolve({ reachable: true, via: 'system-ping', rttMs: Number(rtt[1]) });
        else
          resolve({
            reachable: false,
            via: 'system-ping',
            reason: error?.code === 'ENOENT' ? 'no ping program' : 'no echo reply',
          });
      },
    );
  });
}
