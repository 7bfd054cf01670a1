import ElectronStore from 'electron-store';
import type { ConfLike, ConfOptions } from '../src/store/settings-store.js';

/**
 * electron-store opened with conf's options, so the tray app and the `sesame` command read and
 * write one file (electron-store takes the file's name as `name`, and would default it).
 */
export function openElectronStore(options: ConfOptions): ConfLike {
  const { configName, ...rest } = options;
  return new ElectronStore<Record<string, unknown>>({ ...rest, name: configName });
}
