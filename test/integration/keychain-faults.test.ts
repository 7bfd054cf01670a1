import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Launcher } from '../../src/api/core-services.js';
import { dispatch } from '../../src/api/dispatch.js';
import { createHandlers, type Handlers } from '../../src/api/handlers.js';
import type { ServerView } from '../../src/api/view-schemas.js';

type ServerStatus = ServerView['status'];
import { type Core, createCore } from '../../src/app/core.js';
import type { LogEvent } from '../../src/engine/event-log.js';
import { type LoopbackDoor, startLoopbackDoor } from '../helpers/loopback-door.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { OsKeychain } from '../../src/store/secret-store.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';
import { waitFor } from '../peers/harness/run.js';

const LAB_SEQUENCE = '7123,8123:udp,9123';

const noLauncher: Launcher = {
  openSsh: () => Promise.reject(new Error('none')),
  openRdp: () => Promise.reject(new Error('none')),
  sshCommand: () => '',
};

describeWithPrograms(
  'the core while the keychain goes away and comes back',
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    let keyring: PrivateKeyring;
    let door: LoopbackDoor;
    let core: Core;
    let handlers: Handlers;
    let dir: string;
    const events: LogEvent[] = [];
    const settingsText = () => readFileSync(join(dir, 'config.json'), 'utf8');
    const call = (name: string, input?: unknown) => dispatch(handlers, name, input);
    const value = async <T>(name: string, input?: unknown): Promise<T> => {
      const result = await call(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
      return result.value as T;
    };
    /** What the window's list says of a server's secret (it follows the keychain by itself). */
    const secretStateOf = async (name: string) =>
      (await value<ServerView[]>('servers.list')).find((view) => view.profile.name === name)?.status
        .secret;
    const officeId = () => core.services.repository.find('office')?.id ?? '';

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      Object.assign(process.env, keyring.env);
      dir = mkdtempSync(join(tmpdir(), 'sesame-keychain-faults-'));
      door = await startLoopbackDoor();
      core = createCore({
        dir,
        launcher: noLauncher,
        appInfo: { version: 'test', platform: 'linux' },
      });
      core.services.log.onEvent((event) => events.push(event));
      // The engine alone: the public-IP watcher would ask providers, and this is about secrets.
      await core.services.engine.start();
      handlers = createHandlers(core.services);
      await value('servers.add', {
        draft: {
          name: 'office',
          host: '127.0.0.1',
          method: { kind: 'knock', seqTimeoutSeconds: 1 },
          checkPort: door.checkPort,
        },
        secret: { kind: 'knock', sequence: door.sequence },
      });
    });

    afterAll(async () => {
      await core.services.engine.stop();
      await door.close();
      await keyring.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('many questions at once are all answered, and the keyring stays up', async () => {
      // gnome-keyring aborts when one client asks it many things in parallel; Sesame asks one
      // at a time, whoever asks.
      const keychain = new OsKeychain();
      for (let round = 0; round < 5; round += 1) {
        const answers = await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            i % 2
              ? keychain.accounts().then((accounts) => accounts.size > 0)
              : keychain.get('none'),
          ),
        );
        expect(answers.filter((answer) => answer === true)).toHaveLength(20);
      }
      expect(await secretStateOf('office')).toBe('stored');
      expect(await value<ServerStatus>('servers.knock', { id: officeId() })).toMatchObject({
        state: 'open',
      });
    });

    it('with the keyring daemon gone, a knock says what to fix and nothing else breaks', async () => {
      await keyring.crashSecretService();

      const status = await value<ServerStatus>('servers.knock', { id: officeId() });
      expect(status.state).toBe('error');
      expect(status.reason).toMatch(/no keychain is available: .*unlock one/);
      expect(door.completed()).toBe(1); // only the knock of the first test
      expect(events.at(-1)?.kind).toBe('knock-failed');
      expect(events.at(-1)?.message).toMatch(/no keychain is available/);

      // The rest of the window still works: the list, the log, the settings.
      const servers = await value<ServerView[]>('servers.list');
      expect(servers.map((view) => [view.profile.name, view.status.secret])).toEqual([
        ['office', 'unavailable'],
      ]);
      await value('log.recent', {});
      await value('settings.get');
    });

    it('a new server is saved without its secret, with a warning that says why', async () => {
      const result = await value<{ server: { id: string }; secretWarning?: string }>(
        'servers.add',
        {
          draft: { name: 'lab', host: '127.0.0.1', method: { kind: 'knock' } },
          secret: { kind: 'knock', sequence: LAB_SEQUENCE },
        },
      );
      expect(result.secretWarning).toMatch(/no keychain is available/);
      // The sequence went nowhere else: not into the settings file, not into the log.
      expect(settingsText()).not.toContain(LAB_SEQUENCE);
      expect(JSON.stringify(events)).not.toContain(LAB_SEQUENCE);
      await waitFor(
        "the list to mark lab's secret unavailable",
        async () => (await secretStateOf('lab')) === 'unavailable',
      );
    });

    it('a change that keeps the stored secret is still saved', async () => {
      const updated = await call('servers.update', {
        id: officeId(),
        draft: {
          name: 'office',
          host: '127.0.0.1',
          method: { kind: 'knock', seqTimeoutSeconds: 1 },
          checkPort: door.checkPort,
          tags: ['saved-while-keyring-away'],
        },
      });
      expect(updated.ok).toBe(true);
      expect(settingsText()).toContain('saved-while-keyring-away');
    });

    it('once the keyring is back, the same server knocks with its secret, which was never lost', async () => {
      await keyring.restartSecretService();
      const status = await value<ServerStatus>('servers.knock', { id: officeId() });
      expect(status).toMatchObject({ state: 'open', secret: 'stored' });
      expect(door.completed()).toBe(2);
    });

    it('and the server saved meanwhile takes its sequence once it is entered again', async () => {
      const lab = core.services.repository.find('lab');
      await value('servers.update', {
        id: lab?.id,
        draft: { name: 'lab', host: '127.0.0.1', method: { kind: 'knock' } },
        secret: { kind: 'knock', sequence: LAB_SEQUENCE },
      });
      await waitFor(
        "the list to mark lab's secret stored",
        async () => (await secretStateOf('lab')) === 'stored',
      );
    });

    it('a locked keyring refuses: the knock says to unlock it, and nothing else changes', async () => {
      await keyring.lock();
      const before = settingsText();
      const status = await value<ServerStatus>('servers.knock', { id: officeId() });
      expect(status.state).toBe('error');
      expect(status.reason).toMatch(/unlock one .* then try again/);
      expect(door.completed()).toBe(2); // only the knocks of the tests before
      expect(settingsText()).toBe(before);
      expect((await value<ServerView[]>('servers.list')).map((view) => view.profile.name)).toEqual([
        'office',
        'lab',
      ]);
    });
  },
);
