import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { ServerStatus } from '../../src/engine/server-status.js';
import { systemClock } from '../../src/lib/clock.js';
import { type LoopbackDoor, startLoopbackDoor } from '../helpers/loopback-door.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { sesameHome } from '../helpers/sesame-home.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';

describeWithPrograms(
  'the engine with a real keychain, settings folder and doors on loopback',
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    let keyring: PrivateKeyring;
    const doors: LoopbackDoor[] = [];
    const homes: ReturnType<typeof sesameHome>[] = [];
    const engines: Engine[] = [];

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      Object.assign(process.env, keyring.env);
    });
    afterAll(() => keyring.stop());
    afterEach(async () => {
      for (const engine of engines.splice(0)) await engine.stop();
      for (const door of doors.splice(0)) await door.close();
      for (const home of homes.splice(0)) home.remove();
    });

    async function setup(
      doorOptions: Parameters<typeof startLoopbackDoor>[0] = {},
      laterRetryMs?: number,
    ) {
      const door = await startLoopbackDoor(doorOptions);
      doors.push(door);
      const home = sesameHome();
      homes.push(home);
      const engine = new Engine({
        repository: home.repository,
        settings: home.settings,
        log: home.log,
        clock: systemClock,
        ...(laterRetryMs !== undefined && { laterRetryMs }),
      });
      engines.push(engine);
      const statuses: ServerStatus[] = [];
      engine.on('status', (status) => statuses.push(status));
      return { door, home, engine, statuses };
    }

    const knockServer = (door: LoopbackDoor, extra: Record<string, unknown> = {}) => ({
      name: `door ${door.checkPort}`,
      host: '127.0.0.1',
      method: { kind: 'knock', seqTimeoutSeconds: 1 },
      checkPort: door.checkPort,
      checkTimeoutMs: 500,
      ...extra,
    });

    it('opens a door and reports knocking with progress, then open', async () => {
      const { door, home, engine, statuses } = await setup();
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await engine.start();
      const result = await engine.knock(server.id);
      expect(result).toMatchObject({
        serverId: server.id,
        state: 'open',
        secret: 'stored',
        lastKnock: { trigger: 'manual', address: '127.0.0.1' },
      });
      expect(result.checkLatencyMs).toBeGreaterThanOrEqual(0);
      const knocking = statuses.filter((s) => s.state === 'knocking').map((s) => s.progress);
      expect(knocking).toEqual([
        { sent: 0, total: 0 },
        { sent: 1, total: 3 },
        { sent: 2, total: 3 },
        { sent: 3, total: 3 },
      ]);
      expect(door.completed()).toBe(1);
      expect(home.log.recent().map((e) => e.kind)).toEqual(['knock', 'door-open']);
    });

    it('keeps secrets out of the settings file, the event log and every status', async () => {
      const { door, home, engine, statuses } = await setup();
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await engine.start();
      await engine.knock(server.id);
      home.log.flush();
      const everything = [
        home.settingsText(),
        readFileSync(join(home.dir, 'events.json'), 'utf8'),
        JSON.stringify(statuses),
      ].join('\n');
      for (const port of door.ports) expect(everything).not.toContain(String(port));
      // …and the sequence really is in the keychain, read back from gnome-keyring.
      expect(await home.keychain.get(`server:${server.id}`)).toContain(door.sequence);
    });

    it('runs one knock per server at a time; a second request joins the first', async () => {
      const { door, home, engine } = await setup();
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await engine.start();
      const [a, b] = await Promise.all([engine.knock(server.id), engine.knock(server.id)]);
      expect(a).toBe(b);
      expect(door.completed()).toBe(1);
    });

    it('knocks once more when the public IP changes during a knock, not once per change', async () => {
      const { door, home, engine } = await setup();
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await engine.start();
      const first = engine.knock(server.id);
      for (let i = 0; i < 5; i += 1)
        engine.handlePublicIpChange({
          family: 4,
          previous: `198.51.100.${i}`,
          current: `198.51.100.${i + 1}`,
        });
      await first;
      await expect.poll(() => door.completed(), { timeout: 3000 }).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(door.completed()).toBe(2);
    });

    it('re-knocks on an IP change only servers that ask for it, and only with the switch on', async () => {
      const { door, home, engine } = await setup();
      const other = await startLoopbackDoor();
      doors.push(other);
      await home.repository.add(knockServer(door), { kind: 'knock', sequence: door.sequence });
      await home.repository.add(knockServer(other, { auto: { onIpChange: false } }), {
        kind: 'knock',
        sequence: other.sequence,
      });
      await engine.start();
      engine.handlePublicIpChange({ family: 4, previous: '198.51.100.1', current: '198.51.100.2' });
      await expect.poll(() => door.completed(), { timeout: 3000 }).toBe(1);
      expect(other.completed()).toBe(0);
      home.settings.update((s) => ({
        ...s,
        preferences: { ...s.preferences, autoReknock: false },
      }));
      engine.handlePublicIpChange({ family: 4, previous: '198.51.100.2', current: '198.51.100.3' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(door.completed()).toBe(1);
      expect(
        home.log
          .recent()
          .filter((e) => e.kind === 'ip-change')
          .map((e) => e.message),
      ).toEqual([
        'public IPv4 changed from 198.51.100.1 to 198.51.100.2',
        'public IPv4 changed from 198.51.100.2 to 198.51.100.3',
      ]);
    });

    it('knocks no more servers at once than the preference allows', async () => {
      const { home, engine, statuses } = await setup();
      home.settings.update((s) => ({
        ...s,
        preferences: { ...s.preferences, maxParallelKnocks: 3 },
      }));
      for (let i = 0; i < 10; i += 1) {
        const door = await startLoopbackDoor();
        doors.push(door);
        await home.repository.add(knockServer(door), { kind: 'knock', sequence: door.sequence });
      }
      await engine.start();
      const knocking = new Set<string>();
      let most = 0;
      engine.on('status', (status) => {
        if (status.state === 'knocking' && status.progress && status.progress.total > 0)
          knocking.add(status.serverId);
        else if (status.state !== 'knocking') knocking.delete(status.serverId);
        most = Math.max(most, knocking.size);
      });
      const results = await engine.knockAll();
      expect(results.map((r) => r.state)).toEqual(Array(10).fill('open'));
      expect(most).toBeGreaterThan(1);
      expect(most).toBeLessThanOrEqual(3);
      expect(statuses.length).toBeGreaterThan(0);
    });

    it('tries again after the door stayed shut, waiting out the seq_timeout', async () => {
      const { door, home, engine, statuses } = await setup({ ignoreFirst: 1 });
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await engine.start();
      const result = await engine.knock(server.id);
      expect(result.state).toBe('open');
      expect(door.completed()).toBe(2);
      expect(statuses.some((s) => s.attempt === 2)).toBe(true);
    });

    it('reports a door that never opens as closed, with the reason, after three knocks', async () => {
      const { door, home, engine } = await setup({ ignoreFirst: 99 });
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await engine.start();
      const result = await engine.knock(server.id);
      expect(result).toMatchObject({
        state: 'closed',
        reason: `port ${door.checkPort} refused the connection after 3 knocks`,
      });
      expect(door.completed()).toBe(3);
    });

    it('tries a failed automatic knock again later, but not one a person asked for', async () => {
      const { door, home, engine } = await setup({ ignoreFirst: 3 }, 300);
      const { server } = await home.repository.add(knockServer(door, { checkTimeoutMs: 200 }), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await engine.start();
      engine.handlePublicIpChange({ family: 4, previous: '198.51.100.1', current: '198.51.100.2' });
      await expect.poll(() => engine.status(server.id)?.state, { timeout: 15_000 }).toBe('closed');
      expect(engine.status(server.id)?.retryAt).toBeGreaterThan(Date.now() - 1000);
      await expect.poll(() => engine.status(server.id)?.state, { timeout: 15_000 }).toBe('open');
      expect(door.completed()).toBe(4);
      expect(home.log.recent().map((e) => e.message)).toContain(
        `door ${door.checkPort}: trying again in 0 s`,
      );

      await door.shut();
      const manual = await engine.knock(server.id, 'manual');
      expect(manual.state).toBe('open');
      const shutAgain = await startLoopbackDoor({ ignoreFirst: 99 });
      doors.push(shutAgain);
      const { server: other } = await home.repository.add(
        knockServer(shutAgain, { checkTimeoutMs: 200 }),
        { kind: 'knock', sequence: shutAgain.sequence },
      );
      expect((await engine.knock(other.id, 'manual')).retryAt).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(shutAgain.completed()).toBe(3);
    });

    it('uses one-time sequences in order and moves on only after the door opened', async () => {
      const { door, home, engine } = await setup({ oneTime: 3 });
      const { server } = await home.repository.add(
        knockServer(door, { method: { kind: 'knock', oneTime: true, seqTimeoutSeconds: 1 } }),
        {
          kind: 'knock',
          oneTimeSequences: door.oneTimeList,
        },
      );
      await engine.start();
      for (let i = 1; i <= 3; i += 1) {
        await door.shut();
        expect((await engine.knock(server.id)).state).toBe('open');
        expect(door.completed()).toBe(i);
        expect(home.settings.get().memory[server.id]?.oneTimeCursor).toBe(i);
      }
      await door.shut();
      const spent = await engine.knock(server.id);
      expect(spent).toMatchObject({
        state: 'error',
        reason: 'all 3 one-time sequences are used up: load the next list from the server',
      });
    });

    it('shows a server added while it runs with its secret stored, not missing', async () => {
      const { door, home, engine } = await setup();
      await engine.start();
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await expect
        .poll(() => engine.status(server.id))
        .toMatchObject({ state: 'idle', secret: 'stored' });
      // Never "missing" on the way: the secret is stored before the server appears.
      const seen: string[] = [];
      engine.on('status', (status) => seen.push(status.secret));
      const second = await home.repository.add(knockServer(door, { name: 'second' }), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await expect.poll(() => engine.status(second.server.id)?.secret).toBe('stored');
      expect(seen).not.toContain('missing');
    });

    it('says the secret is missing when the keychain has none for a server', async () => {
      const { door, home, engine } = await setup();
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      await home.keychain.delete(`server:${server.id}`);
      await engine.start();
      expect(engine.status(server.id)).toMatchObject({ state: 'idle', secret: 'missing' });
      expect(await engine.knock(server.id)).toMatchObject({
        state: 'error',
        secret: 'missing',
        reason: 'no sequence or key is stored for this server (secret missing): enter it again',
      });
    });

    it('removing a server removes its secret from the keychain', async () => {
      const { door, home } = await setup();
      const { server } = await home.repository.add(knockServer(door), {
        kind: 'knock',
        sequence: door.sequence,
      });
      expect(await home.keychain.get(`server:${server.id}`)).toBeDefined();
      await home.repository.remove(server.id);
      expect(await home.keychain.get(`server:${server.id}`)).toBeUndefined();
      expect(home.repository.list()).toEqual([]);
    });
  },
);
