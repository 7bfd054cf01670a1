import { type Cleanup, execQuiet, killNow } from './cleanup.js';
import { type Lab, Namespace } from './netns.js';
import { mustRun, run } from './run.js';

export interface InnerHost {
  readonly ns: Namespace;
  /** The inner host's address, reachable only through the server. */
  readonly address: string;
  /** The server's address on the inner network. */
  readonly gateway: string;
}

/**
 * A third namespace behind the lab's server, for NAT through it:
 *
 *   client ─── server 10.201.0.1/24 ─── 10.201.0.2/24 inner (default route via the server)
 *
 * The server forwards between the two; the client has no route to 10.201.0.0/24, so it reaches
 * the inner host only through a DNAT on the server. Named like the lab's namespaces, so the sweep
 * of stale namespaces finds it too.
 */
export async function addInnerHost(lab: Lab, cleanup: Cleanup): Promise<InnerHost> {
  const ns = new Namespace(lab.server.name.replace(/-s$/, '-i'));
  const inner: InnerHost = { ns, address: '10.201.0.2', gateway: '10.201.0.1' };
  cleanup.add(
    async () => {
      const pids = await run('ip', ['netns', 'pids', ns.name]);
      for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) killNow(Number(pid));
      await run('ip', ['netns', 'del', ns.name]);
    },
    () => execQuiet('ip', ['netns', 'del', ns.name]),
  );
  await mustRun('ip', ['netns', 'add', ns.name]);
  await mustRun('ip', [
    'link',
    'add',
    'veth-si',
    'netns',
    lab.server.name,
    'type',
    'veth',
    'peer',
    'name',
    'veth-i',
    'netns',
    ns.name,
  ]);
  const ip = (namespace: string, ...args: string[]) => mustRun('ip', ['-n', namespace, ...args]);
  await ip(lab.server.name, 'addr', 'add', `${inner.gateway}/24`, 'dev', 'veth-si');
  await ip(lab.server.name, 'link', 'set', 'veth-si', 'up');
  await ip(ns.name, 'addr', 'add', `${inner.address}/24`, 'dev', 'veth-i');
  await ip(ns.name, 'link', 'set', 'lo', 'up');
  await ip(ns.name, 'link', 'set', 'veth-i', 'up');
  await ip(ns.name, 'route', 'add', 'default', 'via', inner.gateway);
  // /proc/sys/net is per namespace: this turns on forwarding in the server namespace only.
  await lab.server.mustRun('bash', ['-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
  return inner;
}
