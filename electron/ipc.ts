import type { IpcMainInvokeEvent } from 'electron';
import { ipcMain } from 'electron';
import { CALL_NAMES, type CallResult } from '../src/api/contract.js';
import { dispatch } from '../src/api/dispatch.js';
import type { Handlers } from '../src/api/handlers.js';
import { callChannel } from './channels.js';

const NOT_OURS: CallResult<never> = {
  ok: false,
  error: { kind: 'failed', message: 'Sesame answers only its own window' },
};

/**
 * Binds every call of the contract to its own IPC channel. Each handler first checks that the
 * call comes from Sesame's window, then lets dispatch() check the input against the contract's
 * schema and run it; the answer is a CallResult, so errors reach the window as messages, never
 * as stack traces. Returns the function that unbinds them all.
 */
export function bindContract(
  handlers: Handlers,
  isOwnSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(callChannel(name), (event, input: unknown) =>
      isOwnSender(event) ? dispatch(handlers, name, input) : Promise.resolve(NOT_OURS),
    );
  }
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(callChannel(name));
  };
}
