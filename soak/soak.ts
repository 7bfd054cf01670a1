// Soak run of `sesame watch`: real knockd and fwknopd doors in namespaces, the client's address
// changing every few seconds for minutes, as a laptop hopping between networks. Afterwards:
// every change was followed by exactly one re-knock of each door (none missed, none twice), the
// doors opened for each new address, and the memory of `sesame watch` stayed flat.
// Run as root: npm run soak   (SOAK_SECONDS=180 by default; CI runs a short one)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateKeyring } from '../test/helpers/private-keyring.js';
import { Cleanup } from '../test/peers/harness/cleanup.js';
import { guardPort } from '../test/peers/harness/firewall.js';
import { startFwknopd } from '../test/peers/harness/fwknopd.js';
import { startKnockd } from '../test/peers/harness/knockd.js';
import { startLineProcess } from '../test/peers/harness/line-process.js';
import { createLab } from '../test/peers/harness/netns.js';
import { mustRun, waitFor } from '../test/peers/harness/run.js';
import { startStandInProviders } from '../test/peers/harness/stand-in-internet.js';
import { SESAME_CLI, sesameIn } from '../test/peers/harness/sesame-cli.js';
import { startTcpService } from '../test/peers/harness/tcp-service.js';
import {
  addLabDoorArgs,
  addLabSpaDoorArgs,
  LAB_KNOCKD_DOOR,
  LAB_SPA_PORT,
  LAB_SPA_STANZA,
} from '../test/peers/harness/lab-doors.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180);
const CHANGE_EVERY_MS = Number(process.env.SOAK_CHANGE_MS ?? 4000);

interface LogLine {
  readonly kind: string;
  readonly message: string;
  readonly at: number;
  readonly serverName?: string;
}

function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

async function soak(): Promise<string[]> {
  const cleanup = new Cleanup();
  const problems: string[] = [];
  try {
    const work = mkdtempSync(join(tmpdir(), 'sesame-soak-'));
    cleanup.add(() => rmSync(work, { recursive: true, force: true }));
    const keyring = await startPrivateKeyring();
    cleanup.add(() => keyring.stop());
    const env = { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: join(work, 'sesame') };
    const lab = await createLab(cleanup);
    await lab.client.mustRun('sysctl', [
      '-qw',
      `net.ipv4.conf.${lab.clientIf}.promote_secondaries=1`,
    ]);
    await startTcpService(lab.server, cleanup, 22);
    await startTcpService(lab.server, cleanup, LAB_SPA_PORT);
    await guardPort(lab.server, { port: 22, dropTcpPorts: [7000, 8000, 9000] });
    await guardPort(lab.server, { port: LAB_SPA_PORT, set4: 'unused4', set6: 'unused6' });
    const knockd = await startKnockd(lab, cleanup, work, [LAB_KNOCKD_DOOR]);
    const fwknopd = await startFwknopd(lab, cleanup, work, [
      { ...LAB_SPA_STANZA, fwAccessTimeout: 600 },
    ]);
    await startStandInProviders(lab, cleanup, join(work, 'sesame'), { dns: true });
    await sesameIn(lab.client, addLabDoorArgs('door', lab.serverIp), env);
    await sesameIn(lab.client, addLabSpaDoorArgs('vault', lab.serverIp), env);
    const watch = startLineProcess(
      lab.client,
      cleanup,
      process.execPath,
      [SESAME_CLI, 'watch', '--json', '--poll', '200', '--quiet', '800'],
      env,
    );
    const events = (): LogLine[] =>
      watch.lines.filter((l) => typeof l.kind === 'string') as unknown as LogLine[];
    await waitFor(
      'the first public IP',
      () => events().some((e) => e.message.startsWith('public IPv4 is')),
      30_000,
    );
    const pid = watch.child.pid ?? 0;
    // Let Node settle (JIT, first allocations) before the memory baseline.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const memory: number[] = [rssMiB(pid)];

    const deadline = Date.now() + SECONDS * 1000;
    let current = lab.clientIp;
    const visited: { address: string; at: number }[] = [];
    for (let round = 0; Date.now() < deadline; round += 1) {
      const next = `10.200.0.${20 + (round % 200)}`;
      await mustRun('ip', [
        '-n',
        lab.client.name,
        'addr',
        'add',
        `${next}/24`,
        'dev',
        lab.clientIf,
      ]);
      await mustRun('ip', [
        '-n',
        lab.client.name,
        'addr',
        'del',
        `${current}/24`,
        'dev',
        lab.clientIf,
      ]);
      visited.push({ address: next, at: Date.now() });
      current = next;
      await new Promise((resolve) => setTimeout(resolve, CHANGE_EVERY_MS));
      memory.push(rssMiB(pid));
    }
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const changes = events().filter((e) => e.kind === 'ip-change');
    const knocks = events().filter(
      (e) => e.kind === 'knock' && e.message.startsWith('knocking on'),
    );
    for (const name of ['door', 'vault']) {
      const count = knocks.filter((e) => e.serverName === name).length;
      if (count !== changes.length)
        problems.push(`${name}: ${count} knocks for ${changes.length} IP changes`);
    }
    if (changes.length !== visited.length)
      problems.push(`${visited.length} address changes but ${changes.length} IP changes seen`);
    // A long soak comes back to an address it used before: each visit opens each door once.
    const visits = new Map<string, number>();
    for (const { address } of visited) visits.set(address, (visits.get(address) ?? 0) + 1);
    for (const [address, times] of visits) {
      if (knockd.opened(address, 'door') !== times)
        problems.push(
          `knockd opened ${knockd.opened(address, 'door')} times for ${address} (visited ${times})`,
        );
      const added =
        fwknopd.log().split(`Added access rule to FWKNOP_INPUT for ${address} `).length - 1;
      if (added !== times)
        problems.push(`fwknopd added ${added} rules for ${address} (visited ${times})`);
    }
    const failed = events().filter(
      (e) => e.kind === 'knock-failed' || e.kind === 'door-closed' || e.kind === 'error',
    );
    for (const event of failed) problems.push(`unexpected: ${event.message}`);
    // Flat: the last quarter of the samples is not above the first quarter by more than 10 MiB.
    const quarter = Math.max(1, Math.floor(memory.length / 4));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const early = mean(memory.slice(0, quarter));
    const late = mean(memory.slice(-quarter));
    console.log(
      `soak: ${SECONDS} s, ${visited.length} address changes, ${changes.length} seen, ${knocks.length} knocks; ` +
        `sesame watch RSS ${early.toFixed(1)} MiB → ${late.toFixed(1)} MiB (${memory.length} samples)`,
    );
    // The shape of the curve: a leak keeps rising, a warm-up levels off.
    const fifths = [0, 0.2, 0.4, 0.6, 0.8, 1].map(
      (f) => memory[Math.min(memory.length - 1, Math.round(f * (memory.length - 1)))] ?? 0,
    );
    console.log(
      `soak: RSS at 0, 20, 40, 60, 80, 100 %: ${fifths.map((m) => m.toFixed(1)).join(' ')} MiB`,
    );
    if (late - early > 10)
      problems.push(`memory grew from ${early.toFixed(1)} to ${late.toFixed(1)} MiB`);
    return problems;
  } finally {
    await cleanup.run();
  }
}

const problems = await soak();
for (const problem of problems) console.error(`soak: ${problem}`);
process.exitCode = problems.length === 0 ? 0 : 1;
