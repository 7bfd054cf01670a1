import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OsKeychain } from '../../src/store/secret-store.js';
import { type LoopbackDoor, startLoopbackDoor } from '../helpers/loopback-door.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';
import { run } from '../peers/harness/run.js';
import { SESAME_CLI } from '../peers/harness/sesame-cli.js';

describeWithPrograms(
  'sesame servers, knock NAME, status and log, as a person runs them',
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    let keyring: PrivateKeyring;
    let door: LoopbackDoor;
    let configDir: string;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      door = await startLoopbackDoor();
      configDir = mkdtempSync(join(tmpdir(), 'sesame-cli-home-'));
      env = { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: configDir };
    });
    afterAll(async () => {
      await door.close();
      await keyring.stop();
      rmSync(configDir, { recursive: true, force: true });
    });

    const sesame = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
      run(process.execPath, [SESAME_CLI, ...args], {
        env: options.env ?? env,
        ...(options.input !== undefined && { input: options.input }),
      });

    it('adds a server, reading the sequence from stdin, and keeps the sequence out of the settings file', async () => {
      const added = await sesame(
        [
          'servers',
          'add',
          'office',
          '--host',
          '127.0.0.1',
          '--sequence',
          '-',
          '--check',
          String(door.checkPort),
          '--check-timeout',
          '800',
          '--ssh-user',
          'me',
          '--seq-timeout',
          '1',
        ],
        {
          input: `${door.sequence}\n`,
        },
      );
      expect(added).toEqual({ code: 0, stdout: 'added "office" (127.0.0.1)\n', stderr: '' });
      const settings = readFileSync(join(configDir, 'config.json'), 'utf8');
      expect(settings).toContain('"office"');
      for (const port of door.ports) expect(settings).not.toContain(String(port));
    });

    it('lists and shows it, saying the secret is in the keychain but never showing it', async () => {
      const list = await sesame(['servers', 'list']);
      expect(list.stdout).toBe(
        `NAME    HOST       METHOD  CHECK\noffice  127.0.0.1  knock   ${door.checkPort}\n`,
      );
      const show = await sesame(['servers', 'show', 'OFFICE']);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('secret     stored in the keychain\n');
      expect(show.stdout).toContain('ssh        me@port 22\n');
      const json = await sesame(['servers', 'show', 'office', '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({
        name: 'office',
        host: '127.0.0.1',
        checkPort: door.checkPort,
        secret: 'stored',
      });
      for (const output of [list.stdout, show.stdout, json.stdout])
        for (const port of door.ports) expect(output).not.toContain(String(port));
    });

    it('knocks on the saved server by name and confirms the door opened', async () => {
      const knocked = await sesame(['knock', 'office']);
      expect(knocked.code, knocked.stderr).toBe(0);
      expect(knocked.stdout).toMatch(
        new RegExp(`^office is open \\(port ${door.checkPort} answered after \\d+ ms\\)\\n$`),
      );
      expect(door.completed()).toBe(1);
    });

    it('shows what happened in the log, filtered by kind and server', async () => {
      const log = await sesame(['log']);
      expect(log.stdout).toMatch(
        /settings\s+added office\n.*knock\s+knocking on office \(asked\)\n.*door-open\s+office is open/s,
      );
      const opened = await sesame(['log', '--kind', 'door-open', '--json']);
      expect(JSON.parse(opened.stdout)).toEqual([
        expect.objectContaining({ kind: 'door-open', serverName: 'office' }),
      ]);
      expect((await sesame(['log', '--server', 'nobody'])).stdout).toBe('');
    });

    it('checks every server now with status', async () => {
      const status = await sesame(['status']);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(
        new RegExp(
          `^NAME\\s+ADDRESS\\s+DOOR\\s+PING\\noffice\\s+127\\.0\\.0\\.1\\s+${door.checkPort} open \\(\\d+ ms\\)\\s+[\\d.]+ ms\\n$`,
        ),
      );
      await door.shut();
      const shut = await sesame(['status', '--json']);
      expect(shut.code).toBe(1);
      expect(JSON.parse(shut.stdout)).toEqual([
        expect.objectContaining({ name: 'office', portState: 'closed', port: door.checkPort }),
      ]);
    });

    it('edits only what is given and keeps the stored sequence', async () => {
      const edited = await sesame([
        'servers',
        'edit',
        'office',
        '--tag',
        'lab',
        '--keep-alive',
        '30',
      ]);
      expect(edited).toEqual({ code: 0, stdout: 'saved "office"\n', stderr: '' });
      const show = JSON.parse(
        (await sesame(['servers', 'show', 'office', '--json'])).stdout,
      ) as Record<string, unknown>;
      expect(show).toMatchObject({
        tags: ['lab'],
        auto: { keepAliveMinutes: 30, onIpChange: true },
        checkPort: door.checkPort,
        secret: 'stored',
      });
      expect((await sesame(['knock', 'office'])).code).toBe(0);
    });

    it.each([
      [
        ['servers', 'add', 'office', '--host', 'h', '--sequence', '1'],
        'sesame: a server named "office" already exists: pick another name\n',
      ],
      [
        ['servers', 'add', 'x', '--host', 'a b', '--sequence', '1'],
        'sesame: host: "a b" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)\n',
      ],
      [
        ['servers', 'add', 'x', '--host', 'h'],
        'sesame: give the knock sequence: --sequence <seq> (or "-" to read it from stdin), or --one-time <file>\n',
      ],
      [
        ['servers', 'add', 'x', '--sequence', '1'],
        "sesame: give the server's host: --host <name or address>\n",
      ],
      [
        ['servers', 'add', 'x', '--host', 'h', '--sequence', '1,70000'],
        'sesame: sequence: "70000" is not a port (1-65535)\n',
      ],
      [
        ['servers', 'add', 'x', '--host', 'h', '--one-time', '/nonexistent'],
        'sesame: cannot read the one-time sequences from "/nonexistent": ENOENT\n',
      ],
      [
        ['servers', 'add', 'x', '--host', 'h', '--one-time', '-'],
        'sesame: checkPort: one-time sequences need a check port: Sesame moves to the next sequence only once it sees the door open\n',
      ],
      [
        ['servers', 'add', 'x', '--host', 'h', '--sequence', '1', '--ssh-user=-oProxyCommand=x'],
        'sesame: ssh.user: the user name may hold letters, digits and . _ - @ \\ only, and may not start with "-"\n',
      ],
      [
        ['servers', 'add', 'x', '--host', 'h', '--sequence', '1', '--check', '0'],
        'sesame: --check port "0" is not a whole number from 1 to 65535\n',
      ],
      [
        ['servers', 'add', 'x', 'y', '--host', 'h'],
        'sesame: give one server name: sesame servers add <name> (quote a name with spaces)\n',
      ],
      [
        ['servers', 'show', 'nobody'],
        'sesame: no saved server is called "nobody" (sesame servers list shows them)\n',
      ],
      [
        ['servers', 'edit', 'nobody', '--tag', 'x'],
        'sesame: no saved server is called "nobody" (sesame servers list shows them)\n',
      ],
      [['servers', 'frob'], 'sesame: unknown action "frob" (list, show, add, edit, remove)\n'],
      [
        ['log', '--kind', 'nonsense'],
        'sesame: "nonsense" is not a kind of event (knock, door-open, door-closed, knock-failed, ip-change, network, error, settings)\n',
      ],
    ])('refuses %j with a clear message and exit 2', async (args, stderr) => {
      expect(await sesame(args, { input: '7000\n' })).toEqual({ code: 2, stdout: '', stderr });
    });

    it('saves a server without a keychain, warns clearly, and knocking then says what is wrong', async () => {
      const noKeychain = { ...env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' };
      const added = await sesame(
        ['servers', 'add', 'remote', '--host', '127.0.0.1', '--sequence', '7000,8000'],
        { env: noKeychain },
      );
      expect(added.code).toBe(0);
      expect(added.stdout).toBe('added "remote" (127.0.0.1)\n');
      expect(added.stderr).toBe(
        'sesame: warning: "remote" was saved without its secret: no keychain is available: Sesame keeps sequences and keys only in the desktop keyring (Secret Service). ' +
          'Install and unlock one (GNOME Keyring or KWallet) in your session, then try again. Enter the sequence or keys again once the keychain works (sesame servers edit "remote")\n',
      );
      expect((await sesame(['servers', 'show', 'remote'], { env: noKeychain })).stdout).toContain(
        'secret     keychain unavailable\n',
      );
      const knocked = await sesame(['knock', 'remote'], { env: noKeychain });
      expect(knocked.code).toBe(1);
      expect(knocked.stderr).toMatch(
        /^sesame: remote: the secret could not be read: no keychain is available: /,
      );
      // With the keychain back, the secret is simply missing and can be entered again.
      expect((await sesame(['servers', 'show', 'remote'])).stdout).toContain(
        'secret     missing: enter it again\n',
      );
      expect((await sesame(['servers', 'edit', 'remote', '--sequence', '7000,8000'])).code).toBe(0);
      expect((await sesame(['servers', 'show', 'remote'])).stdout).toContain(
        'secret     stored in the keychain\n',
      );
    });

    it('adds an SPA door with fwknop options, keeping the keys in the keychain only', async () => {
      const key = Buffer.alloc(32, 7).toString('base64');
      const hmac = Buffer.alloc(64, 9).toString('base64');
      const added = await sesame([
        'servers',
        'add',
        'vault',
        '--host',
        '127.0.0.1',
        '--check',
        '22',
        '--spa',
        '-A',
        'tcp/22',
        '-R',
        '--key-base64-rijndael',
        key,
        '--key-base64-hmac',
        hmac,
        '--hmac-digest-type',
        'sha512',
      ]);
      expect(added).toEqual({ code: 0, stdout: 'added "vault" (127.0.0.1)\n', stderr: '' });
      const show = await sesame(['servers', 'show', 'vault']);
      expect(show.stdout).toContain('method     SPA udp/62201, tcp/22\n');
      expect(show.stdout).toContain('secret     stored in the keychain\n');
      const settings = readFileSync(join(configDir, 'config.json'), 'utf8');
      expect(settings).toContain('"hmacDigestType": "sha512"');
      for (const secret of [key, hmac, key.slice(0, 20), hmac.slice(0, 20)]) {
        expect(settings).not.toContain(secret);
        expect(show.stdout).not.toContain(secret);
      }
    });

    it.each([
      [
        ['--key-base64-rijndael', 'not*base64'],
        'sesame: --key-base64-rijndael: the key is not base64 (letters, digits, "+", "/" and a final "=")\n',
      ],
      [
        ['--key-base64-rijndael', Buffer.alloc(40).toString('base64')],
        "sesame: the encryption key is 40 bytes long; fwknop's Rijndael key must be 1-32 bytes (--key-gen makes one of 32)\n",
      ],
      [
        [
          '--key-base64-rijndael',
          Buffer.alloc(32, 1).toString('base64'),
          '--key-base64-hmac',
          Buffer.alloc(32, 1).toString('base64'),
        ],
        'sesame: the encryption key and the HMAC key are the same: fwknop refuses that, use two different keys (--key-gen makes a pair)\n',
      ],
      [
        [],
        'sesame: no encryption key: give --key-base64-rijndael (or --key-rijndael), or KEY_BASE64 in ~/.fwknoprc (Sesame does not prompt for keys)\n',
      ],
    ])('refuses an SPA door with bad keys %#', async (keys, stderr) => {
      const result = await sesame([
        'servers',
        'add',
        'bad',
        '--host',
        '127.0.0.1',
        '--spa',
        '--no-rc-file',
        '-A',
        'tcp/22',
        '-s',
        ...keys,
      ]);
      expect(result).toEqual({ code: 2, stdout: '', stderr });
      expect((await sesame(['servers', 'list'])).stdout).not.toContain('bad');
    });

    it('refuses knock options beside --spa', async () => {
      const result = await sesame([
        'servers',
        'add',
        'mixed',
        '--host',
        'h',
        '--sequence',
        '1',
        '--spa',
        '-A',
        'tcp/22',
      ]);
      expect(result).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'sesame: --sequence, --one-time, --delay and --seq-timeout are for knock doors; an SPA door takes fwknop options after --spa\n',
      });
    });

    it('removes a server and its secret', async () => {
      const id = (
        JSON.parse((await sesame(['servers', 'show', 'office', '--json'])).stdout) as { id: string }
      ).id;
      Object.assign(process.env, keyring.env);
      expect(await new OsKeychain().get(`server:${id}`)).toBeDefined();
      expect(await sesame(['servers', 'remove', 'office'])).toEqual({
        code: 0,
        stdout: 'removed "office"\n',
        stderr: '',
      });
      expect(await new OsKeychain().get(`server:${id}`)).toBeUndefined();
      expect((await sesame(['servers', 'list'])).stdout).not.toContain('office');
    });
  },
);
