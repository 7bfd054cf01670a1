import type { Engine } from '../engine/engine.js';
import type { EventLog } from '../engine/event-log.js';
import type { ServerProfile } from '../servers/server-profile.js';
import type { ServerRepository } from '../servers/server-repository.js';
import type { SettingsStore } from '../store/settings-store.js';
import type { LaunchResult, NetworkState } from './view-schemas.js';

/** The public IP as the window shows it, and a way to check it now. */
export interface NetworkService {
  state(): NetworkState;
  checkNow(): Promise<NetworkState>;
  onChange(listener: (state: NetworkState) => void): () => void;
}

/** Opens SSH and RDP to a server: in the tray app, the system's terminal and RDP client. */
export interface Launcher {
  openSsh(server: ServerProfile): Promise<LaunchResult>;
  openRdp(server: ServerProfile): Promise<LaunchResult>;
  /** The ssh command line, for "Copy SSH command". */
  sshCommand(server: ServerProfile): string;
}

/** Everything the handlers of the contract work with: the core, built once by a composition root. */
export interface CoreServices {
  readonly repository: ServerRepository;
  readonly settings: SettingsStore;
  readonly engine: Engine;
  readonly log: EventLog;
  readonly network: NetworkService;
  readonly launcher: Launcher;
  readonly appInfo: { readonly version: string; readonly platform: string };
}
