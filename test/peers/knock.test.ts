import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startCapture } from './harness/capture.js';
import { Cleanup } from './harness/cleanup.js';
import { guardPort, type GuardedPort } from './harness/firewall.js';
import { type Knockd, startKnockd } from './harness/knockd.js';
import { createLab, type Lab, tcpState } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import type { RunResult } from './harness/run.js';
import { sesameIn } from './harness/sesame-cli.js';
import { startTcpService } from './harness/tcp-service.js';

const PROGRAMS = ['ip', 'iptables-nft', 'ip6tables-nft', 'ipset', 'knockd', 'knock', 'tcpdump'];
const SSH = 22;
const OPEN_V4 = 'ipset add -exist whitelist %IP%';
const OPEN_V6 = 'ipset add -exist whitelist6 %IP%';

/** The two clients compared on the same doors: Sesame's command and Debian's own `knock`. */
const CLIENTS: { name: string; knock: (lab: Lab, args: string[]) => Promise<RunResult> }[] = [
  { name: 'sesame knock', knock: (lab, args) => sesameIn(lab.client, ['knock', ...args]) },
  { name: "Debian's knock", knock: (lab, args) => lab.client.run('knock', args) },
];

describePeers('knocking on real knockd doors', PROGRAMS, () => {
  const cleanup = new Cleanup();
  let lab: Lab;
  let knockd: Knockd;
  let guard: GuardedPort;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sesame-knock-'));
    cleanup.add(() => rmSync(work, { recursive: true, force: true }));
    lab = await createLab(cleanup);
    await startTcpService(lab.server, cleanup, SSH);
    guard = await guardPort(lab.server, { port: SSH, dropTcpPorts: [7000, 8000, 9000] });
    knockd = await startKnockd(lab, cleanup, work, [
      {
        name: 'tcpDoor',
        sequence: '7000,8000,9000',
        tcpflags: 'syn',
        startCommand: OPEN_V4,
        startCommand6: OPEN_V6,
      },
      {
        name: 'udpDoor',
        sequence: '7001:udp,8001:udp,9001:udp',
        startCommand: OPEN_V4,
        startCommand6: OPEN_V6,
      },
      {
        name: 'mixedDoor',
        sequence: '7002,8002:udp,9002',
        tcpflags: 'syn',
        startCommand: OPEN_V4,
        startCommand6: OPEN_V6,
      },
    ]);
  });

  afterAll(() => cleanup.run());

  beforeEach(async () => {
    await guard.reset();
    expect(await tcpState(lab.client, lab.serverIp, SSH)).toBe('filtered');
  });

  /** Knocks, then proves the door opened: knockd says so, the ipset holds us, SSH answers. */
  async function expectDoorOpens(
    client: (typeof CLIENTS)[number],
    door: string,
    args: string[],
    ip = lab.clientIp,
    target = lab.serverIp,
  ) {
    const before = knockd.opened(ip, door);
    const result = await client.knock(lab, args);
    expect(result, result.stderr).toMatchObject({ code: 0, stderr: '' });
    await expect.poll(() => knockd.opened(ip, door), { timeout: 3000 }).toBe(before + 1);
    await expect.poll(() => guard.isAllowed(ip), { timeout: 3000 }).toBe(true);
    expect(await tcpState(lab.client, target, SSH)).toBe('open');
  }

  for (const client of CLIENTS) {
    it(`${client.name} opens a TCP-only door`, async () => {
      await expectDoorOpens(client, 'tcpDoor', [lab.serverIp, '7000', '8000', '9000']);
    });

    it(`${client.name} opens a UDP-only door (-u)`, async () => {
      await expectDoorOpens(client, 'udpDoor', ['-u', lab.serverIp, '7001', '8001', '9001']);
    });

    it(`${client.name} opens a mixed TCP/UDP door`, async () => {
      await expectDoorOpens(client, 'mixedDoor', [lab.serverIp, '7002', '8002:udp', '9002']);
    });

    it(`${client.name} opens a door over IPv6 (-6)`, async () => {
      await expectDoorOpens(
        client,
        'tcpDoor',
        ['-6', lab.serverName, '7000', '8000', '9000'],
        lab.clientIp6,
        lab.serverIp6,
      );
      expect(await guard.isAllowed(lab.clientIp)).toBe(false);
    });

    it(`${client.name}: a wrong sequence leaves the door shut`, async () => {
      const before = knockd.opened(lab.clientIp, 'tcpDoor');
      const result = await client.knock(lab, [lab.serverIp, '7000', '9000', '8000']);
      expect(result.code).toBe(0);
      // The door would have opened within milliseconds; give knockd ample time to be sure.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(knockd.opened(lab.clientIp, 'tcpDoor')).toBe(before);
      expect(await guard.isAllowed(lab.clientIp)).toBe(false);
      expect(await tcpState(lab.client, lab.serverIp, SSH)).toBe('filtered');
    });

    it(`${client.name} sends exactly one SYN per TCP hit, to dropped and to refusing ports`, async () => {
      const capture = await startCapture(lab.server, cleanup, lab.serverIf, 'tcp or udp');
      // tcpDoor's ports are dropped by the firewall (no answer); mixedDoor's refuse with a RST.
      await expectDoorOpens(client, 'tcpDoor', [lab.serverIp, '7000', '8000', '9000']);
      await expectDoorOpens(client, 'mixedDoor', [lab.serverIp, '7002', '8002:udp', '9002']);
      // The kernel would resend an unanswered SYN after about a second: wait past that.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const packets = await capture.stop();
      const synsTo = (port: number) =>
        packets.filter((p) => p.destinationPort === port && p.flags === 'S').length;
      expect([7000, 8000, 9000, 7002, 9002].map(synsTo)).toEqual([1, 1, 1, 1, 1]);
      expect(
        packets.filter((p) => p.destinationPort === 8002 && p.protocol === 'udp'),
      ).toHaveLength(1);
      // No other packet reached a sequence port of tcpDoor (it would have broken the sequence).
      expect(packets.filter((p) => [7000, 8000, 9000].includes(p.destinationPort))).toHaveLength(3);
    });
  }

  it('sesame knock --check exits 0 when the door opened', async () => {
    const result = await sesameIn(lab.client, [
      'knock',
      '--check',
      String(SSH),
      lab.serverIp,
      '7000,8000,9000',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^10\.200\.0\.2:22 is open \(answered after \d+ ms\)\n$/);
  });

  it('sesame knock --check exits 1 with the reason when the door stayed shut', async () => {
    const result = await sesameIn(lab.client, [
      'knock',
      '--check',
      String(SSH),
      '--timeout',
      '600',
      lab.serverIp,
      '9000,8000,7000',
    ]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'sesame: 10.200.0.2:22 did not answer within 600 ms: the door did not open (wrong sequence?)\n',
    });
  });

  it('sesame knock --json --check over IPv6 reports the pinned address and the open port', async () => {
    const result = await sesameIn(lab.client, [
      'knock',
      '--json',
      '-6',
      '--check',
      String(SSH),
      lab.serverName,
      '7000',
      '8000',
      '9000',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: true,
      host: lab.serverName,
      address: lab.serverIp6,
      family: 6,
      hits: [{ port: 7000 }, { port: 8000 }, { port: 9000 }],
      check: { port: SSH, state: 'open' },
    });
  });

  it('sesame knock says which host it cannot resolve', async () => {
    // The client namespace has no DNS server (its resolv.conf points at its own empty loopback),
    // so this is what a person without a connection sees.
    const unknown = await sesameIn(lab.client, ['knock', 'nosuch.sesame.test', '7000']);
    expect(unknown).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'sesame: cannot resolve host "nosuch.sesame.test" (no answer from DNS; check your connection)\n',
    });
    const wrongFamily = await sesameIn(lab.client, ['knock', '-4', 'v6only.sesame.test', '7000']);
    expect(wrongFamily.code).toBe(1);
    expect(wrongFamily.stderr).toMatch(
      /^sesame: cannot resolve host "v6only.sesame.test" to an IPv4 address\b/,
    );
  });
});
