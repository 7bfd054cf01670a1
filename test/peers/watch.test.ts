import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { Cleanup } from './harness/cleanup.js';
import { guardPort, type GuardedPort } from './harness/firewall.js';
import { type Fwknopd, startFwknopd } from './harness/fwknopd.js';
import { type Knockd, startKnockd } from './harness/knockd.js';
import { type LineProcess, startLineProcess } from './harness/line-process.js';
import { createLab, type Lab, tcpState } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import { mustRun, waitFor } from './harness/run.js';
import { startStandInProviders } from './harness/stand-in-internet.js';
import { SESAME_CLI, sesameIn } from './harness/sesame-cli.js';
import { startTcpService } from './harness/tcp-service.js';
import {
  addLabDoorArgs,
  addLabSpaDoorArgs,
  LAB_KNOCKD_DOOR,
  LAB_SPA_PORT,
  LAB_SPA_STANZA,
} from './harness/lab-doors.js';

const PROGRAMS = [
  'ip',
  'iptables-nft',
  'ipset',
  'knockd',
  'fwknopd',
  'dbus-daemon',
  'gnome-keyring-daemon',
];
/** The SPA door guards another service than the knock door, so each is proven on its own. */

interface LogLine {
  kind: string;
  message: string;
  at: number;
  serverName?: string;
}

describePeers(
  'sesame watch re-opens knockd and fwknopd doors by itself when the public IP changes',
  PROGRAMS,
  () => {
    const cleanup = new Cleanup();
    let lab: Lab;
    let knockd: Knockd;
    let fwknopd: Fwknopd;
    let guard: GuardedPort;
    let keyring: PrivateKeyring;
    let env: NodeJS.ProcessEnv;
    let watch: LineProcess;
    let address = '';

    const events = (): LogLine[] =>
      watch.lines.filter(
        (line): line is LogLine & Record<string, unknown> => typeof line.kind === 'string',
      );
    const eventsSince = (t: number, kind: string) =>
      events().filter((e) => e.kind === kind && e.at >= t);

    /** Gives the client namespace a new address and removes the old one: a new network. */
    async function moveClientTo(next: string): Promise<void> {
      const ip = (...args: string[]) => mustRun('ip', ['-n', lab.client.name, ...args]);
      await ip('addr', 'add', `${next}/24`, 'dev', lab.clientIf);
      await ip('addr', 'del', `${address}/24`, 'dev', lab.clientIf);
      address = next;
    }

    beforeAll(async () => {
      const work = mkdtempSync(join(tmpdir(), 'sesame-watch-'));
      cleanup.add(() => rmSync(work, { recursive: true, force: true }));
      keyring = await startPrivateKeyring();
      cleanup.add(() => keyring.stop());
      env = { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: join(work, 'sesame') };
      lab = await createLab(cleanup);
      address = lab.clientIp;
      // Removing the first address of a subnet would remove the others with it.
      await lab.client.mustRun('sysctl', [
        '-qw',
        `net.ipv4.conf.${lab.clientIf}.promote_secondaries=1`,
      ]);
      await startTcpService(lab.server, cleanup, 22);
      await startTcpService(lab.server, cleanup, LAB_SPA_PORT);
      guard = await guardPort(lab.server, { port: 22, dropTcpPorts: [7000, 8000, 9000] });
      // fwknopd lets a client in through its own chain, which it puts first in INPUT.
      await guardPort(lab.server, { port: LAB_SPA_PORT, set4: 'unused4', set6: 'unused6' });
      fwknopd = await startFwknopd(lab, cleanup, work, [LAB_SPA_STANZA]);
      knockd = await startKnockd(lab, cleanup, work, [LAB_KNOCKD_DOOR]);
      // The server namespace plays the internet: its HTTP and DNS providers echo the asker's address.
      await startStandInProviders(lab, cleanup, join(work, 'sesame'), { dns: true });
      const added = await sesameIn(lab.client, addLabDoorArgs('door', lab.serverIp), env);
      expect(added.stderr).toBe('');
      const spa = await sesameIn(lab.client, addLabSpaDoorArgs('vault', lab.serverIp), env);
      expect(spa.stderr).toBe('');
      watch = startLineProcess(
        lab.client,
        cleanup,
        process.execPath,
        [SESAME_CLI, 'watch', '--json', '--poll', '200', '--quiet', '1000'],
        env,
      );
      await waitFor(
        'the first public IP',
        () =>
          events().some((e) => e.message === `public IPv4 is ${lab.clientIp}`) ||
          watch.lines.some((l) => l.event === 'exit'),
        20_000,
      );
      expect(watch.stderr()).toBe('');
    });
    afterAll(() => cleanup.run());

    it('re-knocks both doors when the address really changes, and they open for the new address', async () => {
      expect(await tcpState(lab.client, lab.serverIp, 22)).toBe('filtered');
      expect(await tcpState(lab.client, lab.serverIp, LAB_SPA_PORT)).toBe('filtered');
      const changedAt = Date.now();
      await moveClientTo('10.200.0.11');
      const opened = await waitFor(
        'both doors to open again',
        () => {
          const open = eventsSince(changedAt, 'door-open');
          return open.length >= 2 && open;
        },
        20_000,
      );
      expect(opened.map((e) => e.serverName).sort()).toEqual(['door', 'vault']);
      for (const event of opened) {
        console.log(
          `public IP change to ${event.serverName ?? '?'} open: ${event.at - changedAt} ms`,
        );
      }
      expect(eventsSince(changedAt, 'ip-change').map((e) => e.message)).toEqual([
        `public IPv4 changed from ${lab.clientIp} to 10.200.0.11`,
      ]);
      expect(knockd.opened('10.200.0.11', 'door')).toBe(1);
      expect(await guard.isAllowed('10.200.0.11')).toBe(true);
      expect(fwknopd.log()).toContain('Added access rule to FWKNOP_INPUT for 10.200.0.11');
      expect(await tcpState(lab.client, lab.serverIp, 22)).toBe('open');
      expect(await tcpState(lab.client, lab.serverIp, LAB_SPA_PORT)).toBe('open');
    });

    it('absorbs a flapping network: ten changes in a few seconds cause one re-knock per server', async () => {
      const startedAt = Date.now();
      const flips = [
        '10.200.0.12',
        '10.200.0.13',
        '10.200.0.12',
        '10.200.0.13',
        '10.200.0.12',
        '10.200.0.13',
        '10.200.0.12',
        '10.200.0.13',
        '10.200.0.12',
        '10.200.0.14',
      ];
      // A flip every ~200 ms: well inside the one-second quiet period the watcher runs with.
      for (const next of flips) {
        await moveClientTo(next);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await waitFor(
        'both doors to open for the last address',
        () => eventsSince(startedAt, 'door-open').length >= 2,
        20_000,
      );
      // Give a second re-knock every chance to happen before counting.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const knocks = eventsSince(startedAt, 'knock').filter((e) =>
        e.message.startsWith('knocking on'),
      );
      expect(knocks.map((e) => e.serverName).sort()).toEqual(['door', 'vault']);
      expect(eventsSince(startedAt, 'ip-change').map((e) => e.message)).toEqual([
        'public IPv4 changed from 10.200.0.11 to 10.200.0.14',
      ]);
      expect(knockd.opened('10.200.0.14', 'door')).toBe(1);
      expect(knockd.opened('10.200.0.12', 'door') + knockd.opened('10.200.0.13', 'door')).toBe(0);
      expect(
        fwknopd.log().match(/Added access rule to FWKNOP_INPUT for 10\.200\.0\.14 /g),
      ).toHaveLength(1);
    });

    it('stops cleanly on SIGTERM', async () => {
      const exited = new Promise<number | null>((resolve) =>
        watch.child.once('exit', (code) => resolve(code)),
      );
      // `ip netns exec` replaced itself with node, so the signal reaches sesame watch directly.
      watch.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(watch.lines.at(-1)).toEqual({ stopped: true });
    });
  },
);
