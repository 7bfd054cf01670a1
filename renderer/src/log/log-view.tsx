import { useId, useMemo, useState } from 'react';
import type { EventKind } from '../../../src/engine/event-log.js';
import { useCoreState } from '../state/core-context.js';
import type { LogEntry } from '../state/core-store.js';
import { clockTime, fullTime } from '../ui/format.js';
import { Icon } from '../ui/icons.js';
import { useToast } from '../ui/toasts.js';

/** Every kind of event, with its name in the filter; a kind the core adds must be named here. */
export const KIND_LABELS: Record<EventKind, string> = {
  knock: 'Knocks',
  'door-open': 'Door open',
  'door-closed': 'Door closed',
  'knock-failed': 'Knock failed',
  'ip-change': 'IP changes',
  network: 'Network',
  error: 'Errors',
  settings: 'Settings',
};
const KINDS = Object.keys(KIND_LABELS) as EventKind[];

/** The recent events, newest first, filterable, and copyable for a bug report. */
export function LogView() {
  const log = useCoreState((s) => s.log);
  const servers = useCoreState((s) => s.servers);
  const appInfo = useCoreState((s) => s.appInfo);
  const toast = useToast();
  const [server, setServer] = useState('');
  const [kind, setKind] = useState<EventKind | ''>('');
  const serverId = useId();
  const kindId = useId();

  const shown = useMemo(
    () =>
      log
        .filter((entry) => (server === '' ? true : entry.serverId === server))
        .filter((entry) => (kind === '' ? true : entry.kind === kind))
        .slice()
        .reverse(),
    [log, server, kind],
  );

  const copy = () => {
    const header = `Sesame ${appInfo?.version ?? ''} on ${appInfo?.platform ?? 'unknown'}`;
    const lines = shown
      .slice()
      .reverse()
      .map(
        (entry) =>
          `${new Date(entry.at).toISOString()}  ${entry.kind.padEnd(12)}  ${entry.message}`,
      );
    navigator.clipboard.writeText([header, ...lines].join('\n') + '\n').then(
      () => toast(`Copied ${shown.length} events.`, 'success'),
      () => toast('Could not copy: the clipboard is not available here.', 'error'),
    );
  };

  return (
    <section className="page" aria-labelledby="log-title">
      <header className="page-header">
        <div>
          <h1 id="log-title">Log</h1>
          <p className="subtitle">
            What Sesame did recently. Sequences and keys never appear here.
          </p>
        </div>
        <div className="toolbar">
          <button type="button" className="button" onClick={copy} disabled={shown.length === 0}>
            <Icon name="copy" /> Copy for a bug report
          </button>
        </div>
      </header>
      <div className="filters">
        <label htmlFor={serverId}>Server</label>
        <select id={serverId} value={server} onChange={(event) => setServer(event.target.value)}>
          <option value="">All servers</option>
          {servers?.map((view) => (
            <option key={view.profile.id} value={view.profile.id}>
              {view.profile.name}
            </option>
          ))}
        </select>
        <label htmlFor={kindId}>Kind</label>
        <select
          id={kindId}
          value={kind}
          onChange={(event) => setKind(event.target.value as EventKind | '')}
        >
          <option value="">All kinds</option>
          {KINDS.map((value) => (
            <option key={value} value={value}>
              {KIND_LABELS[value]}
            </option>
          ))}
        </select>
        <span className="muted">{shown.length} events</span>
      </div>
      {shown.length === 0 ? (
        <p className="muted">Nothing to show.</p>
      ) : (
        <ol className="log" aria-label="Events, newest first">
          {shown.map((entry) => (
            <LogLine key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function LogLine({ entry }: { entry: LogEntry }) {
  return (
    <li className={`log-line log-${entry.kind}`}>
      <time dateTime={new Date(entry.at).toISOString()} title={fullTime(entry.at)}>
        {clockTime(entry.at)}
      </time>
      <span className="log-kind">{KIND_LABELS[entry.kind]}</span>
      <span className="log-message">{entry.message}</span>
    </li>
  );
}
