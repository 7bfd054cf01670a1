import { Notification, app, clipboard, net, powerMonitor, session } from 'electron';
import type { CallInput, CallName, CallOutput, CallResult } from '../src/api/contract.js';
import type { Launcher } from '../src/api/core-services.js';
import { dispatch } from '../src/api/dispatch.js';
import { feedEvents } from '../src/api/event-feed.js';
import { createHandlers, serverViews } from '../src/api/handlers.js';
import type { Core } from '../src/app/core.js';
import type { Preferences } from '../src/store/settings-schema.js';
import { bindContract } from './ipc.js';
import type { LoginItem } from './login-item.js';
import { type Note, NotificationPlanner } from './notifications.js';
import { OnlineWatch } from './online-watch.js';
import { TrayView } from './tray.js';
import type { TrayAction } from './tray-menu.js';
import { MainWindow, type WindowPaths, lockDownContents, lockDownSession } from './window.js';

export const APP_USER_MODEL_ID = 'org.sesame.app';

export interface ShellOptions {
  readonly platform: NodeJS.Platform;
  readonly paths: WindowPaths & { readonly trayIcons: string };
  /** The launcher for SSH and RDP; it reads the person's terminal and RDP command when used. */
  readonly createLauncher: (preferences: () => Preferences) => Launcher;
  /** The core, with this launcher (main.ts: electron-store, the keychain, the real network). */
  readonly createCore: (launcher: Launcher) => Core;
  readonly loginItem: LoginItem;
  readonly onlinePollMs?: number;
}

/** The running tray app, as the tests see it. */
export interface Shell {
  readonly core: Core;
  readonly window: MainWindow;
  readonly online: OnlineWatch;
  /** Runs a tray menu action and resolves when it is done. */
  act(action: TrayAction): Promise<void>;
  /** Resolves once a pending tray update has been drawn. */
  settled(): Promise<void>;
  /** Resolves once quitting has stopped the core. */
  stopped(): Promise<void>;
}

/**
 * The composition root of the tray app. It turns OS events into calls on the core (resume,
 * unlock and coming online make the network watcher look again), and the core's events into the
 * tray icon, its menu, notifications and the window's events. Everything it decides is done by
 * the pure functions beside it; this file only connects them.
 */
export async function startShell(options: ShellOptions): Promise<Shell | undefined> {
  // A second launch hands over to the first one, which shows its window.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return undefined;
  }
  // An agent app: no Dock icon (LSUIElement does the same in the packaged app).
  if (options.platform === 'darwin') app.dock?.hide();
  // Windows shows notifications only for an app with an AppUserModelID (the installer's).
  if (options.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  // Closing the window does not quit: Sesame lives in the tray.
  app.on('window-all-closed', () => undefined);
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  await app.whenReady();
  const window = new MainWindow(options.paths, options.platform);
  lockDownSession(session.defaultSession, window.pageUrl);

  // The launcher reads the person's terminal from the settings, which the core opens.
  const built: { core?: Core } = {};
  const preferences = (): Preferences => {
    if (!built.core) throw new Error('the settings are not open yet');
    return built.core.services.settings.get().preferences;
  };
  const core = options.createCore(options.createLauncher(preferences));
  built.core = core;
  const { services } = core;
  await core.start();

  const handlers = createHandlers(services);
  const call = <K extends CallName>(name: K, input?: CallInput<K>) =>
    dispatch(handlers, name, input) as Promise<CallResult<CallOutput<K>>>;
  const unbind = bindContract(handlers, (event) => window.isOwnSender(event));

  const tray: TrayView = new TrayView({
    iconDir: options.paths.trayIcons,
    platform: options.platform,
    onAction: (action) => void act(action),
    onClick: () => window.open(tray.bounds()),
  });
  const render = (): void =>
    tray.render({
      servers: serverViews(services),
      autoReknock: preferences().autoReknock,
      launchAtLogin: preferences().launchAtLogin,
      platform: options.platform,
    });
  // Events come in bursts (every hit of a knock): draw once per turn of the event loop.
  let pending: Promise<void> | undefined;
  const scheduleRender = (): void => {
    pending ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        pending = undefined;
        render();
        resolve();
      }),
    );
  };
  render();

  const notify = (note: Note): void => {
    if (!Notification.isSupported()) return;
    const shown = new Notification({ title: note.title, body: note.body });
    shown.on('click', () => window.open(tray.bounds()));
    shown.show();
  };
  const planner = new NotificationPlanner(
    () => preferences().notifications,
    (id) => services.repository.get(id)?.name,
    () => window.isFocused(),
  );
  const stopFeed = feedEvents(services, (event, payload) => {
    window.send(event, payload);
    if (event === 'status') {
      const note = planner.onStatus(payload as CallOutput<'servers.knock'>);
      if (note) notify(note);
    }
    if (event === 'network') {
      for (const note of planner.onNetwork(payload as CallOutput<'network.state'>)) notify(note);
    }
    if (event === 'status' || event === 'servers' || event === 'settings') scheduleRender();
  });

  // The OS's own signals that the network may have changed: the watcher looks again at once.
  // (core.watcher is read each time: the core rebuilds it when the IP providers change.)
  const lookAgain = (reason: string) => () => core.watcher.notify(reason);
  powerMonitor.on('resume', lookAgain('resume'));
  powerMonitor.on('unlock-screen', lookAgain('unlock'));
  const online = new OnlineWatch(
    () => net.isOnline(),
    (isOnline) => {
      if (isOnline) core.watcher.notify('online');
    },
    options.onlinePollMs,
  );

  // Launch at login follows the setting, whoever changes it (the menu, the window, the command).
  // Only the packaged app registers itself: a development build would register Electron.
  let loginApplied: boolean | undefined;
  const applyLoginItem = (enabled: boolean): void => {
    if (!app.isPackaged || enabled === loginApplied) return;
    loginApplied = enabled;
    try {
      options.loginItem.apply(enabled);
    } catch (error) {
      services.log.add({
        kind: 'error',
        message: `could not change launch at login: ${(error as Error).message}`,
      });
    }
  };
  applyLoginItem(preferences().launchAtLogin);
  const stopLoginSync = services.settings.onChange((next) =>
    applyLoginItem(next.preferences.launchAtLogin),
  );

  const act = async (action: TrayAction): Promise<void> => {
    switch (action.kind) {
      case 'knock':
        // The outcome arrives as a status event: the menu and a notification show it.
        await call('servers.knock', { id: action.serverId });
        return;
      case 'knock-all':
        await call('servers.knockAll');
        return;
      case 'open-ssh':
      case 'open-rdp': {
        const what = action.kind === 'open-ssh' ? 'SSH' : 'RDP';
        const result = await call(
          action.kind === 'open-ssh' ? 'servers.openSsh' : 'servers.openRdp',
          {
            id: action.serverId,
          },
        );
        if (!result.ok) {
          const name = services.repository.get(action.serverId)?.name ?? 'the server';
          notify({ title: `Could not open ${what} to ${name}`, body: result.error.message });
        }
        return;
      }
      case 'copy-ssh': {
        const result = await call('servers.sshCommand', { id: action.serverId });
        if (result.ok) clipboard.writeText(result.value.command);
        return;
      }
      case 'auto-reknock':
        await call('settings.update', { patch: { autoReknock: action.enabled } });
        return;
      case 'launch-at-login':
        await call('settings.update', { patch: { launchAtLogin: action.enabled } });
        return;
      case 'open-window':
        window.open(tray.bounds());
        return;
      case 'quit':
        app.quit();
        return;
    }
  };

  app.on('second-instance', () => window.open(tray.bounds()));

  let stopped = false;
  let stopping: Promise<void> | undefined;
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Let the core finish: knocks in flight are cancelled and the event log is written.
    event.preventDefault();
    stopping ??= (async () => {
      online.stop();
      stopLoginSync();
      stopFeed();
      unbind();
      window.close();
      tray.destroy();
      await core.stop();
    })()
      // Quitting must not hang or fail on a core that could not stop cleanly.
      .catch((error: unknown) => console.error('Sesame: stopping the core failed:', error))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  return {
    core,
    window,
    online,
    act,
    settled: () => pending ?? Promise.resolve(),
    stopped: () => stopping ?? Promise.resolve(),
  };
}
