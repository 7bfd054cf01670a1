import { SETTINGS_VERSION } from './settings-schema.js';

/**
 * Steps that bring a settings file written by an older Sesame up to the current layout. Each
 * takes the parsed file of version N and returns version N+1. A file from a newer Sesame is left
 * alone and refused, so an older version never damages it.
 */
const MIGRATIONS: Record<number, (data: Record<string, unknown>) => Record<string, unknown>> = {
  // A file without a version number (written by hand, or by a script) is read as layout 1.
  0: (data) => ({ ...data, version: 1 }),
};

export class NewerSettingsError extends Error {
  constructor(readonly fileVersion: number) {
    super(
      `the settings file was written by a newer Sesame (layout ${fileVersion}, this one knows ${SETTINGS_VERSION}); update Sesame to use it`,
    );
    this.name = 'NewerSettingsError';
  }
}

export function migrate(data: Record<string, unknown>): {
  data: Record<string, unknown>;
  migratedFrom?: number;
} {
  const raw = data.version;
  // Anything but a whole number from 0 up is read as "no version" (a hand-written file).
  const start = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : 0;
  if (start > SETTINGS_VERSION) throw new NewerSettingsError(start);
  let current = data;
  for (let version = start; version < SETTINGS_VERSION; version += 1) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from settings layout ${version}`);
    current = step(current);
  }
  return start === SETTINGS_VERSION ? { data: current } : { data: current, migratedFrom: start };
}
