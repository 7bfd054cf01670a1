import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CALL_NAMES, type EventName } from '../../src/api/contract.js';
import { dispatch } from '../../src/api/dispatch.js';
import { feedEvents } from '../../src/api/event-feed.js';
import { createHandlers, type Handlers } from '../../src/api/handlers.js';
import type { Engine } from '../../src/engine/engine.js';
import { fixedCore } from '../helpers/fixed-core.js';
import { type LoopbackDoor, startLoopbackDoor } from '../helpers/loopback-door.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { sesameHome } from '../helpers/sesame-home.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';

const SPA_KEY = Buffer.alloc(32, 0x42).toString('base64');
const SPA_HMAC = Buffer.alloc(64, 0x24).toString('base64');

/** Values a hostile or broken window might send: wrong types, huge, control characters, prototype keys. */
const hostile = fc.oneof(
  fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constant('x'.repeat(2_000_000)),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"id":"x"}') as unknown),
  fc.constant(JSON.parse('{"constructor":{"prototype":{"polluted":true}}}') as unknown),
  fc.record({ id: fc.oneof(fc.string(), fc.integer(), fc.constant('\u0000\u001b[2J')) }),
  fc.record({ draft: fc.anything(), secret: fc.anything() }),
  fc.record({
    patch: fc.dictionary(
      fc.constantFrom('theme', 'ipProviders', '__proto__', 'autoReknock'),
      fc.anything(),
    ),
  }),
);

describeWithPrograms(
  'the contract against a hostile window, and secrets after a whole session',
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    let keyring: PrivateKeyring;
    let door: LoopbackDoor;
    let home: ReturnType<typeof sesameHome>;
    let engine: Engine;
    let handlers: Handlers;
    const pushed: { event: EventName; payload: unknown }[] = [];
    const answers: unknown[] = [];
    let stopFeed: () => void;

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      Object.assign(process.env, keyring.env);
      door = await startLoopbackDoor();
      home = sesameHome();
      const core = fixedCore(home, {
        network: { ipv4: { address: '198.51.100.7' }, autoReknock: true },
      });
      engine = core.engine;
      handlers = createHandlers(core);
      stopFeed = feedEvents(core, (event, payload) => pushed.push({ event, payload }));
      await engine.start();
    });
    afterAll(async () => {
      stopFeed();
      await engine.stop();
      await door.close();
      home.remove();
      await keyring.stop();
    });

    const call = async (name: string, input?: unknown) => {
      const result = await dispatch(handlers, name, input);
      answers.push(result);
      return result;
    };

    it('a whole session: add a knock and an SPA server, knock, edit, list, read the log, change settings', async () => {
      const knock = await call('servers.add', {
        draft: {
          name: 'office',
          host: '127.0.0.1',
          method: { kind: 'knock' },
          checkPort: door.checkPort,
          ssh: { user: 'me' },
        },
        secret: { kind: 'knock', sequence: door.sequence },
      });
      expect(knock.ok).toBe(true);
      const spa = await call('servers.add', {
        draft: {
          name: 'vault',
          host: '127.0.0.1',
          method: {
            kind: 'spa',
            access: [{ protocol: 'tcp', port: 22 }],
            allowIp: { mode: 'source' },
          },
        },
        secret: { kind: 'spa', encryptionKeyBase64: SPA_KEY, hmacKeyBase64: SPA_HMAC },
      });
      expect(spa.ok).toBe(true);
      const id = (knock as { value: { server: { id: string } } }).value.server.id;
      expect(await call('servers.knock', { id })).toMatchObject({
        ok: true,
        value: { state: 'open' },
      });
      await call('servers.knockAll');
      await call('servers.update', {
        id,
        draft: {
          name: 'office',
          host: '127.0.0.1',
          method: { kind: 'knock' },
          checkPort: door.checkPort,
          tags: ['lab'],
        },
      });
      await call('servers.list');
      await call('servers.sshCommand', { id });
      await call('log.recent', { limit: 500 });
      await call('settings.update', { patch: { theme: 'dark' } });
      home.log.flush();
      expect(pushed.some((p) => p.event === 'status')).toBe(true);
    });

    it('no secret appears in any answer, event, log line, status or the settings file', () => {
      const everything = [
        JSON.stringify(answers),
        JSON.stringify(pushed),
        JSON.stringify(engine.allStatuses()),
        home.settingsText(),
        readFileSync(join(home.dir, 'events.json'), 'utf8'),
      ].join('\n');
      const secrets = [
        ...door.ports.map(String),
        door.sequence,
        SPA_KEY,
        SPA_HMAC,
        SPA_KEY.slice(0, 16),
        SPA_HMAC.slice(0, 16),
      ];
      for (const secret of secrets) expect(everything).not.toContain(secret);
    });

    it.each(CALL_NAMES)(
      '%s: any payload gets an answer, never an exception, and a refusal changes nothing',
      async (name) => {
        await fc.assert(
          fc.asyncProperty(hostile, async (input) => {
            const before = home.settingsText();
            const secretsBefore = await Promise.all(
              home.repository.list().map((s) => home.repository.secretState(s)),
            );
            const result = await dispatch(handlers, name, input);
            expect(typeof result.ok).toBe('boolean');
            if (!result.ok) {
              expect(result.error.message.length).toBeGreaterThan(0);
              expect(result.error.message).not.toMatch(/\n\s+at /); // never a stack trace
              expect(home.settingsText()).toBe(before);
              expect(
                await Promise.all(
                  home.repository.list().map((s) => home.repository.secretState(s)),
                ),
              ).toEqual(secretsBefore);
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          }),
          { numRuns: 25 },
        );
      },
    );
  },
);
