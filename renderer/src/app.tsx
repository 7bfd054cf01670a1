import { useCallback, useEffect, useState } from 'react';
import { LogView } from './log/log-view.js';
import { NetworkView } from './network/network-view.js';
import { ServerForm } from './servers/form/server-form.js';
import { ServersView } from './servers/servers-view.js';
import { SettingsView } from './settings/settings-view.js';
import { useCore, useCoreState } from './state/core-context.js';
import { ImportView } from './transfer/import-view.js';
import { SetupView } from './transfer/setup-view.js';
import { ShareView } from './transfer/share-view.js';
import { Icon, type IconName } from './ui/icons.js';

type Section = 'servers' | 'network' | 'log' | 'settings';
const SECTIONS: readonly { id: Section; label: string; icon: IconName }[] = [
  { id: 'servers', label: 'Servers', icon: 'servers' },
  { id: 'network', label: 'Network', icon: 'network' },
  { id: 'log', label: 'Log', icon: 'log' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
];

/** What the servers section shows instead of the list, if anything. */
type Screen =
  | { kind: 'add' }
  | { kind: 'import' }
  | { kind: 'edit' | 'share' | 'setup'; id: string }
  | undefined;

/** The window: the sections on the left, the chosen one on the right. */
export function App() {
  const { mode } = useCore();
  const [section, setSection] = useState<Section>('servers');
  const [screen, setScreen] = useState<Screen>();
  const theme = useCoreState((s) => s.preferences?.theme ?? 'system');
  const loadError = useCoreState((s) => s.loadError);
  const servers = useCoreState((s) => s.servers);
  const appInfo = useCoreState((s) => s.appInfo);

  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  const onAdd = useCallback(() => setScreen({ kind: 'add' }), []);
  const onImport = useCallback(() => setScreen({ kind: 'import' }), []);
  const onServer = useCallback(
    (kind: 'edit' | 'share' | 'setup', id: string) => setScreen({ kind, id }),
    [],
  );
  const done = useCallback(() => setScreen(undefined), []);
  // A server deleted meanwhile (by the tray or the command) closes its screen.
  const target =
    screen !== undefined && 'id' in screen
      ? servers?.find((view) => view.profile.id === screen.id)
      : undefined;
  const list = screen === undefined || ('id' in screen && target === undefined);

  const go = (next: Section) => {
    setSection(next);
    setScreen(undefined);
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Sections">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="key" />
          </span>
          <span className="brand-name">Sesame</span>
        </div>
        <ul>
          {SECTIONS.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                title={item.label}
                aria-label={item.label}
                className={section === item.id ? 'nav-item current' : 'nav-item'}
                aria-current={section === item.id ? 'page' : undefined}
                onClick={() => go(item.id)}
              >
                <Icon name={item.icon} /> <span className="nav-label">{item.label}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          {mode === 'preview' && <span className="preview-tag">Preview</span>}
          {appInfo !== undefined && <span className="muted">v{appInfo.version}</span>}
        </div>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <div className="banner banner-error disconnected" role="alert">
          The connection to Sesame was lost. Restart it and reload this window.
        </div>
        {loadError !== undefined && (
          <div className="banner banner-error" role="alert">
            Sesame could not load: {loadError}
          </div>
        )}
        {section === 'servers' &&
          (list ? (
            <ServersView onAdd={onAdd} onImport={onImport} onServer={onServer} />
          ) : screen?.kind === 'import' ? (
            <ImportView onDone={done} />
          ) : screen?.kind === 'share' && target !== undefined ? (
            <ShareView key={target.profile.id} server={target} onDone={done} />
          ) : screen?.kind === 'setup' && target !== undefined ? (
            <SetupView key={target.profile.id} server={target} onDone={done} />
          ) : (
            <ServerForm key={target?.profile.id ?? 'add'} editing={target} onDone={done} />
          ))}
        {section === 'network' && <NetworkView />}
        {section === 'log' && <LogView />}
        {section === 'settings' && <SettingsView />}
      </main>
    </div>
  );
}
