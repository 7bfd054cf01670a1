import { resolveHost } from '../net/resolve-host.js';
import { ping, type PingResult } from '../probe/icmp-ping.js';
import { type PortState, probeTcp } from '../probe/tcp-probe.js';
import type { ServerProfile } from '../servers/server-profile.js';
import { Limiter } from './limiter.js';

export interface ServerCheck {
  readonly serverId: string;
  readonly name: string;
  readonly host: string;
  readonly address?: string;
  /** The port checked: the check port, else SSH's, else RDP's. */
  readonly port?: number;
  readonly portState?: PortState;
  readonly latencyMs?: number;
  readonly ping?: PingResult;
  /** Why the server could not be checked at all (its name does not resolve). */
  readonly error?: string;
}

/** The port that tells whether a server's door is open. */
export function doorPort(server: ServerProfile): number | undefined {
  return server.checkPort ?? server.ssh?.port ?? server.rdp?.port;
}

/**
 * Checks servers now, without knocking: is the door port open, does the host answer a ping.
 * Servers are checked in parallel, a bounded number at once.
 */
export async function checkServers(
  servers: readonly ServerProfile[],
  options: { timeoutMs?: number; parallel?: number; signal?: AbortSignal } = {},
): Promise<ServerCheck[]> {
  const limiter = new Limiter(options.parallel ?? 16);
  const timeoutMs = options.timeoutMs ?? 2000;
  return Promise.all(
    servers.map((server) => limiter.run(() => checkServer(server, timeoutMs, options.signal))),
  );
}

async function checkServer(
  server: ServerProfile,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ServerCheck> {
  const base = { serverId: server.id, name: server.name, host: server.host };
  let target;
  try {
    target = await resolveHost(server.host, server.family, signal);
  } catch (error) {
    return { ...base, error: (error as Error).message };
  }
  const port = doorPort(server);
  const [probe, echo] = await Promise.all([
    port === undefined ? undefined : probeTcp(target.address, port, timeoutMs, { signal }),
    ping(target.address, target.family, timeoutMs),
  ]);
  return {
    ...base,
    address: target.address,
    ping: echo,
    ...(probe && {
      port,
      portState: probe.state,
      ...(probe.state === 'open' && { latencyMs: probe.elapsedMs }),
    }),
  };
}
