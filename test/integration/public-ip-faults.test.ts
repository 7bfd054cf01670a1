import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/app/core.js';
import type { Launcher } from '../../src/api/core-services.js';
import type { LogEvent } from '../../src/engine/event-log.js';
import { type LoopbackDoor, startLoopbackDoor } from '../helpers/loopback-door.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import type { DnsStandIn } from '../helpers/stand-ins/dns-stand-in.js';
import type { HttpEcho } from '../helpers/stand-ins/http-echo.js';
import { dnsProvider, httpProvider, standInPool } from '../helpers/stand-ins/stand-in-pool.js';
import type { StandInMode } from '../helpers/stand-ins/stand-in-mode.js';
import { describeWithPrograms } from '../peers/harness/requirements.js';
import { waitFor } from '../peers/harness/run.js';

const noLauncher: Launcher = {
  openSsh: () => Promise.reject(new Error('none')),
  openRdp: () => Promise.reject(new Error('none')),
  sshCommand: () => '',
};

// The addresses are only what the stand-ins answer; nothing is ever sent to them.
const FIRST = '1.2.3.4';
const SECOND = '5.6.7.8';

describeWithPrograms(
  'the core while the public-IP providers misbehave',
  ['dbus-daemon', 'gnome-keyring-daemon'],
  () => {
    const pool = standInPool();
    let keyring: PrivateKeyring;
    let door: LoopbackDoor;
    let http: HttpEcho;
    let dns: DnsStandIn;
    let core: Core;
    let dir: string;
    const events: LogEvent[] = [];
    let checks = 0;

    beforeAll(async () => {
      keyring = await startPrivateKeyring();
      Object.assign(process.env, keyring.env);
      dir = mkdtempSync(join(tmpdir(), 'sesame-faults-'));
      door = await startLoopbackDoor();
      http = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: FIRST } });
      dns = await pool.dns('127.0.0.1', { kind: 'fixed', address: FIRST });
      core = createCore({
        dir,
        launcher: noLauncher,
        appInfo: { version: 'test', platform: 'linux' },
        // Fast timers, and providers that come back from a failure at once, so one test sees many rounds.
        resolver: { timeoutMs: 300, backoff: { initialMs: 1, factor: 1, maxMs: 1 } },
        watcher: { families: [4], pollMs: 100, quietMs: 50, publicCheckMs: 250, retryMs: 250 },
      });
      core.services.settings.update((s) => ({
        ...s,
        preferences: {
          ...s.preferences,
          ipProviders: [httpProvider('echo', http), dnsProvider('dns', dns, 'A')],
        },
      }));
      await core.services.repository.add(
        {
          name: 'office',
          host: '127.0.0.1',
          method: { kind: 'knock', seqTimeoutSeconds: 1 },
          checkPort: door.checkPort,
        },
        { kind: 'knock', sequence: door.sequence },
      );
      core.services.log.onEvent((event) => events.push(event));
      core.watcher.on('check-done', () => (checks += 1));
      await core.start();
      await waitFor(
        'the first public IP',
        () => events.some((e) => e.message === `public IPv4 is ${FIRST}`),
        10_000,
      );
    });

    afterAll(async () => {
      await core.stop();
      await pool.closeAll();
      await door.close();
      await keyring.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Puts the providers in these modes and lets the watcher run several rounds with them. */
    async function rounds(httpMode: StandInMode, dnsMode: StandInMode): Promise<void> {
      // The checks of the new watcher (settings changes rebuild it) are counted the same way.
      core.watcher.on('check-done', () => (checks += 1));
      await http.setMode(httpMode);
      await dns.setMode(dnsMode);
      const before = checks;
      await waitFor('three more checks', () => checks >= before + 3, 15_000);
    }

    it.each<[string, StandInMode, StandInMode]>([
      // The other provider keeps telling the truth: the address has not changed.
      ['one provider answers garbage', { kind: 'garbage' }, { kind: 'fixed', address: FIRST }],
      [
        'one provider answers a private address',
        { kind: 'private' },
        { kind: 'fixed', address: FIRST },
      ],
      [
        'the providers disagree',
        { kind: 'fixed', address: SECOND },
        { kind: 'fixed', address: FIRST },
      ],
      [
        'every provider times out',
        { kind: 'slow', delayMs: 2000 },
        { kind: 'slow', delayMs: 2000 },
      ],
      ['every provider is dead', { kind: 'dead' }, { kind: 'dead' }],
      ['one answers the wrong family', { kind: 'wrong-family' }, { kind: 'fixed', address: FIRST }],
      ['one is dead, one slow', { kind: 'dead' }, { kind: 'slow', delayMs: 2000 }],
    ])(
      '%s: no re-knock on a false change, and the checks go on',
      async (_what, httpMode, dnsMode) => {
        await rounds(httpMode, dnsMode);
        expect(events.filter((e) => e.kind === 'ip-change')).toEqual([]);
        expect(door.completed()).toBe(0);
        expect(core.services.network.state().ipv4.address).toBe(FIRST);
      },
    );

    it('after all that, a real change is still seen and re-knocks exactly once', async () => {
      await http.setMode({ kind: 'fixed', address: SECOND });
      await dns.setMode({ kind: 'fixed', address: SECOND });
      await waitFor('the door to open', () => events.some((e) => e.kind === 'door-open'), 15_000);
      expect(events.filter((e) => e.kind === 'ip-change').map((e) => e.message)).toEqual([
        `public IPv4 changed from ${FIRST} to ${SECOND}`,
      ]);
      const before = checks;
      await waitFor('more checks', () => checks >= before + 3, 15_000);
      expect(door.completed()).toBe(1);
    });
  },
);
