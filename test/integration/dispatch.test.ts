import { afterAll, beforeAll, expect, it } from 'vitest';
import { CALL_NAMES } from '../../src/api/contract.js';
import type { Launcher } from '../../src/api/core-services.js';
import { dispatch } from '../../src/api/dispatch.js';
import { createHandlers, type Handlers } from '../../src/api/handlers.js';
import type { Engine } from '../../src/engine/engine.js';
import { echoLauncher, fixedCore } from '../helpers/fixed-core.js';
import { type LoopbackDoor, startLoopbackDoor } from '../helpers/loopback-door.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { sesameHome } from '../helpers/sesame-home.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';

describeWithPrograms(
  'the contract dispatcher with the real core behind it',
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    let keyring: PrivateKeyring;
    let door: LoopbackDoor;
    let home: ReturnType<typeof sesameHome>;
    let engine: Engine;
    let handlers: Handlers;
    const launched: string[] = [];

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      Object.assign(process.env, keyring.env);
      door = await startLoopbackDoor();
      home = sesameHome();
      const launcher: Launcher = {
        ...echoLauncher,
        openSsh: (server) => (launched.push(`ssh ${server.name}`), echoLauncher.openSsh(server)),
        openRdp: (server) => (launched.push(`rdp ${server.name}`), echoLauncher.openRdp(server)),
      };
      const core = fixedCore(home, {
        network: { ipv4: { address: '198.51.100.7' }, autoReknock: true },
        launcher,
      });
      engine = core.engine;
      await engine.start();
      handlers = createHandlers(core);
    });
    afterAll(async () => {
      await engine.stop();
      await door.close();
      home.remove();
      await keyring.stop();
    });

    it('has a handler for every call of the contract', () => {
      expect(Object.keys(handlers).sort()).toEqual([...CALL_NAMES].sort());
    });

    it('adds a server, knocks it open, and opens SSH without knocking again', async () => {
      const added = await dispatch(handlers, 'servers.add', {
        draft: {
          name: 'office',
          host: '127.0.0.1',
          method: { kind: 'knock' },
          checkPort: door.checkPort,
          ssh: { user: 'me' },
        },
        secret: { kind: 'knock', sequence: door.sequence },
      });
      expect(added).toMatchObject({ ok: true, value: { server: { name: 'office' } } });
      const id = (added as { value: { server: { id: string } } }).value.server.id;
      expect(await dispatch(handlers, 'servers.knock', { id })).toMatchObject({
        ok: true,
        value: { state: 'open' },
      });
      expect(await dispatch(handlers, 'servers.openSsh', { id })).toEqual({
        ok: true,
        value: { command: 'ssh 127.0.0.1' },
      });
      expect(door.completed()).toBe(1);
      expect(launched).toEqual(['ssh office']);
      const list = await dispatch(handlers, 'servers.list', undefined);
      expect(list).toMatchObject({
        ok: true,
        value: [{ profile: { name: 'office' }, status: { state: 'open', secret: 'stored' } }],
      });
      expect(JSON.stringify(list)).not.toContain(String(door.ports[0]));
    });

    it.each([
      ['servers.nope', undefined, 'invalid-input', '"servers.nope" is not a call Sesame knows'],
      ['constructor', undefined, 'invalid-input', '"constructor" is not a call Sesame knows'],
      [42, undefined, 'invalid-input', '"42" is not a call Sesame knows'],
      [
        'servers.knock',
        undefined,
        'invalid-input',
        'Invalid input: expected object, received undefined',
      ],
      [
        'servers.knock',
        { id: 7 },
        'invalid-input',
        'id: Invalid input: expected string, received number',
      ],
      ['servers.knock', { id: 'x', extra: 1 }, 'invalid-input', 'Unrecognized key: "extra"'],
      [
        'servers.knock',
        JSON.parse('{"id":"x","__proto__":{"polluted":true}}') as unknown,
        'invalid-input',
        'Unrecognized key: "__proto__"',
      ],
      [
        'servers.knock',
        { id: 'x'.repeat(65) },
        'invalid-input',
        'id: Too big: expected string to have <=64 characters',
      ],
      [
        'servers.knock',
        { id: 'nobody' },
        'not-found',
        'no saved server is called "nobody" (sesame servers list shows them)',
      ],
      [
        'servers.add',
        { draft: { name: 'x', host: '$(reboot)', method: { kind: 'knock' } } },
        'invalid-input',
        'host: "$(reboot)" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
      ],
      [
        'settings.update',
        { patch: { theme: 'neon' } },
        'invalid-input',
        'theme: Invalid option: expected one of "system"|"light"|"dark"',
      ],
    ])('refuses %j %j with a message the window can show', async (name, input, kind, message) => {
      expect(await dispatch(handlers, name, input)).toEqual({
        ok: false,
        error: { kind, message },
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('changes preferences through settings.update and validates them', async () => {
      expect(
        await dispatch(handlers, 'settings.update', { patch: { theme: 'dark' } }),
      ).toMatchObject({ ok: true, value: { theme: 'dark' } });
      expect(home.settings.get().preferences.theme).toBe('dark');
    });
  },
);
