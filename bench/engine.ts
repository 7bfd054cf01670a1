// Benchmark of the engine: the time from a public-IP change to the door answering (real knockd in
// namespaces, `sesame watch` as a person runs it), the idle cost of `sesame watch` with 50
// servers, and knocking 100 servers at once. Run as root: npm run bench:engine
// (RUNS=8 IDLE_SECONDS=60 to change them)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src/engine/engine.js';
import { EventLog } from '../src/engine/event-log.js';
import { systemClock } from '../src/lib/clock.js';
import { ServerRepository } from '../src/servers/server-repository.js';
import { OsKeychain } from '../src/store/secret-store.js';
import { SettingsStore } from '../src/store/settings-store.js';
import { type LoopbackDoor, startLoopbackDoor } from '../test/helpers/loopback-door.js';
import { type PrivateKeyring, startPrivateKeyring } from '../test/helpers/private-keyring.js';
import { Cleanup } from '../test/peers/harness/cleanup.js';
import { guardPort } from '../test/peers/harness/firewall.js';
import { startKnockd } from '../test/peers/harness/knockd.js';
import { startLineProcess } from '../test/peers/harness/line-process.js';
import { createLab } from '../test/peers/harness/netns.js';
import { mustRun, waitFor } from '../test/peers/harness/run.js';
import { startStandInProviders } from '../test/peers/harness/stand-in-internet.js';
import { SESAME_CLI, sesameIn } from '../test/peers/harness/sesame-cli.js';
import { startTcpService } from '../test/peers/harness/tcp-service.js';
import { markdownTable, ms, summary } from './lib/stats.js';
import { addLabDoorArgs, LAB_KNOCKD_DOOR } from '../test/peers/harness/lab-doors.js';

const RUNS = Number(process.env.RUNS ?? 8);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 60);
const STAND_INS = fileURLToPath(
  new URL('../test/helpers/stand-ins/stand-in-main.ts', import.meta.url),
);
/** Only PATH and what the keychain and settings need: see bench/knock-runner.ts for why. */
const cleanEnv = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  ...extra,
});

export async function ipChangeToOpen(watchArgs: readonly string[]): Promise<number[]> {
  const cleanup = new Cleanup();
  const work = mkdtempSync(join(tmpdir(), 'sesame-bench-engine-'));
  cleanup.add(() => rmSync(work, { recursive: true, force: true }));
  try {
    const keyring = await startPrivateKeyring();
    cleanup.add(() => keyring.stop());
    const env = cleanEnv({ ...keyring.env, SESAME_CONFIG_DIR: join(work, 'sesame') });
    const lab = await createLab(cleanup);
    await lab.client.mustRun('sysctl', [
      '-qw',
      `net.ipv4.conf.${lab.clientIf}.promote_secondaries=1`,
    ]);
    await startTcpService(lab.server, cleanup, 22);
    await guardPort(lab.server, { port: 22, dropTcpPorts: [7000, 8000, 9000] });
    await startKnockd(lab, cleanup, work, [LAB_KNOCKD_DOOR]);
    await startStandInProviders(lab, cleanup, join(work, 'sesame'), { dns: true });
    await sesameIn(lab.client, addLabDoorArgs('door', lab.serverIp), env);
    const watch = startLineProcess(
      lab.client,
      cleanup,
      process.execPath,
      [SESAME_CLI, 'watch', '--json', ...watchArgs],
      env,
    );
    await waitFor(
      'the first public IP',
      () => watch.lines.some((l) => String(l.message).startsWith('public IPv4 is')),
      30_000,
    );
    const runner = await mustRun(
      'ip',
      [
        'netns',
        'exec',
        lab.client.name,
        process.execPath,
        '--import',
        'tsx',
        'bench/engine-runner.ts',
        JSON.stringify({
          serverNs: lab.server.name,
          serverIp: lab.serverIp,
          iface: lab.clientIf,
          addresses: ['10.200.0.21', '10.200.0.22'],
          start: lab.clientIp,
          runs: RUNS,
        }),
      ],
      { timeoutMs: 30 * 60_000 },
    );
    return JSON.parse(runner.stdout) as number[];
  } finally {
    await cleanup.run();
  }
}

interface IdleCost {
  readonly cpuMs: number;
  readonly rssStartMiB: number;
  readonly rssEndMiB: number;
}

/** CPU time (user + system) and resident memory of a process, from /proc. */
function processUsage(pid: number): { cpuMs: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(
    /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN,
  );
  return { cpuMs: (ticks * 1000) / 100, rssMiB: rssKiB / 1024 };
}

export async function watchIdle(servers: number, keyring: PrivateKeyring): Promise<IdleCost> {
  const work = mkdtempSync(join(tmpdir(), 'sesame-bench-idle-'));
  const standIns = spawn(
    process.execPath,
    ['--import', 'tsx', STAND_INS, '--host', '127.0.0.1', '--http', '0', '--dns', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const ports = JSON.parse(
      await new Promise<string>((resolve) =>
        standIns.stdout.once('data', (c: Buffer) => resolve(c.toString())),
      ),
    ) as { http: number; dns: number };
    Object.assign(process.env, keyring.env);
    const settings = SettingsStore.open(work);
    settings.update((s) => ({
      ...s,
      preferences: {
        ...s.preferences,
        acceptPrivateIp: true,
        ipProviders: [
          { kind: 'http', name: 'echo', format: 'text', ipv4: `http://127.0.0.1:${ports.http}/` },
          {
            kind: 'dns',
            name: 'dns-echo',
            ipv4: {
              server: `127.0.0.1:${ports.dns}`,
              name: 'myip.opendns.com',
              type: 'A',
              class: 'IN',
            },
          },
        ],
      },
    }));
    const repository = new ServerRepository(settings, new OsKeychain());
    for (let i = 0; i < servers; i += 1) {
      await repository.add(
        {
          name: `server ${i}`,
          host: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
          method: { kind: 'knock' },
          checkPort: 22,
        },
        { kind: 'knock', sequence: `${7000 + i},${8000 + i},${9000 + i}` },
      );
    }
    const watch = spawn(process.execPath, [SESAME_CLI, 'watch'], {
      env: cleanEnv({ ...keyring.env, SESAME_CONFIG_DIR: work }),
      stdio: 'ignore',
    });
    try {
      const pid = watch.pid ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 10_000)); // start-up, first check, JIT settling
      const start = processUsage(pid);
      await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
      const end = processUsage(pid);
      return { cpuMs: end.cpuMs - start.cpuMs, rssStartMiB: start.rssMiB, rssEndMiB: end.rssMiB };
    } finally {
      watch.kill('SIGTERM');
    }
  } finally {
    standIns.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function knockMany(
  count: number,
  keyring: PrivateKeyring,
): Promise<{ totalMs: number; perServer: number[] }> {
  const work = mkdtempSync(join(tmpdir(), 'sesame-bench-many-'));
  const doors: LoopbackDoor[] = [];
  try {
    Object.assign(process.env, keyring.env);
    const settings = SettingsStore.open(work);
    const repository = new ServerRepository(settings, new OsKeychain());
    for (let i = 0; i < count; i += 1) {
      const door = await startLoopbackDoor();
      doors.push(door);
      await repository.add(
        {
          name: `door ${i}`,
          host: '127.0.0.1',
          method: { kind: 'knock' },
          checkPort: door.checkPort,
        },
        { kind: 'knock', sequence: door.sequence },
      );
    }
    const engine = new Engine({
      repository,
      settings,
      log: new EventLog(undefined, systemClock),
      clock: systemClock,
    });
    await engine.start();
    const started = new Map<string, number>();
    const perServer: number[] = [];
    engine.on('status', (status) => {
      if (status.state === 'knocking' && !started.has(status.serverId))
        started.set(status.serverId, performance.now());
      if (status.state === 'open')
        perServer.push(performance.now() - (started.get(status.serverId) ?? 0));
    });
    const t0 = performance.now();
    const results = await engine.knockAll();
    const totalMs = performance.now() - t0;
    await engine.stop();
    const shut = results.filter((r) => r.state !== 'open');
    if (shut.length > 0)
      throw new Error(`${shut.length} doors did not open: ${JSON.stringify(shut[0])}`);
    return { totalMs, perServer };
  } finally {
    for (const door of doors) await door.close();
    rmSync(work, { recursive: true, force: true });
  }
}

export async function benchEngine(): Promise<string> {
  const tuned = summary(await ipChangeToOpen(['--poll', '200', '--quiet', '500']));
  const defaults = summary(await ipChangeToOpen([]));
  // One keyring for this process: the keychain library keeps its first D-Bus connection.
  const keyring = await startPrivateKeyring();
  let idle: IdleCost;
  let many: Awaited<ReturnType<typeof knockMany>>;
  try {
    idle = await watchIdle(50, keyring);
    many = await knockMany(100, keyring);
  } finally {
    await keyring.stop();
  }
  const per = summary(many.perServer);
  return [
    markdownTable(
      ['measure', 'median', 'p10–p90', 'runs'],
      [
        [
          'IP change → door answers, default timers (poll 2 s, quiet 2 s)',
          `${ms(defaults.median)} ms`,
          `${ms(defaults.p10)}–${ms(defaults.p90)} ms`,
          String(defaults.runs),
        ],
        [
          'IP change → door answers, `--poll 200 --quiet 500`',
          `${ms(tuned.median)} ms`,
          `${ms(tuned.p10)}–${ms(tuned.p90)} ms`,
          String(tuned.runs),
        ],
        [
          `\`sesame watch\` idle with 50 servers: CPU over ${IDLE_SECONDS} s`,
          `${ms(idle.cpuMs)} ms (${((idle.cpuMs / (IDLE_SECONDS * 1000)) * 100).toFixed(3)} % of a core)`,
          '–',
          '1',
        ],
        [
          '`sesame watch` idle with 50 servers: resident memory, start → end',
          `${idle.rssStartMiB.toFixed(1)} → ${idle.rssEndMiB.toFixed(1)} MiB`,
          '–',
          '1',
        ],
        ['knock 100 servers at once (8 in parallel): all open', `${ms(many.totalMs)} ms`, '–', '1'],
        [
          'knock 100 servers at once: one server, knock + check',
          `${ms(per.median)} ms`,
          `${ms(per.p10)}–${ms(per.p90)} ms`,
          String(per.runs),
        ],
      ],
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchEngine());
}
