import { app, dialog } from 'electron';
import { join } from 'node:path';
import { createCore } from '../src/app/core.js';
import { createSystemLauncher } from '../src/launch/system-launcher.js';
import { VERSION } from '../src/lib/version.js';
import { settingsDir } from '../src/store/settings-dir.js';
import { createLoginItem } from './login-item.js';
import { openElectronStore } from './settings-file.js';
import { startShell } from './shell.js';

// The entry of Electron's main process (bundled to out/main/main.cjs). The paths are relative to
// the bundle: out/preload, out/renderer and out/tray sit beside out/main, in the repository as
// in the packaged app.
const platform = process.platform;

startShell({
  platform,
  paths: {
    preload: join(__dirname, '..', 'preload', 'preload.cjs'),
    rendererIndex: join(__dirname, '..', 'renderer', 'index.html'),
    trayIcons: join(__dirname, '..', 'tray'),
  },
  createLauncher: (preferences) => createSystemLauncher({ preferences, platform }),
  createCore: (launcher) =>
    createCore({
      // The same folder as Electron's userData for "Sesame", and the same file as the command's:
      // electron-store opens it with conf's options (see src/store/settings-store.ts).
      dir: settingsDir(),
      launcher,
      appInfo: { version: VERSION, platform },
      createConf: openElectronStore,
      watchSettings: true,
    }),
  loginItem: createLoginItem({
    platform,
    env: process.env,
    execPath: process.execPath,
    setLoginItemSettings: (settings) => app.setLoginItemSettings(settings),
  }),
}).catch((error: unknown) => {
  dialog.showErrorBox(
    'Sesame could not start',
    error instanceof Error ? error.message : String(error),
  );
  app.exit(1);
});
