import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SettingsStore } from '../../src/store/settings-store.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { Cleanup } from './harness/cleanup.js';
import { guardPort, type GuardedPort } from './harness/firewall.js';
import { type Knockd, startKnockd } from './harness/knockd.js';
import { type LineProcess, startLineProcess, startTsLineProcess } from './harness/line-process.js';
import { createLab, type Lab, tcpState } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import { mustRun, waitFor } from './harness/run.js';
import { SESAME_CLI, sesameIn } from './harness/sesame-cli.js';
import { startTcpService } from './harness/tcp-service.js';

const STAND_INS = fileURLToPath(new URL('../helpers/stand-ins/stand-in-main.ts', import.meta.url));
const PROGRAMS = ['ip', 'iptables-nft', 'ipset', 'knockd', 'dbus-daemon', 'gnome-keyring-daemon'];

interface LogLine {
  kind: string;
  message: string;
  at: number;
  serverName?: string;
}

describePeers('sesame watch re-opens doors by itself when the public IP changes', PROGRAMS, () => {
  const cleanup = new Cleanup();
  let lab: Lab;
  let knockd: Knockd;
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
    guard = await guardPort(lab.server, { port: 22, dropTcpPorts: [7000, 8000, 9000] });
    knockd = await startKnockd(lab, cleanup, work, [
      {
        name: 'door',
        sequence: '7000,8000,9000',
        tcpflags: 'syn',
        seqTimeout: 5,
        startCommand: 'ipset add -exist whitelist %IP%',
      },
    ]);
    // The server namespace plays the internet: its HTTP and DNS providers echo the asker's address.
    const standIns = startTsLineProcess(lab.server, cleanup, [
      STAND_INS,
      '--host',
      lab.serverIp,
      '--http',
      '0',
      '--dns',
      '0',
    ]);
    const ports = (await waitFor(
      'the stand-ins',
      () => standIns.lines.find((l) => 'http' in l),
      20_000,
    )) as { http: number; dns: number };
    const settings = SettingsStore.open(join(work, 'sesame'));
    settings.update((s) => ({
      ...s,
      preferences: {
        ...s.preferences,
        acceptPrivateIp: true,
        ipProviders: [
          {
            kind: 'http',
            name: 'echo',
            format: 'text',
            ipv4: `http://${lab.serverIp}:${ports.http}/`,
          },
          {
            kind: 'dns',
            name: 'dns-echo',
            ipv4: {
              server: `${lab.serverIp}:${ports.dns}`,
              name: 'myip.opendns.com',
              type: 'A',
              class: 'IN',
            },
          },
        ],
      },
    }));
    const added = await sesameIn(
      lab.client,
      [
        'servers',
        'add',
        'door',
        '--host',
        lab.serverIp,
        '--sequence',
        '7000,8000,9000',
        '--check',
        '22',
        '--seq-timeout',
        '5',
      ],
      env,
    );
    expect(added.stderr).toBe('');
    watch = startLineProcess(
      lab.client,
      cleanup,
      process.execPath,
      [SESAME_CLI, 'watch', '--json', '--poll', '200', '--quiet', '500'],
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

  it('re-knocks when the address really changes, and the door opens for the new address', async () => {
    expect(await tcpState(lab.client, lab.serverIp, 22)).toBe('filtered');
    const changedAt = Date.now();
    await moveClientTo('10.200.0.11');
    const opened = await waitFor(
      'the door to open again',
      () => eventsSince(changedAt, 'door-open')[0],
      20_000,
    );
    console.log(`public IP change to door open: ${opened.at - changedAt} ms`);
    expect(eventsSince(changedAt, 'ip-change').map((e) => e.message)).toEqual([
      `public IPv4 changed from ${lab.clientIp} to 10.200.0.11`,
    ]);
    expect(knockd.opened('10.200.0.11', 'door')).toBe(1);
    expect(await guard.isAllowed('10.200.0.11')).toBe(true);
    expect(await tcpState(lab.client, lab.serverIp, 22)).toBe('open');
  });

  it('absorbs a flapping network: ten changes in a few seconds cause one re-knock', async () => {
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
    for (const next of flips) {
      await moveClientTo(next);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await waitFor(
      'the door to open for the last address',
      () => eventsSince(startedAt, 'door-open')[0],
      20_000,
    );
    // Give a second re-knock every chance to happen before counting.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(
      eventsSince(startedAt, 'knock').filter((e) => e.message.startsWith('knocking on door')),
    ).toHaveLength(1);
    expect(eventsSince(startedAt, 'ip-change').map((e) => e.message)).toEqual([
      'public IPv4 changed from 10.200.0.11 to 10.200.0.14',
    ]);
    expect(knockd.opened('10.200.0.14', 'door')).toBe(1);
    expect(knockd.opened('10.200.0.12', 'door') + knockd.opened('10.200.0.13', 'door')).toBe(0);
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
});
