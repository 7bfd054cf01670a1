import type { Namespace } from './netns.js';

export interface GuardedPort {
  readonly port: number;
  /** ipset names holding the addresses let through: one for IPv4, one for IPv6. */
  readonly set4: string;
  readonly set6: string;
  isAllowed(address: string): Promise<boolean>;
  /** Shuts the door again for everyone. */
  reset(): Promise<void>;
}

/**
 * The server side of the article: a port dropped for everyone except the addresses in an ipset
 * whitelist, for IPv4 and IPv6, with iptables-nft only (rules in the legacy and nft tables are
 * both evaluated, and a DROP in either wins). Optionally the knock ports are dropped too, as a
 * stealthy server does; knockd still sees the packets, since it reads them before netfilter.
 */
export async function guardPort(
  server: Namespace,
  options: { port: number; dropTcpPorts?: readonly number[]; set4?: string; set6?: string },
): Promise<GuardedPort> {
  const set4 = options.set4 ?? 'whitelist';
  const set6 = options.set6 ?? 'whitelist6';
  await server.mustRun('ipset', ['create', set4, 'hash:ip', '-exist']);
  await server.mustRun('ipset', ['create', set6, 'hash:ip', 'family', 'inet6', '-exist']);
  for (const [tool, set] of [
    ['iptables-nft', set4],
    ['ip6tables-nft', set6],
  ] as const) {
    const rule = (...args: string[]) => server.mustRun(tool, ['-A', 'INPUT', ...args]);
    // Probes from inside the server namespace come through lo and must not hit the DROP below.
    await rule('-i', 'lo', '-j', 'ACCEPT');
    if (options.dropTcpPorts && options.dropTcpPorts.length > 0) {
      await rule(
        '-p',
        'tcp',
        '-m',
        'multiport',
        '--dports',
        options.dropTcpPorts.join(','),
        '-j',
        'DROP',
      );
    }
    await rule(
      '-p',
      'tcp',
      '--dport',
      String(options.port),
      '-m',
      'set',
      '--match-set',
      set,
      'src',
      '-j',
      'ACCEPT',
    );
    await rule('-p', 'tcp', '--dport', String(options.port), '-j', 'DROP');
  }
  return {
    port: options.port,
    set4,
    set6,
    isAllowed: async (address) =>
      (await server.run('ipset', ['test', address.includes(':') ? set6 : set4, address])).code ===
      0,
    reset: async () => {
      await server.mustRun('ipset', ['flush', set4]);
      await server.mustRun('ipset', ['flush', set6]);
    },
  };
}
