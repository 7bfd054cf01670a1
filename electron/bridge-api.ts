import type { CallResult, SesameApi } from '../src/api/contract.js';
import { callChannel, eventChannel, isCallName, isEventName } from './channels.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * `window.sesame`: the contract's calls and events and nothing else. A call resolves to its
 * value or rejects with an Error whose message a person can read (contextBridge carries only
 * the message of an Error across). A listener gets the payload alone, never Electron's event
 * object, which would hand the page a way back to ipcRenderer.
 */
export function createSesameApi(ipc: RendererIpc): SesameApi {
  const invoke = async (name: unknown, input?: unknown): Promise<unknown> => {
    if (!isCallName(name))
      throw new Error(`"${String(name).slice(0, 64)}" is not a call Sesame knows`);
    const result = (await ipc.invoke(callChannel(name), input)) as CallResult<unknown>;
    if (result.ok) return result.value;
    throw new Error(result.error.message);
  };
  const on = (event: unknown, listener: (payload: unknown) => void): (() => void) => {
    if (!isEventName(event))
      throw new Error(`"${String(event).slice(0, 64)}" is not an event Sesame sends`);
    if (typeof listener !== 'function') throw new Error('the listener must be a function');
    const channel = eventChannel(event);
    const forward = (_event: unknown, payload: unknown): void => listener(payload);
    ipc.on(channel, forward);
    return () => {
      ipc.removeListener(channel, forward);
    };
  };
  return { invoke, on } as SesameApi;
}
