import type { SesameApi } from '../../../src/api/contract.js';
import { BRIDGE_PATH, TOKEN_PARAM } from '../../../src/preview/bridge-protocol.js';
import { type ConnectionState, createWebSocketApi } from './ws-client.js';

declare global {
  interface Window {
    /** Given by Electron's preload script; in the preview, the WebSocket client below. */
    sesame?: SesameApi;
  }
}

export interface Connection {
  readonly api: SesameApi;
  /** `app`: inside the tray app; `preview`: a browser tab on `npm run preview`. */
  readonly mode: 'app' | 'preview';
}

/**
 * The window only knows `window.sesame`. Inside Electron the preload script provides it; in a
 * browser opened on `npm run preview` the page builds it over the bridge's WebSocket with the
 * token from its own address, and puts it on `window.sesame` the same way.
 */
export function connect(onState: (state: ConnectionState) => void): Connection | undefined {
  if (window.sesame !== undefined) return { api: window.sesame, mode: 'app' };
  const token = new URLSearchParams(window.location.search).get(TOKEN_PARAM);
  if (token === null || window.location.protocol !== 'http:') return undefined;
  const url = `ws://${window.location.host}${BRIDGE_PATH}?${TOKEN_PARAM}=${encodeURIComponent(token)}`;
  window.sesame = createWebSocketApi(url, onState);
  return { api: window.sesame, mode: 'preview' };
}
