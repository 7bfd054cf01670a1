import type { ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { type Cleanup, execQuiet, killNow } from './cleanup.js';
import { mustRun, run, type RunResult, startDaemon, stopProcess } from './run.js';

/** Every namespace the tests make is called `sesame-<pid>-<n>-…`, so leftovers can be found. */
export const NAMESPACE_PREFIX = 'sesame-';
let counter = 0;

export class Namespace {
  constructor(readonly name: string) {}

  /** Runs a program inside the namespace. */
  run(
    command: string,
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
  ): Promise<RunResult> {
    return run('ip', ['netns', 'exec', this.name, command, ...args], options);
  }

  mustRun(command: string, args: readonly string[]): Promise<RunResult> {
    return mustRun('ip', ['netns', 'exec', this.name, command, ...args]);
  }

  /** Starts a long-running program in the namespace; it is stopped by the cleanup. */
  start(
    cleanup: Cleanup,
    command: string,
    args: readonly string[],
    env?: NodeJS.ProcessEnv,
  ): ChildProcess {
    // `ip netns exec` execs the program, so the child's PID is the program's own.
    const child = startDaemon('ip', ['netns', 'exec', this.name, command, ...args], env);
    cleanup.add(
      () => stopProcess(child),
      () => killNow(child.pid),
    );
    return child;
  }
}

export interface Lab {
  readonly client: Namespace;
  readonly server: Namespace;
  readonly clientIf: string;
  readonly serverIf: string;
  readonly clientIp: string;
  readonly serverIp: string;
  readonly clientIp6: string;
  readonly serverIp6: string;
  /** A name the client namespace resolves to the server's IPv4 and IPv6 addresses. */
  readonly serverName: string;
}

/**
 * Two network namespaces joined by a veth pair, with IPv4 and IPv6:
 *
 *   client  10.200.0.1/24 fd5e:5a3e::1/64  veth-c ─── veth-s  10.200.0.2/24 fd5e:5a3e::2/64  server
 *
 * Inside the client, `server.sesame.test` resolves through a hosts file of its own, and DNS points
 * at the namespace's own loopback, where nothing answers: no lookup ever leaves the machine.
 */
export async function createLab(cleanup: Cleanup): Promise<Lab> {
  counter += 1;
  const base = `${NAMESPACE_PREFIX}${process.pid}-${counter}`;
  const lab: Lab = {
    client: new Namespace(`${base}-c`),
    server: new Namespace(`${base}-s`),
    clientIf: 'veth-c',
    serverIf: 'veth-s',
    clientIp: '10.200.0.1',
    serverIp: '10.200.0.2',
    clientIp6: 'fd5e:5a3e::1',
    serverIp6: 'fd5e:5a3e::2',
    serverName: 'server.sesame.test',
  };
  for (const ns of [lab.client, lab.server]) {
    cleanup.add(
      () => removeNamespace(ns.name),
      () => removeNamespaceNow(ns.name),
    );
    writeNamespaceEtc(ns.name, lab);
    await mustRun('ip', ['netns', 'add', ns.name]);
  }
  const ip = (...args: string[]) => mustRun('ip', args);
  await ip(
    'link',
    'add',
    lab.clientIf,
    'netns',
    lab.client.name,
    'type',
    'veth',
    'peer',
    'name',
    lab.serverIf,
    'netns',
    lab.server.name,
  );
  for (const [ns, dev, v4, v6] of [
    [lab.client.name, lab.clientIf, lab.clientIp, lab.clientIp6],
    [lab.server.name, lab.serverIf, lab.serverIp, lab.serverIp6],
  ] as const) {
    await ip('-n', ns, 'addr', 'add', `${v4}/24`, 'dev', dev);
    await ip('-n', ns, 'addr', 'add', `${v6}/64`, 'dev', dev, 'nodad');
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
    await ip('-n', ns, 'link', 'set', dev, 'up');
  }
  return lab;
}

function writeNamespaceEtc(name: string, lab: Lab): void {
  const dir = `/etc/netns/${name}`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}/hosts`,
    `127.0.0.1 localhost\n::1 localhost\n${lab.serverIp} ${lab.serverName}\n${lab.serverIp6} ${lab.serverName}\n` +
      `${lab.serverIp} v4only.sesame.test\n${lab.serverIp6} v6only.sesame.test\n`,
  );
  writeFileSync(`${dir}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
}

async function removeNamespace(name: string): Promise<void> {
  const pids = await run('ip', ['netns', 'pids', name]);
  for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) killNow(Number(pid));
  await run('ip', ['netns', 'del', name]);
  rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
}

function removeNamespaceNow(name: string): void {
  execQuiet('ip', ['netns', 'del', name]);
  rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
}

/** Removes namespaces left behind by test processes that no longer run (a crash, a kill -9). */
export async function removeStaleNamespaces(): Promise<string[]> {
  const list = await run('ip', ['netns', 'list']);
  const removed: string[] = [];
  for (const line of list.stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const match = new RegExp(`^${NAMESPACE_PREFIX}(\\d+)-`).exec(name);
    if (!match || isRunning(Number(match[1]))) continue;
    await removeNamespace(name);
    removed.push(name);
  }
  return removed;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * What a TCP connect from `ns` to `host:port` finds, told by bash's /dev/tcp (independent of
 * Sesame's own probe): `open`, `closed` (refused) or `filtered` (no answer within `timeoutMs`;
 * over the test's veth pair an answer takes well under a millisecond).
 */
export async function tcpState(
  ns: Namespace,
  host: string,
  port: number,
  timeoutMs = 400,
): Promise<'open' | 'closed' | 'filtered'> {
  const seconds = (timeoutMs / 1000).toFixed(2);
  const result = await ns.run('timeout', [
    seconds,
    'bash',
    '-c',
    `exec 3<>/dev/tcp/${host}/${port}`,
  ]);
  return result.code === 0 ? 'open' : result.code === 124 ? 'filtered' : 'closed';
}
