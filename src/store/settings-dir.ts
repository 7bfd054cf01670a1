import { homedir } from 'node:os';
import { join } from 'node:path';

/** The settings file's name without `.json`, as conf and electron-store take it. */
export const SETTINGS_FILE_NAME = 'config';
/** The event log's file, beside the settings. */
export const EVENTS_FILE_NAME = 'events.json';

/** The product name; Electron names its per-user data folder after it. */
export const APP_NAME = 'Sesame';

/**
 * The folder of Sesame's settings: the one Electron's `app.getPath('userData')` gives the tray
 * app, so the tray app and the `sesame` command share one settings file. `SESAME_CONFIG_DIR`
 * overrides it (a second profile, the tests).
 */
export function settingsDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
  home = homedir(),
): string {
  const override = env.SESAME_CONFIG_DIR;
  if (override !== undefined && override !== '') return override;
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
  }
}
