import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerRepository } from '../../src/servers/server-repository.js';
import { OsKeychain } from '../../src/store/secret-store.js';
import { SettingsStore } from '../../src/store/settings-store.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';
import { run } from '../peers/harness/run.js';
import { SESAME_CLI } from '../peers/harness/sesame-cli.js';

const fixture = (path: string) => new URL(`../fixtures/${path}`, import.meta.url).pathname;
const PASSPHRASE = 'correct horse battery staple';
const WEB_KEY = '8DnfL6iab0fXan3BOSgvRdQP+lye4ccQsnaB+OogrEs=';

describeWithPrograms(
  'sesame import, export and share, against a private keyring',
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    let keyring: PrivateKeyring;
    let work: string;
    let here: string;
    let there: string;
    let passphraseFile: string;

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      work = mkdtempSync(join(tmpdir(), 'sesame-import-'));
      here = join(work, 'here');
      there = join(work, 'there');
      passphraseFile = join(work, 'passphrase');
      writeFileSync(passphraseFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    });
    afterAll(async () => {
      await keyring.stop();
      rmSync(work, { recursive: true, force: true });
    });

    const sesame = (args: string[], options: { dir?: string; input?: string } = {}) =>
      run(process.execPath, [SESAME_CLI, ...args], {
        env: { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: options.dir ?? here },
        ...(options.input !== undefined && { input: options.input }),
      });
    /** The servers of a settings folder with their secrets, read as the tray app reads them. */
    const saved = async (dir: string) => {
      Object.assign(process.env, keyring.env);
      const repository = new ServerRepository(SettingsStore.open(dir), new OsKeychain());
      return Promise.all(
        repository.list().map(async (server) => ({
          server,
          secret: await repository.secretOf(server),
        })),
      );
    };
    const settingsText = (dir: string) => readFileSync(join(dir, 'config.json'), 'utf8');

    describe('importing', () => {
      it("imports a door of knockd's sample configuration, its sequence into the keychain", async () => {
        const result = await sesame([
          'import',
          fixture('knockd/debian-knockd.conf'),
          '--host',
          'knock.example.com',
          '--door',
          'openSSH',
        ]);
        expect(result).toEqual({
          code: 0,
          stdout: 'imported 1 server: openSSH\n',
          stderr:
            'sesame: warning: [openSSH] (line 4): the check port 22 is taken from the start command\n',
        });
        const [open] = await saved(here);
        expect(open?.server).toMatchObject({
          name: 'openSSH',
          host: 'knock.example.com',
          method: { kind: 'knock', seqTimeoutSeconds: 5 },
          checkPort: 22,
        });
        expect(open?.secret).toEqual({ kind: 'knock', sequence: '7000,8000,9000' });
        expect(settingsText(here)).not.toContain('7000');
      });

      it('imports every stanza of a ~/.fwknoprc with its keys', async () => {
        const result = await sesame(['import', fixture('fwknoprc/several.fwknoprc')]);
        expect(result).toEqual({
          code: 0,
          stdout: 'imported 3 servers: web, db, desktop\n',
          stderr: '',
        });
        const web = (await saved(here)).find((entry) => entry.server.name === 'web');
        expect(web?.secret).toMatchObject({ kind: 'spa', encryptionKeyBase64: WEB_KEY });
        expect(settingsText(here)).not.toContain(WEB_KEY);
      });

      it('refuses a malformed file whole, one line per problem, and saves nothing', async () => {
        const before = settingsText(here);
        const result = await sesame(['import', fixture('fwknoprc/malformed.fwknoprc')]);
        expect(result.code).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr).toBe(
          [
            'sesame: warning: malformed.fwknoprc:2: ACCESS is outside any stanza, so fwknop ignores it: put it under [default] or a [name]',
            'sesame: warning: [nohost] (line 6): the stanza has no ALLOW_IP: Sesame will let in your public IP (as -R does)',
            'sesame: warning: [nokey] (line 15): the stanza has no ALLOW_IP: Sesame will let in your public IP (as -R does)',
            'sesame: malformed.fwknoprc: line 4: USE_GPG Y: Sesame encrypts with Rijndael keys only, not GPG: use KEY_BASE64 and HMAC_KEY_BASE64',
            'sesame: malformed.fwknoprc: [nohost] (line 6): the stanza has no SPA_SERVER: give the host',
            'sesame: malformed.fwknoprc: line 12, [typo]: unknown key ACESS (did you mean ACCESS?)',
            'sesame: malformed.fwknoprc: [nokey] (line 15): the stanza has no key: add KEY_BASE64 (and HMAC_KEY_BASE64) to it',
            'sesame: malformed.fwknoprc: line 21, [badvalue]: ACCESS: fwknop reads only "tcp/22" and ignores "udp/53" (a value cannot hold blanks)',
            'sesame: malformed.fwknoprc: line 22, [badvalue]: KEY_BASE64 is not base64 (letters, digits, "+", "/" and a final "=")',
            'sesame: malformed.fwknoprc: line 23, [badvalue]: a stanza name needs its closing "]"',
            'sesame: nothing was imported',
            '',
          ].join('\n'),
        );
        expect(settingsText(here)).toBe(before);
      });

      it('refuses a name already taken, or imports it renamed when asked', async () => {
        const args = ['import', fixture('knockd/debian-knockd.conf'), '--host', 'h.example.com'];
        const refused = await sesame([...args, '--door', 'openssh']);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain(
          'sesame: debian-knockd.conf: [openSSH] (line 4): a server named "openSSH" already exists: rename it there first, or import with renaming (it would be saved as "openSSH (2)")\n',
        );
        const renamed = await sesame([...args, '--door', 'openssh', '--rename']);
        expect(renamed.stdout).toBe('imported 1 server: openSSH (2)\n');
        expect(renamed.stderr).toContain(
          'a server named "openSSH" exists: this one is saved as "openSSH (2)"',
        );
      });

      it('takes the one-time list of a door from the file copied off the server', async () => {
        const conf = join(work, 'otp.conf');
        writeFileSync(conf, '[otp]\n one_time_sequences = /etc/knockd/otp\n tcpflags = syn\n');
        const list = join(work, 'otp-list');
        writeFileSync(list, ' 31877,12034,48211\n 40123,22871,51234\n');
        const result = await sesame([
          'import',
          conf,
          '--host',
          'h.example.com',
          '--check',
          '22',
          '--one-time-file',
          `otp=${list}`,
        ]);
        expect(result).toEqual({ code: 0, stdout: 'imported 1 server: otp\n', stderr: '' });
        const otp = (await saved(here)).find((entry) => entry.server.name === 'otp');
        expect(otp?.secret).toEqual({
          kind: 'knock',
          oneTimeSequences: ['31877,12034,48211', '40123,22871,51234'],
        });
      });

      it('shows what it would import with --dry-run, and saves nothing', async () => {
        const before = settingsText(here);
        const result = await sesame([
          'import',
          fixture('knockd/debian-knockd.conf'),
          '--host',
          'h.example.com',
          '--door',
          'openHTTPS',
          '--dry-run',
        ]);
        expect(result).toEqual({
          code: 0,
          stdout:
            'would import 1 server from the knockd file (nothing saved):\n  openHTTPS  knock  h.example.com\n',
          stderr: '',
        });
        expect(settingsText(here)).toBe(before);
      });
    });

    describe('exporting and importing again', () => {
      it('without secrets: the same servers, their secrets to be entered again', async () => {
        const file = join(work, 'plain.json');
        const exported = await sesame(['export', 'web', 'openSSH', '-o', file]);
        expect(exported).toEqual({
          code: 0,
          stdout: `exported 2 servers to ${file} (no secrets)\n`,
          stderr: '',
        });
        expect(statSync(file).mode & 0o777).toBe(0o600);
        expect(readFileSync(file, 'utf8')).not.toContain(WEB_KEY);
        expect(readFileSync(file, 'utf8')).not.toContain('7000');
        const imported = await sesame(['import', file], { dir: there });
        expect(imported.stdout).toBe('imported 2 servers: web, openSSH\n');
        const mine = await saved(here);
        const theirs = await saved(there);
        const strip = ({ id: _id, ...rest }: { id: string }) => rest;
        for (const name of ['web', 'openSSH']) {
          const a = mine.find((entry) => entry.server.name === name);
          const b = theirs.find((entry) => entry.server.name === name);
          expect(b && strip(b.server)).toEqual(a && strip(a.server));
          expect(b?.secret).toBeUndefined();
        }
      });

      it('with secrets: sealed with the passphrase, opened with it, nothing else changed', async () => {
        const file = join(work, 'sealed.json');
        const exported = await sesame(
          ['export', 'web', 'db', '--with-secrets', '--passphrase-file', '-', '-o', file],
          { input: `${PASSPHRASE}\n` },
        );
        expect(exported.stdout).toBe(
          `exported 2 servers to ${file} (secrets sealed with your passphrase)\n`,
        );
        const text = readFileSync(file, 'utf8');
        expect(text).not.toContain(WEB_KEY);
        const target = join(work, 'sealed-target');
        const imported = await sesame(['import', file, '--passphrase-file', passphraseFile], {
          dir: target,
        });
        expect(imported).toEqual({ code: 0, stdout: 'imported 2 servers: web, db\n', stderr: '' });
        const mine = await saved(here);
        for (const entry of await saved(target)) {
          expect(entry.secret).toEqual(
            mine.find((m) => m.server.name === entry.server.name)?.secret,
          );
        }
      });

      it('refuses a wrong passphrase and a changed file, and changes nothing', async () => {
        const file = join(work, 'sealed.json');
        const target = join(work, 'refusing');
        const wrong = await sesame(['import', file, '--passphrase-file', '-'], {
          dir: target,
          input: 'not the passphrase\n',
        });
        expect(wrong).toEqual({
          code: 2,
          stdout: '',
          stderr:
            'sesame: sealed.json: the passphrase is wrong: nothing was imported (try again; it is the one given at export)\nsesame: nothing was imported\n',
        });
        const none = await sesame(['import', file], { dir: target });
        expect(none.stderr).toBe(
          'sesame: sealed.json: this export holds secrets sealed with a passphrase: give the passphrase to import it\nsesame: nothing was imported\n',
        );
        const changed = join(work, 'changed.json');
        writeFileSync(
          changed,
          readFileSync(file, 'utf8').replace('web.example.com', 'evil.example.com'),
        );
        const tampered = await sesame(['import', changed, '--passphrase-file', passphraseFile], {
          dir: target,
        });
        expect(tampered).toEqual({
          code: 2,
          stdout: '',
          stderr:
            'sesame: changed.json: the file was changed after it was exported (its contents no longer match its seal): nothing was imported\nsesame: nothing was imported\n',
        });
        expect((await sesame(['servers', 'list', '--json'], { dir: target })).stdout).toBe('[]\n');
      });
    });

    describe('sharing', () => {
      it('prints a link without secrets that another Sesame imports as it is', async () => {
        const shared = await sesame(['share', 'desktop']);
        expect(shared.code).toBe(0);
        expect(shared.stdout).toMatch(/^sesame:\/\/add\/[A-Za-z0-9_-]+\n$/);
        const target = join(work, 'linked');
        const imported = await sesame(['import', shared.stdout.trim()], { dir: target });
        expect(imported.stdout).toBe('imported 1 server: desktop\n');
        expect(imported.stderr).toBe(
          'sesame: warning: "desktop": the export holds no secret: enter the sequence or keys after importing\n',
        );
        const [desktop] = await saved(target);
        expect(desktop?.server.method).toMatchObject({ natPort: 13389, encryptionMode: 'legacy' });
      });

      it('seals the secret in the link with a passphrase, and prints a QR code', async () => {
        const shared = await sesame(
          ['share', 'openSSH', '--qr', '--with-secrets', '--passphrase-file', '-'],
          { input: PASSPHRASE },
        );
        expect(shared.code).toBe(0);
        const lines = shared.stdout.trimEnd().split('\n');
        const link = lines.pop() ?? '';
        expect(lines.length).toBeGreaterThan(10);
        expect(shared.stdout).toContain('▄');
        const target = join(work, 'linked-secret');
        const imported = await sesame(['import', link, '--passphrase-file', passphraseFile], {
          dir: target,
        });
        expect(imported.stdout).toBe('imported 1 server: openSSH\n');
        expect((await saved(target))[0]?.secret).toEqual({
          kind: 'knock',
          sequence: '7000,8000,9000',
        });
      });

      it("prints fwknop's key QR code only when asked, with a warning", async () => {
        const shown = await sesame(['share', 'web', '--fwknop-qr']);
        expect(shown.code).toBe(0);
        expect(shown.stderr).toBe(
          'sesame: warning: this QR code holds the keys of "web" in clear: anyone who sees it can open the door\n',
        );
        expect(shown.stdout).toContain('▄');
        expect(shown.stdout).not.toContain(WEB_KEY);
      });
    });

    it('prints the setup of a saved door with explanations', async () => {
      const setup = await sesame(['server-setup', 'openSSH', '--stop-after', '600']);
      expect(setup.code).toBe(0);
      expect(setup.stdout).toContain(`# knockd door (/etc/knockd.conf)
# When an address sends these hits in order within 5 seconds (one SYN each, as Sesame sends them),
# knockd adds it to the ipset sesame-openssh and sesame-openssh-6, and takes it out again after
# 600 seconds.
[openssh]
    sequence           = 7000,8000,9000
`);
      expect(setup.stdout).toContain(
        'iptables -A INPUT -p tcp --dport 22 -m set --match-set sesame-openssh src -j ACCEPT\n',
      );
      expect(setup.stderr).toContain(
        'sesame: warning: the sequence: port 7000 (knockd examples), 8000 (HTTP (alternative)), 9000 (knockd examples) are common service ports: scanners try them first\n',
      );
      const json = JSON.parse((await sesame(['server-setup', 'web', '--json'])).stdout) as {
        blocks: { id: string; text: string }[];
      };
      expect(json.blocks.map((block) => block.id)).toEqual(['fwknopd-access', 'spa-iptables']);
      expect(json.blocks[0]?.text).toContain(`KEY_BASE64                ${WEB_KEY}\n`);
      const hidden = await sesame(['server-setup', 'web', '--no-secrets']);
      expect(hidden.stdout).not.toContain(WEB_KEY);
    });

    it.each([
      [['import'], 'sesame: give one file to import: sesame import FILE (see --help)\n'],
      [
        ['import', 'x', '--format', 'yaml'],
        'sesame: --format "yaml" is not one of knockd, fwknoprc, sesame\n',
      ],
      [['import', '/nonexistent'], 'sesame: cannot read the file from "/nonexistent": ENOENT\n'],
      [
        ['import', '-', '--passphrase-file', '-'],
        'sesame: the file and the passphrase cannot both come from stdin\n',
      ],
      [
        ['import', fixture('knockd/debian-knockd.conf'), '--one-time-file', 'x'],
        'sesame: --one-time-file "x" is not DOOR=FILE\n',
      ],
      [
        [
          'import',
          fixture('knockd/debian-knockd.conf'),
          '--host',
          'h.example.com',
          '--door',
          'nope',
        ],
        'sesame: debian-knockd.conf: the file has no door "nope" (it has openSSH, closeSSH, openHTTPS)\nsesame: nothing was imported\n',
      ],
      [
        ['export', '--with-secrets'],
        'sesame: --with-secrets seals the secrets with a passphrase: give the passphrase with --passphrase-file FILE, or --passphrase-file - to type or pipe it on stdin (never on the command line)\n',
      ],
      [
        ['export', '--passphrase-file', '-'],
        'sesame: a passphrase seals secrets: add --with-secrets, or leave the passphrase out\n',
      ],
      [
        ['export', 'nobody'],
        'sesame: no saved server is called "nobody" (sesame servers list shows them)\n',
      ],
      [['share'], 'sesame: give one server name: sesame share NAME (quote a name with spaces)\n'],
      [
        ['share', 'openSSH', '--fwknop-qr'],
        'sesame: "openSSH" is a knock door: --fwknop-qr is for SPA doors (fwknop)\n',
      ],
      [
        ['share', 'web', '--fwknop-qr', '--qr'],
        'sesame: --fwknop-qr prints only the keys QR code: leave out --qr and --with-secrets\n',
      ],
      [
        ['server-setup', 'web', '--nft'],
        'sesame: fwknopd adds its rules with iptables, and a drop in an nftables table of its own would still apply to what fwknopd lets in: use the iptables rules for SPA doors\n',
      ],
      [
        ['server-setup', 'openSSH', '--nat', 'lan:3389'],
        'sesame: the LAN machine "lan" must be an IPv4 address, e.g. 192.168.1.20\n',
      ],
      [
        ['server-setup', 'openSSH', '--set', 'a;b'],
        'sesame: "a;b" cannot be an ipset name: 1-29 letters, digits, "-" and "_", starting with a letter or digit\n',
      ],
      [['generate-sequence', '-n', '2'], 'sesame: -n "2" is not a whole number from 3 to 32\n'],
      [['generate-sequence', '--advise', '1,x'], 'sesame: --advise: "x" is not a port (1-65535)\n'],
    ])('refuses %j with a clear message and exit 2', async (args, stderr) => {
      expect(await sesame(args, { input: 'short\n' })).toEqual({ code: 2, stdout: '', stderr });
    });

    it('refuses a short passphrase for an export', async () => {
      const result = await sesame(['export', '--with-secrets', '--passphrase-file', '-'], {
        input: 'short\n',
      });
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'sesame: the passphrase is too short: use at least 8 characters (a few random words are best)\n',
      });
    });
  },
);
