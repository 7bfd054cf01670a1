import type { EventName, EventPayload } from './contract.js';
import type { CoreServices } from './core-services.js';
import { serverViews } from './handlers.js';

export type Emit = <K extends EventName>(event: K, payload: EventPayload<K>) => void;

/**
 * Pushes every change of the core to the window as the contract's events. Returns the function
 * that stops it. The same feed serves Electron's IPC and the preview bridge.
 */
export function feedEvents(core: CoreServices, emit: Emit): () => void {
  const onStatus = (status: EventPayload<'status'>): void => emit('status', status);
  core.engine.on('status', onStatus);
  const stops = [
    () => core.engine.off('status', onStatus),
    core.settings.onChange((settings) => {
      emit('servers', serverViews(core));
      emit('settings', settings.preferences);
    }),
    core.log.onEvent((event) => emit('log', event)),
    core.network.onChange((state) => emit('network', state)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
