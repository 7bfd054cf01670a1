import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { connect } from './api/connect.js';
import type { ConnectionState } from './api/ws-client.js';
import { CoreContext } from './state/core-context.js';
import { CoreStore } from './state/core-store.js';
import { ToastProvider } from './ui/toasts.js';
import './styles/app.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

const showState = (state: ConnectionState) => {
  document.body.dataset.connection = state;
};
const connection = connect(showState);

if (connection === undefined) {
  root.textContent =
    'Sesame’s window needs the app, or the address npm run preview printed (with its token).';
} else {
  const store = new CoreStore(connection.api);
  void store.start();
  createRoot(root).render(
    <StrictMode>
      <CoreContext.Provider value={{ store, api: connection.api, mode: connection.mode }}>
        <ToastProvider>
          <App />
        </ToastProvider>
      </CoreContext.Provider>
    </StrictMode>,
  );
}
