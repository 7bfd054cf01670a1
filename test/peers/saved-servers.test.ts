import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { Cleanup } from './harness/cleanup.js';
import { guardPort, type GuardedPort } from './harness/firewall.js';
import { type Knockd, startKnockd } from './harness/knockd.js';
import { createLab, type Lab, tcpState } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import { sesameIn } from './harness/sesame-cli.js';
import { startTcpService } from './harness/tcp-service.js';

const PROGRAMS = [
  'ip',
  'iptables-nft',
  'ip6tables-nft',
  'ipset',
  'knockd',
  'knock',
  'dbus-daemon',
  'gnome-keyring-daemon',
];
const SEQUENCES = ['7101,7202,7303', '8101,8202:udp,8303', '9101,9202,9303'];

describePeers('saved servers against a real knockd with one_time_sequences', PROGRAMS, () => {
  const cleanup = new Cleanup();
  let lab: Lab;
  let knockd: Knockd;
  let guard: GuardedPort;
  let keyring: PrivateKeyring;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let listFile: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sesame-otp-'));
    cleanup.add(() => rmSync(work, { recursive: true, force: true }));
    keyring = await startPrivateKeyring();
    cleanup.add(() => keyring.stop());
    // The keyring's bus is a socket in the file system, so the client namespace reaches it too.
    env = { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: join(work, 'sesame') };
    lab = await createLab(cleanup);
    await startTcpService(lab.server, cleanup, 22);
    guard = await guardPort(lab.server, { port: 22 });
    // knockd marks a used line by writing "#" over its first character: a leading space keeps
    // the sequence itself intact for the person reading the file.
    listFile = join(work, 'one_time_sequences');
    writeFileSync(listFile, SEQUENCES.map((s) => ` ${s}\n`).join(''));
    knockd = await startKnockd(lab, cleanup, work, [
      {
        name: 'otp',
        oneTimeSequences: listFile,
        seqTimeout: 5,
        tcpflags: 'syn',
        startCommand: 'ipset add -exist whitelist %IP%',
      },
    ]);
  });
  afterAll(() => cleanup.run());

  it('three knocks in a row open the door three times, each with the next sequence', async () => {
    const mine = join(work, 'my-list.txt');
    writeFileSync(mine, `# the list from the server\n${SEQUENCES.join('\n')}\n`);
    const added = await sesameIn(
      lab.client,
      [
        'servers',
        'add',
        'otp',
        '--host',
        lab.serverName,
        '-4',
        '--one-time',
        mine,
        '--check',
        '22',
        '--seq-timeout',
        '5',
      ],
      env,
    );
    expect(added, added.stderr).toMatchObject({ code: 0, stderr: '' });

    for (let round = 1; round <= 3; round += 1) {
      await guard.reset();
      expect(await tcpState(lab.client, lab.serverIp, 22)).toBe('filtered');
      const knocked = await sesameIn(lab.client, ['knock', 'otp'], env);
      expect(knocked.code, knocked.stderr).toBe(0);
      expect(knocked.stdout).toMatch(/^otp is open \(port 22 answered after \d+ ms\)\n$/);
      expect(knockd.opened(lab.clientIp, 'otp')).toBe(round);
      // knockd has used up exactly this many lines of its list.
      expect(
        readFileSync(listFile, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('#')),
      ).toHaveLength(round);
    }

    const spent = await sesameIn(lab.client, ['knock', 'otp'], env);
    expect(spent).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'sesame: otp: all 3 one-time sequences are used up: load the next list from the server\n',
    });
  });

  it('a used sequence does not open the door again (knockd refuses replays)', async () => {
    await guard.reset();
    const before = knockd.opened(lab.clientIp, 'otp');
    const replay = await lab.client.run('knock', [
      lab.serverIp,
      ...(SEQUENCES[0] ?? '').split(','),
    ]);
    expect(replay.code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(knockd.opened(lab.clientIp, 'otp')).toBe(before);
    expect(await tcpState(lab.client, lab.serverIp, 22)).toBe('filtered');
  });

  it('the settings file holds none of the sequences', () => {
    const settings = readFileSync(join(work, 'sesame', 'config.json'), 'utf8');
    for (const sequence of SEQUENCES)
      for (const port of sequence.split(','))
        expect(settings).not.toContain(port.replace(':udp', ''));
    const memory = (JSON.parse(settings) as { memory: Record<string, unknown> }).memory;
    expect(Object.values(memory)).toEqual([{ oneTimeCursor: 3 }]);
  });
});
