import { join } from 'node:path';
import type { CoreServices, Launcher } from '../api/core-services.js';
import { Engine } from '../engine/engine.js';
import { EventLog } from '../engine/event-log.js';
import { type Clock, systemClock } from '../lib/clock.js';
import { NetworkWatcher, type NetworkWatcherOptions } from '../net/network-watcher.js';
import { DEFAULT_PROVIDERS } from '../net/public-ip/default-providers.js';
import {
  PublicIpResolver,
  type PublicIpResolverOptions,
} from '../net/public-ip/public-ip-resolver.js';
import { ServerRepository } from '../servers/server-repository.js';
import { OsKeychain, type SecretStore } from '../store/secret-store.js';
import { EVENTS_FILE_NAME } from '../store/settings-dir.js';
import { type ConfLike, type ConfOptions, SettingsStore } from '../store/settings-store.js';
import type { Preferences } from '../store/settings-schema.js';
import { WatcherNetworkService } from './network-service.js';

export interface CoreOptions {
  /** The settings folder (settingsDir() in normal use). */
  readonly dir: string;
  readonly launcher: Launcher;
  readonly appInfo: CoreServices['appInfo'];
  /** electron-store in the tray app; conf otherwise. */
  readonly createConf?: (options: ConfOptions) => ConfLike;
  readonly secrets?: SecretStore;
  readonly clock?: Clock;
  /** Follow changes other processes make to the settings file (the tray app does). */
  readonly watchSettings?: boolean;
  /** Extra resolver options (a CA for a company's own HTTPS echo service). */
  readonly resolver?: Partial<PublicIpResolverOptions>;
  /** Watcher timings (tests and `sesame watch` options). */
  readonly watcher?: Partial<Omit<NetworkWatcherOptions, 'resolver' | 'clock'>>;
}

/** The whole core, built once: what the tray app, `sesame watch` and the preview bridge run. */
export interface Core {
  readonly services: CoreServices;
  readonly watcher: NetworkWatcher;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root of the core: settings, keychain, event log, engine, public-IP resolver and
 * network watcher, wired so that a change of the public IP re-knocks the servers that ask for it.
 * The Electron main process adds only the OS's own signals (resume, unlock, online) on top.
 */
export function createCore(options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const settings = SettingsStore.open(options.dir, {
    watch: options.watchSettings ?? false,
    ...(options.createConf && { createConf: options.createConf }),
  });
  const repository = new ServerRepository(settings, options.secrets ?? new OsKeychain());
  const log = new EventLog(join(options.dir, EVENTS_FILE_NAME), clock);
  for (const problem of settings.load.problems)
    log.add({ kind: 'error', message: `settings: ${problem}` });

  let watcher = buildWatcher(settings.get().preferences, options, clock);
  const engine = new Engine({
    repository,
    settings,
    log,
    clock,
    publicIp: () => {
      const current = watcher.current();
      return {
        ...(current.ipv4 !== undefined && { v4: current.ipv4 }),
        ...(current.ipv6 !== undefined && { v6: current.ipv6 }),
      };
    },
  });
  let network = new WatcherNetworkService(
    watcher,
    clock,
    () => settings.get().preferences.autoReknock,
  );
  const networkListeners = new Set<(state: ReturnType<typeof network.state>) => void>();

  const wire = (): void => {
    watcher.on('public-ip-changed', (change) => {
      // The first address learned after start is not a change: servers that want a knock at
      // start have `atStart`.
      if (change.previous !== undefined) engine.handlePublicIpChange(change);
      else log.add({ kind: 'network', message: `public IPv${change.family} is ${change.current}` });
    });
    watcher.on('public-ip-disagreement', (event) =>
      log.add({
        kind: 'network',
        message: `the IP providers disagree about the public IPv${event.family} (${event.addresses.join(', ')}); keeping ${event.current ?? 'none'}`,
      }),
    );
    watcher.on('error', (error) =>
      log.add({ kind: 'error', message: `network watcher: ${error.message}` }),
    );
    network.onChange((state) => {
      for (const listener of networkListeners) listener(state);
    });
  };
  wire();

  // The providers, the private-address switch and the check interval rebuild the watcher.
  let watcherKey = watcherSettingsKey(settings.get().preferences);
  let running = false;
  settings.onChange((next) => {
    network.refresh();
    const key = watcherSettingsKey(next.preferences);
    if (key === watcherKey) return;
    watcherKey = key;
    const old = watcher;
    watcher = buildWatcher(next.preferences, options, clock);
    network = new WatcherNetworkService(
      watcher,
      clock,
      () => settings.get().preferences.autoReknock,
    );
    wire();
    void old.stop().then(() => (running ? watcher.start() : undefined));
  });

  const services: CoreServices = {
    repository,
    settings,
    engine,
    log,
    launcher: options.launcher,
    appInfo: options.appInfo,
    network: {
      state: () => network.state(),
      checkNow: () => network.checkNow(),
      onChange: (listener) => {
        networkListeners.add(listener);
        return () => networkListeners.delete(listener);
      },
    },
  };
  return {
    services,
    get watcher() {
      return watcher;
    },
    start: async () => {
      running = true;
      await engine.start();
      await watcher.start();
    },
    stop: async () => {
      running = false;
      await watcher.stop();
      await engine.stop();
      log.flush();
    },
  };
}

function buildWatcher(
  preferences: Preferences,
  options: CoreOptions,
  clock: Clock,
): NetworkWatcher {
  const resolver = new PublicIpResolver({
    providers: preferences.ipProviders ?? DEFAULT_PROVIDERS,
    acceptNonPublic: preferences.acceptPrivateIp,
    clock,
    ...options.resolver,
  });
  return new NetworkWatcher({
    resolver,
    clock,
    publicCheckMs: preferences.ipCheckIntervalMinutes * 60_000,
    ...options.watcher,
  });
}

function watcherSettingsKey(preferences: Preferences): string {
  return JSON.stringify([
    preferences.ipProviders,
    preferences.acceptPrivateIp,
    preferences.ipCheckIntervalMinutes,
  ]);
}
