import type { CallResult, EventName, SesameApi } from '../../../src/api/contract.js';
import type { BridgeMessage, CallMessage } from '../../../src/preview/bridge-protocol.js';
import { CallError } from './call-error.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * `window.sesame` over the preview bridge's WebSocket, for the window in a normal browser. Calls
 * made before the socket opens wait for it; when it closes, every call still waiting fails with
 * a message that says what to do, and so does every later one.
 */
export function createWebSocketApi(
  url: string,
  onState: (state: ConnectionState) => void = () => undefined,
): SesameApi {
  const socket = new WebSocket(url);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let state: ConnectionState = 'connecting';
  const opened = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve()));
  const closedError = () =>
    new CallError(
      'The connection to Sesame was lost: restart npm run preview and reload.',
      'disconnected',
    );

  socket.addEventListener('open', () => onState((state = 'open')));
  socket.addEventListener('close', () => {
    onState((state = 'closed'));
    for (const { reject } of pending.values()) reject(closedError());
    pending.clear();
  });
  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const message = JSON.parse(event.data) as BridgeMessage;
    if (message.type === 'event') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    settle(message.result, waiting);
  });

  return {
    invoke: (async (name: string, input?: unknown) => {
      if (state === 'connecting') await opened;
      if (state === 'closed') throw closedError();
      const id = nextId++;
      const call: CallMessage = { type: 'call', id, name, input };
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify(call));
      });
    }) as SesameApi['invoke'],
    on: ((event: EventName, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    }) as SesameApi['on'],
  };
}

function settle(
  result: CallResult<unknown>,
  waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void } | undefined,
): void {
  if (waiting === undefined) return;
  if (result.ok) waiting.resolve(result.value);
  else waiting.reject(new CallError(result.error.message, result.error.kind));
}
