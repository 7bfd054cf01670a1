import { spawn as nodeSpawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src/app/core.js';
import { createSystemLauncher, type Spawn } from '../../src/launch/system-launcher.js';
import { OsKeychain } from '../../src/store/secret-store.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import type { LoginItem } from '../../electron/login-item.js';
import { openElectronStore } from '../../electron/settings-file.js';
import { type Shell, startShell } from '../../electron/shell.js';
import { type HttpEcho, startHttpEcho } from '../helpers/stand-ins/http-echo.js';
import { app, resetStandIn } from './electron-stand-in.js';

/**
 * The real Secret Service for the shell's core: one private gnome-keyring for the test process,
 * started with the first shell and ended when the process exits.
 */
let keyring: Promise<PrivateKeyring> | undefined;
async function testKeychain(): Promise<OsKeychain> {
  keyring ??= startPrivateKeyring().then((started) => {
    Object.assign(process.env, started.env);
    process.once('exit', () => started.killNow());
    return started;
  });
  await keyring;
  return new OsKeychain(`Sesame-shell-test-${process.pid}`);
}

export interface TestShell {
  readonly shell: Shell;
  readonly dir: string;
  readonly echo: HttpEcho;
  /** What the launcher started: program and arguments. */
  readonly spawned: string[][];
  /** What launch at login was set to, in order. */
  readonly loginItem: boolean[];
  readonly paths: { preload: string; rendererIndex: string; trayIcons: string };
  stop(): Promise<void>;
}

/**
 * The tray app as main.ts builds it, on the stand-in: the real core in a scratch settings folder
 * opened through electron-store, the real system launcher with a spawn that records (and runs a
 * harmless process in the program's place), and the public IP from an HTTP echo on 127.0.0.1.
 */
export async function startTestShell(
  platform: NodeJS.Platform,
  options: { env?: NodeJS.ProcessEnv; programs?: readonly string[]; packaged?: boolean } = {},
): Promise<TestShell> {
  resetStandIn();
  app.isPackaged = options.packaged ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'sesame-shell-'));
  app.userData = dir;
  const echo = await startHttpEcho({ host: '127.0.0.1' });
  const spawned: string[][] = [];
  const spawn: Spawn = (file, args, spawnOptions) => {
    spawned.push([file, ...args]);
    return nodeSpawn(process.execPath, ['-e', ''], { ...spawnOptions, detached: false });
  };
  const loginItem: boolean[] = [];
  const recordingLoginItem: LoginItem = { apply: (enabled) => void loginItem.push(enabled) };
  const paths = {
    preload: join(dir, 'out', 'preload', 'preload.cjs'),
    rendererIndex: join(dir, 'out', 'renderer', 'index.html'),
    trayIcons: join(dir, 'out', 'tray'),
  };
  const programs = new Set(options.programs ?? []);
  const secrets = await testKeychain();
  const shell = await startShell({
    platform,
    paths,
    onlinePollMs: 3_600_000,
    loginItem: recordingLoginItem,
    createLauncher: (preferences) =>
      createSystemLauncher({
        preferences,
        platform,
        env: options.env ?? {},
        spawn,
        hasProgram: (name) => programs.has(name),
      }),
    createCore: (launcher) =>
      createCore({
        dir,
        launcher,
        appInfo: { version: '0.0.0-test', platform },
        createConf: openElectronStore,
        secrets,
        resolver: {
          providers: [{ kind: 'http', name: 'loopback echo', ipv4: echo.url, format: 'text' }],
          acceptNonPublic: true,
        },
        watcher: { families: [4], quietMs: 20, pollMs: 3_600_000 },
      }),
  });
  if (!shell) throw new Error('the shell did not start');
  return {
    shell,
    dir,
    echo,
    spawned,
    loginItem,
    paths,
    stop: async () => {
      app.quit();
      await shell.stopped();
      await echo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
