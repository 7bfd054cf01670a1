import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSettings } from '../../src/store/settings-loader.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { Cleanup } from './harness/cleanup.js';
import { guardPort, type GuardedPort } from './harness/firewall.js';
import { startKnockd } from './harness/knockd.js';
import { type LineProcess, startLineProcess } from './harness/line-process.js';
import { createLab, type Lab, tcpState } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import { mustRun, waitFor } from './harness/run.js';
import { SESAME_CLI, sesameIn } from './harness/sesame-cli.js';
import { startTcpService } from './harness/tcp-service.js';
import { addLabDoorArgs, LAB_KNOCKD_DOOR } from './harness/lab-doors.js';

const PROGRAMS = [
  'ip',
  'iptables-nft',
  'ipset',
  'knockd',
  'dbus-daemon',
  'gnome-keyring-daemon',
  'mount',
];
const NO_DNS =
  'sesame: nowhere: cannot resolve host "nosuch.sesame.test" (no answer from DNS; check your connection) (tried 3 times)\n';

describePeers(
  'faults: no DNS, no route, the network gone mid-knock, a full or read-only disk, SIGTERM mid-knock',
  PROGRAMS,
  () => {
    const cleanup = new Cleanup();
    let lab: Lab;
    let guard: GuardedPort;
    let keyring: PrivateKeyring;
    let work: string;
    let env: NodeJS.ProcessEnv;

    const sesame = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
      sesameIn(lab.client, args, { ...env, ...extra });

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'sesame-faults-'));
      cleanup.add(() => rmSync(work, { recursive: true, force: true }));
      keyring = await startPrivateKeyring();
      cleanup.add(() => keyring.stop());
      env = { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: join(work, 'sesame') };
      lab = await createLab(cleanup);
      await startTcpService(lab.server, cleanup, 22);
      guard = await guardPort(lab.server, { port: 22 });
      await startKnockd(lab, cleanup, work, [LAB_KNOCKD_DOOR]);
      // A route that goes nowhere: packets to it fail inside the client namespace, none leave it.
      await lab.client.mustRun('ip', ['route', 'add', 'unreachable', '10.99.0.0/24']);
      for (const [name, host, extra] of [
        ['door', lab.serverIp, ['-d', '400']],
        ['nowhere', 'nosuch.sesame.test', []],
        ['unrouted', '10.99.0.1', []],
      ] as const) {
        const added = await sesame([...addLabDoorArgs(name, host), ...extra]);
        expect(added.stderr).toBe('');
      }
    });
    afterAll(() => cleanup.run());

    it('a server whose name does not resolve: a clear reason, tried three times', async () => {
      expect(await sesame(['knock', 'nowhere'])).toEqual({ code: 1, stdout: '', stderr: NO_DNS });
    });

    it('a host without a route: the reason says so, without the knock ports', async () => {
      const result = await sesame(['knock', 'unrouted']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^sesame: unrouted: could not send a knock to 10\.99\.0\.1: E(HOST|NET)UNREACH \(tried 3 times\)\n$/,
      );
      expect(result.stderr).not.toMatch(/7000|8000|9000/);
    });

    it('the network disappears mid-knock: no crash, a clear reason; back again, the knock works', async () => {
      await guard.reset();
      const knocking = sesame(['knock', 'door']);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await mustRun('ip', ['-n', lab.client.name, 'link', 'set', lab.clientIf, 'down']);
      let result;
      try {
        result = await knocking;
      } finally {
        await mustRun('ip', ['-n', lab.client.name, 'link', 'set', lab.clientIf, 'up']);
      }
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^sesame: door: (could not send a knock to 10\.200\.0\.2: ENETUNREACH|.*10\.200\.0\.2.*unreachable.*)/,
      );
      await waitFor(
        'the link to carry traffic again',
        async () => (await tcpState(lab.client, lab.serverIp, 22)) === 'filtered',
        10_000,
      );
      const again = await sesame(['knock', 'door']);
      expect(again.code, again.stderr).toBe(0);
      expect(await tcpState(lab.client, lab.serverIp, 22)).toBe('open');
    });

    it('a full disk: the change is refused with the reason, and the settings file is as it was', async () => {
      const small = join(work, 'small');
      mkdirSync(small);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', small]);
      cleanup.add(() => void execFileSync('umount', ['-l', small]));
      const smallEnv = { SESAME_CONFIG_DIR: join(small, 'sesame') };
      expect((await sesame(addLabDoorArgs('first', lab.serverIp), smallEnv)).code).toBe(0);
      const before = readFileSync(join(small, 'sesame', 'config.json'), 'utf8');
      // Fill what is left of the disk.
      try {
        writeFileSync(join(small, 'filler'), Buffer.alloc(1024 * 1024));
      } catch {
        // ENOSPC: the disk is full now, as wanted.
      }
      const refused = await sesame(
        ['servers', 'add', 'second', '--host', lab.serverIp, '--sequence', '7000,8000,9000'],
        smallEnv,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `sesame: could not save the settings to ${join(small, 'sesame', 'config.json')}: the disk is full; free some space. Your change was not saved; the file is as it was.\n`,
      );
      expect(readFileSync(join(small, 'sesame', 'config.json'), 'utf8')).toBe(before);
      expect(readdirSync(join(small, 'sesame')).filter((name) => name.includes('.tmp'))).toEqual(
        [],
      );
      // Knocking still works, with the event log unwritable.
      await guard.reset();
      const knocked = await sesame(['knock', 'first'], smallEnv);
      expect(knocked.code, knocked.stderr).toBe(0);
    });

    it('a read-only settings folder: the change is refused with the reason; reading and knocking go on', async () => {
      const frozen = join(work, 'frozen');
      mkdirSync(join(frozen, 'sesame'), { recursive: true });
      const frozenEnv = { SESAME_CONFIG_DIR: join(frozen, 'sesame') };
      expect((await sesame(addLabDoorArgs('first', lab.serverIp), frozenEnv)).code).toBe(0);
      execFileSync('mount', ['--bind', frozen, frozen]);
      cleanup.add(() => void execFileSync('umount', ['-l', frozen]));
      execFileSync('mount', ['-o', 'remount,bind,ro', frozen]);
      const refused = await sesame(['servers', 'edit', 'first', '--tag', 'x'], frozenEnv);
      expect(refused).toEqual({
        code: 1,
        stdout: '',
        stderr: `sesame: could not save the settings to ${join(frozen, 'sesame', 'config.json')}: the folder cannot be written to; check its permissions. Your change was not saved; the file is as it was.\n`,
      });
      expect((await sesame(['servers', 'list'], frozenEnv)).stdout).toContain('first');
      await guard.reset();
      await guard.reset();
      const knocked = await sesame(['knock', 'first'], frozenEnv);
      expect(knocked.code, knocked.stderr).toBe(0);
    });

    it('sesame watch stopped by SIGTERM in the middle of a knock stops cleanly and leaves whole files', async () => {
      await guard.reset();
      const slowEnv = { ...env, SESAME_CONFIG_DIR: join(work, 'slow') };
      const added = await sesameIn(
        lab.client,
        [
          'servers',
          'add',
          'slow',
          '--host',
          lab.serverIp,
          '--sequence',
          '7000,8000,9000',
          '-d',
          '1500',
          '--check',
          '22',
          '--at-start',
        ],
        slowEnv,
      );
      expect(added.code).toBe(0);
      // No provider needs to answer for this: the knock at start begins at once.
      writeProviders(join(work, 'slow'));
      const watch: LineProcess = startLineProcess(
        lab.client,
        cleanup,
        process.execPath,
        [SESAME_CLI, 'watch', '--json', '-v'],
        slowEnv,
      );
      await waitFor(
        'the knock to be under way',
        () => watch.lines.some((l) => JSON.stringify(l).includes('"sent":1')),
        15_000,
      );
      const exited = new Promise<number | null>((resolve) =>
        watch.child.once('exit', (code) => resolve(code)),
      );
      watch.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(watch.lines.at(-1)).toEqual({ stopped: true });
      const dir = join(work, 'slow');
      expect(loadSettings(join(dir, 'config.json'), new Date()).problems).toEqual([]);
      expect(
        () => JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')) as unknown,
      ).not.toThrow();
      expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
      expect(existsSync(join(dir, 'config.json'))).toBe(true);
    });
  },
);

/** Points the public-IP check at a port nobody listens on: never at the real services. */
function writeProviders(dir: string): void {
  const path = join(dir, 'config.json');
  const settings = JSON.parse(readFileSync(path, 'utf8')) as {
    preferences?: Record<string, unknown>;
  };
  settings.preferences = {
    ...settings.preferences,
    acceptPrivateIp: true,
    ipProviders: [{ kind: 'http', name: 'nobody', format: 'text', ipv4: 'http://127.0.0.1:9/' }],
  };
  writeFileSync(path, JSON.stringify(settings));
}
