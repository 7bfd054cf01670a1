import { useCallback, useMemo, useState } from 'react';
import { messageOf } from '../api/call-error.js';
import { useCore, useCoreState } from '../state/core-context.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { Icon } from '../ui/icons.js';
import { useToast } from '../ui/toasts.js';
import { ExportDialog } from '../transfer/export-dialog.js';
import { useNow } from '../ui/use-now.js';
import { type RowActions, ServerRow } from './server-row.js';

interface ServersViewProps {
  readonly onAdd: () => void;
  readonly onImport: () => void;
  /** Opens a server's edit form, its share view or its server setup. */
  readonly onServer: (screen: 'edit' | 'share' | 'setup', id: string) => void;
}

/** The list of servers with their doors, and what can be done with them. */
export function ServersView({ onAdd, onImport, onServer }: ServersViewProps) {
  const { api, store, mode } = useCore();
  const servers = useCoreState((s) => s.servers);
  const toast = useToast();
  const now = useNow();
  const [filter, setFilter] = useState('');
  const [deleting, setDeleting] = useState<string>();
  const [exporting, setExporting] = useState<readonly string[]>();

  const actions = useMemo<RowActions>(() => {
    const launch = (what: 'SSH' | 'RDP', id: string) => {
      const call =
        what === 'SSH'
          ? api.invoke('servers.openSsh', { id })
          : api.invoke('servers.openRdp', { id });
      call.then(
        ({ command }) =>
          toast(
            mode === 'preview'
              ? `Preview: the tray app would now run ${command}`
              : `Started ${what}: ${command}`,
            'info',
          ),
        (error: unknown) => toast(`Could not open ${what}: ${messageOf(error)}`, 'error'),
      );
    };
    return {
      knock: (id) => {
        api.invoke('servers.knock', { id }).then(
          (status) => store.applyStatus(status),
          (error: unknown) => toast(`Could not knock: ${messageOf(error)}`, 'error'),
        );
      },
      cancel: (id) => {
        api
          .invoke('servers.cancel', { id })
          .catch((error: unknown) => toast(messageOf(error), 'error'));
      },
      openSsh: (id) => launch('SSH', id),
      openRdp: (id) => launch('RDP', id),
      edit: (id) => onServer('edit', id),
      share: (id) => onServer('share', id),
      setup: (id) => onServer('setup', id),
      exportOne: (id) => setExporting([id]),
      remove: (id) => setDeleting(id),
    };
  }, [api, store, toast, mode, onServer]);

  const knockAll = useCallback(() => {
    api.invoke('servers.knockAll').then(
      (statuses) => {
        for (const status of statuses) store.applyStatus(status);
        const open = statuses.filter((s) => s.state === 'open' || s.state === 'knocked').length;
        toast(
          `Knocked on ${statuses.length} servers: ${open} open.`,
          open === statuses.length ? 'success' : 'warning',
        );
      },
      (error: unknown) => toast(`Could not knock: ${messageOf(error)}`, 'error'),
    );
  }, [api, store, toast]);

  const visible = useMemo(() => {
    const words = filter.trim().toLowerCase();
    if (servers === undefined || words === '') return servers;
    return servers.filter(({ profile }) =>
      [profile.name, profile.host, ...profile.tags].some((text) =>
        text.toLowerCase().includes(words),
      ),
    );
  }, [servers, filter]);

  const target = servers?.find((view) => view.profile.id === deleting);
  const confirmDelete = () => {
    if (target === undefined) return;
    setDeleting(undefined);
    api.invoke('servers.remove', { id: target.profile.id }).then(
      (result) =>
        toast(
          result.secretWarning === undefined
            ? `Deleted ${target.profile.name}.`
            : `Deleted ${target.profile.name}, but ${result.secretWarning}`,
          result.secretWarning === undefined ? 'success' : 'warning',
        ),
      (error: unknown) => toast(`Could not delete: ${messageOf(error)}`, 'error'),
    );
  };

  const openCount = servers?.filter((view) => view.status.state === 'open').length ?? 0;
  return (
    <section className="page" aria-labelledby="servers-title">
      <header className="page-header">
        <div>
          <h1 id="servers-title">Servers</h1>
          {servers !== undefined && servers.length > 0 && (
            <p className="subtitle">
              {servers.length} {servers.length === 1 ? 'server' : 'servers'}, {openCount} open
            </p>
          )}
        </div>
        <div className="toolbar">
          {servers !== undefined && servers.length > 5 && (
            <input
              type="search"
              className="search"
              placeholder="Filter by name, host or tag"
              aria-label="Filter servers"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
            />
          )}
          <button type="button" className="button" onClick={onImport}>
            <Icon name="upload" /> Import
          </button>
          {servers !== undefined && servers.length > 0 && (
            <>
              <button
                type="button"
                className="button"
                onClick={() => setExporting(servers.map((view) => view.profile.id))}
              >
                <Icon name="download" /> Export
              </button>
              <button type="button" className="button" onClick={knockAll}>
                <Icon name="bolt" /> Knock all
              </button>
            </>
          )}
          <button type="button" className="button primary" onClick={onAdd}>
            <Icon name="plus" /> Add server
          </button>
        </div>
      </header>
      {servers === undefined ? (
        <p className="muted loading">Loading…</p>
      ) : servers.length === 0 ? (
        <EmptyState onAdd={onAdd} onImport={onImport} />
      ) : (
        <ul className="server-list" aria-label="Servers">
          {visible?.map((view) => (
            <ServerRow key={view.profile.id} view={view} actions={actions} now={now} />
          ))}
        </ul>
      )}
      {visible !== undefined &&
        visible.length === 0 &&
        servers !== undefined &&
        servers.length > 0 && <p className="muted">No server matches “{filter}”.</p>}
      {exporting !== undefined && (
        <ExportDialog ids={exporting} onClose={() => setExporting(undefined)} />
      )}
      {target !== undefined && (
        <ConfirmDialog
          title={`Delete ${target.profile.name}?`}
          confirmLabel="Delete"
          danger
          onConfirm={confirmDelete}
          onCancel={() => setDeleting(undefined)}
        >
          <p>
            Sesame forgets this server and removes its sequence or keys from the keychain. The door
            on the server itself is not changed.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function EmptyState({ onAdd, onImport }: { onAdd: () => void; onImport: () => void }) {
  return (
    <div className="empty">
      <div className="empty-icon" aria-hidden="true">
        <Icon name="servers" />
      </div>
      <h2>No servers yet</h2>
      <p>
        Add the first server whose door Sesame should open: its host, and the knock sequence from
        its knockd.conf (or its fwknop keys). Sesame keeps the secret in your keychain and knocks
        again by itself when your public IP changes.
      </p>
      <div className="empty-actions">
        <button type="button" className="button primary" onClick={onAdd}>
          <Icon name="plus" /> Add your first server
        </button>
        <button type="button" className="button" onClick={onImport}>
          <Icon name="upload" /> Import from knockd.conf or a file
        </button>
      </div>
    </div>
  );
}
