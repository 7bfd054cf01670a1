import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog } from '../../src/engine/event-log.js';
import { systemClock, type Clock } from '../../src/lib/clock.js';
import { ServerRepository } from '../../src/servers/server-repository.js';
import { OsKeychain } from '../../src/store/secret-store.js';
import { SettingsStore } from '../../src/store/settings-store.js';

/** A real settings folder in a scratch directory, with the real keychain (whatever D-Bus says). */
export function sesameHome(
  clock: Clock = systemClock,
  service = `Sesame-test-${process.pid}-${Math.random().toString(36).slice(2)}`,
) {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-home-'));
  const settings = SettingsStore.open(dir);
  const keychain = new OsKeychain(service);
  const repository = new ServerRepository(settings, keychain);
  const log = new EventLog(join(dir, 'events.json'), clock);
  return {
    dir,
    settings,
    keychain,
    repository,
    log,
    settingsText: () => readFileSync(join(dir, 'config.json'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
