import type { CoreServices, Launcher, NetworkService } from '../../src/api/core-services.js';
import type { NetworkState } from '../../src/api/view-schemas.js';
import { Engine } from '../../src/engine/engine.js';
import { systemClock } from '../../src/lib/clock.js';
import type { sesameHome } from './sesame-home.js';

/** A launcher that starts nothing and answers with the command it would have run. */
export const echoLauncher: Launcher = {
  openSsh: (server) => Promise.resolve({ command: `ssh ${server.host}` }),
  openRdp: (server) => Promise.resolve({ command: `rdp ${server.host}` }),
  sshCommand: (server) => `ssh ${server.host}`,
};

/**
 * The core's services over a real settings folder, keychain and engine, with a network that stays
 * as given (no watcher, no IP provider asked): for tests of the contract's calls. The engine is
 * not started; the test starts and stops it.
 */
export function fixedCore(
  home: ReturnType<typeof sesameHome>,
  options: { network?: Partial<NetworkState>; launcher?: Launcher } = {},
): CoreServices & { engine: Engine } {
  const engine = new Engine({
    repository: home.repository,
    settings: home.settings,
    log: home.log,
    clock: systemClock,
  });
  const state: NetworkState = {
    ipv4: {},
    ipv6: {},
    checking: false,
    reports: [],
    autoReknock: false,
    ...options.network,
  };
  const network: NetworkService = {
    state: () => state,
    checkNow: () => Promise.resolve(state),
    onChange: () => () => undefined,
  };
  return {
    repository: home.repository,
    settings: home.settings,
    engine,
    log: home.log,
    network,
    launcher: options.launcher ?? echoLauncher,
    appInfo: { version: 't', platform: 'linux' },
  };
}
