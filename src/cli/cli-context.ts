import { join } from 'node:path';
import { EventLog } from '../engine/event-log.js';
import { type Clock, systemClock } from '../lib/clock.js';
import { ServerRepository } from '../servers/server-repository.js';
import { OsKeychain, type SecretStore } from '../store/secret-store.js';
import { EVENTS_FILE_NAME, settingsDir } from '../store/settings-dir.js';
import { SettingsStore } from '../store/settings-store.js';
import type { CliIo } from './cli-io.js';

/** What the commands that work on saved servers share: the settings, the keychain, the log. */
export interface CliContext {
  readonly dir: string;
  readonly settings: SettingsStore;
  readonly repository: ServerRepository;
  readonly log: EventLog;
  readonly clock: Clock;
}

/**
 * Opens Sesame's settings folder (the tray app's, or SESAME_CONFIG_DIR). Problems found in the
 * settings file are told on stderr, once, before the command runs.
 */
export function openContext(
  io: CliIo,
  options: { secrets?: SecretStore; env?: NodeJS.ProcessEnv; watch?: boolean } = {},
): CliContext {
  const dir = settingsDir(options.env);
  const settings = SettingsStore.open(dir, { watch: options.watch ?? false });
  for (const problem of settings.load.problems) io.err(`sesame: warning: ${problem}\n`);
  const clock = systemClock;
  return {
    dir,
    settings,
    repository: new ServerRepository(settings, options.secrets ?? new OsKeychain()),
    log: new EventLog(join(dir, EVENTS_FILE_NAME), clock),
    clock,
  };
}
