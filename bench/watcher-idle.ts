// Benchmark: what the network watcher costs while nothing happens. The watcher runs in this
// process with its default timers (interfaces and routes read every 2 s, the public IP every
// 5 min) against stand-in providers on loopback, which run in a child process so that their
// work is not counted here. Reports CPU time, wake-ups and memory over the run; a second run
// checks the public IP every second to show what one check costs and that memory stays flat.
// Run: npm run bench:watcher   (IDLE_SECONDS=60 BUSY_SECONDS=60 to change the durations)
import { type ChildProcess, spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readDefaultRoutes } from '../src/net/default-route.js';
import { interfaceFingerprint } from '../src/net/interface-fingerprint.js';
import { NetworkWatcher } from '../src/net/network-watcher.js';
import { ProviderListSchema } from '../src/net/public-ip/provider-spec.js';
import { PublicIpResolver } from '../src/net/public-ip/public-ip-resolver.js';
import { markdownTable, ms } from './lib/stats.js';

const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 60);
const BUSY_SECONDS = Number(process.env.BUSY_SECONDS ?? 60);
// Node keeps compiling and collecting for a while after start; that is not the watcher's cost.
const SETTLE_SECONDS = 10;
const STAND_INS = fileURLToPath(
  new URL('../test/helpers/stand-ins/stand-in-main.ts', import.meta.url),
);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Run {
  readonly label: string;
  readonly seconds: number;
  readonly polls: number;
  readonly checks: number;
  readonly cpuMs: number;
  readonly rssStartMiB: number;
  readonly rssEndMiB: number;
  readonly heapStartMiB: number;
  readonly heapEndMiB: number;
}

async function startStandIns(): Promise<{ child: ChildProcess; http: number; dns: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', STAND_INS, '--host', '::', '--http', '0', '--dns', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the stand-ins exited with ${code}`)));
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString()));
  });
  const ports = JSON.parse(line) as { http: number; dns: number };
  return { child, ...ports };
}

async function watchFor(
  label: string,
  seconds: number,
  ports: { http: number; dns: number },
  publicCheckMs?: number,
): Promise<Run> {
  const providers = ProviderListSchema.parse([
    {
      kind: 'http',
      name: 'http',
      ipv4: `http://127.0.0.1:${ports.http}/`,
      ipv6: `http://[::1]:${ports.http}/`,
    },
    {
      kind: 'dns',
      name: 'dns',
      ipv4: { server: `127.0.0.1:${ports.dns}`, name: 'myip.test', type: 'A' },
      ipv6: { server: `[::1]:${ports.dns}`, name: 'myip.test', type: 'AAAA' },
    },
  ]);
  let polls = 0;
  let checks = 0;
  const watcher = new NetworkWatcher({
    resolver: new PublicIpResolver({ providers, acceptNonPublic: true }),
    readInterfaces: () => {
      polls += 1;
      return networkInterfaces();
    },
    ...(publicCheckMs !== undefined && { publicCheckMs }),
  });
  watcher.on('check-done', () => (checks += 1));
  const first = new Promise((resolve) => watcher.once('check-done', resolve));
  await watcher.start();
  await first;
  // Measured from here: the start-up check and module loading are not idle cost.
  gc();
  const before = { cpu: process.cpuUsage(), memory: process.memoryUsage(), polls, checks };
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = process.cpuUsage(before.cpu);
  gc();
  const memory = process.memoryUsage();
  await watcher.stop();
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    label,
    seconds,
    polls: polls - before.polls,
    checks: checks - before.checks,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssStartMiB: mib(before.memory.rss),
    rssEndMiB: mib(memory.rss),
    heapStartMiB: mib(before.memory.heapUsed),
    heapEndMiB: mib(memory.heapUsed),
  };
}

/** The same process with no watcher: what Node itself costs here while it waits. */
async function baseline(seconds: number): Promise<Run> {
  gc();
  const before = { cpu: process.cpuUsage(), memory: process.memoryUsage() };
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = process.cpuUsage(before.cpu);
  gc();
  const memory = process.memoryUsage();
  const mib = (bytes: number) => bytes / 2 ** 20;
  return {
    label: 'baseline: this process, no watcher',
    seconds,
    polls: 0,
    checks: 0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssStartMiB: mib(before.memory.rss),
    rssEndMiB: mib(memory.rss),
    heapStartMiB: mib(before.memory.heapUsed),
    heapEndMiB: mib(memory.heapUsed),
  };
}

/** One poll's work, alone: the interfaces fingerprint and the routes, averaged. */
async function pollCostMicroseconds(times = 2000): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < times; i += 1) {
    interfaceFingerprint(networkInterfaces());
    await readDefaultRoutes();
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / times;
}

export async function benchWatcherIdle(): Promise<string> {
  const standIns = await startStandIns();
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
    const runs = [
      await baseline(IDLE_SECONDS),
      await watchFor('idle, defaults (poll 2 s, public IP every 5 min)', IDLE_SECONDS, standIns),
      await watchFor('public IP checked every second', BUSY_SECONDS, standIns, 1000),
    ];
    const perPoll = await pollCostMicroseconds();
    const rows = runs.map((run) => [
      run.label,
      String(run.seconds),
      String(run.polls),
      String(run.checks),
      ms(run.cpuMs),
      ((run.cpuMs / (run.seconds * 1000)) * 100).toFixed(3),
      `${run.rssStartMiB.toFixed(1)} → ${run.rssEndMiB.toFixed(1)}`,
      `${run.heapStartMiB.toFixed(2)} → ${run.heapEndMiB.toFixed(2)}`,
    ]);
    const table = markdownTable(
      ['run', 's', 'polls', 'checks', 'CPU ms', 'CPU %', 'RSS MiB', 'heap used MiB'],
      rows,
    );
    const idle = runs[1];
    const own = idle ? (idle.polls * perPoll) / 1000 : NaN;
    return (
      `${table}\n\nOne poll (interfaces fingerprint + /proc routes), alone: ${perPoll.toFixed(1)} µs ` +
      `of CPU; the idle run's ${idle?.polls ?? 0} polls are ${own.toFixed(1)} ms of work in ` +
      `${IDLE_SECONDS} s (${((own / (IDLE_SECONDS * 1000)) * 100).toFixed(4)} % of one core).`
    );
  } finally {
    standIns.child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`watcher idle cost, ${IDLE_SECONDS} s idle and ${BUSY_SECONDS} s busy\n`);
  console.log(await benchWatcherIdle());
}
