import { useCallback, useEffect, useState } from 'react';
import { LogView } from './log/log-view.js';
import { NetworkView } from './network/network-view.js';
import { ServerForm } from './servers/form/server-form.js';
import { ServersView } from './servers/servers-view.js';
import { SettingsView } from './settings/settings-view.js';
import { useCore, useCoreState } from './state/core-context.js';
import { Icon, type IconName } from './ui/icons.js';

type Section = 'servers' | 'network' | 'log' | 'settings';
const SECTIONS: readonly { id: Section; label: string; icon: IconName }[] = [
  { id: 'servers', label: 'Servers', icon: 'servers' },
  { id: 'network', label: 'Network', icon: 'network' },
  { id: 'log', label: 'Log', icon: 'log' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
];

type Editing = { kind: 'add' } | { kind: 'edit'; id: string } | undefined;

/** The window: the sections on the left, the chosen one on the right. */
export function App() {
  const { mode } = useCore();
  const [section, setSection] = useState<Section>('servers');
  const [editing, setEditing] = useState<Editing>();
  const theme = useCoreState((s) => s.preferences?.theme ?? 'system');
  const loadError = useCoreState((s) => s.loadError);
  const servers = useCoreState((s) => s.servers);
  const appInfo = useCoreState((s) => s.appInfo);

  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  const onAdd = useCallback(() => setEditing({ kind: 'add' }), []);
  const onEdit = useCallback((id: string) => setEditing({ kind: 'edit', id }), []);
  const done = useCallback(() => setEditing(undefined), []);
  const edited =
    editing?.kind === 'edit' ? servers?.find((view) => view.profile.id === editing.id) : undefined;

  const go = (next: Section) => {
    setSection(next);
    setEditing(undefined);
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
                className={section === item.id ? 'nav-item current' : 'nav-item'}
                aria-current={section === item.id ? 'page' : undefined}
                onClick={() => go(item.id)}
              >
                <Icon name={item.icon} /> {item.label}
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
          (editing === undefined || (editing.kind === 'edit' && edited === undefined) ? (
            <ServersView onAdd={onAdd} onEdit={onEdit} />
          ) : (
            <ServerForm
              key={editing.kind === 'edit' ? editing.id : 'add'}
              editing={edited}
              onDone={done}
            />
          ))}
        {section === 'network' && <NetworkView />}
        {section === 'log' && <LogView />}
        {section === 'settings' && <SettingsView />}
      </main>
    </div>
  );
}
