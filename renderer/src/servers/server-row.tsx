import { memo } from 'react';
import type { ServerView } from '../../../src/api/view-schemas.js';
import { fullTime, latency, timeAgo, TRIGGER_WORDS } from '../ui/format.js';
import { Icon } from '../ui/icons.js';
import { StatusBadge } from './status-badge.js';

export interface RowActions {
  knock(id: string): void;
  cancel(id: string): void;
  openSsh(id: string): void;
  openRdp(id: string): void;
  edit(id: string): void;
  remove(id: string): void;
}

interface ServerRowProps {
  readonly view: ServerView;
  readonly actions: RowActions;
  readonly now: number;
}

/** One server: who it is, how its door stands, what happened last, and what can be done. */
export const ServerRow = memo(function ServerRow({ view, actions, now }: ServerRowProps) {
  const { profile, status } = view;
  const id = profile.id;
  const nameId = `server-${id}`;
  const last = status.lastKnock;
  const method = profile.method.kind === 'knock' ? 'Knock' : 'SPA';
  const knocking = status.state === 'knocking';
  return (
    <li className="server-row" aria-labelledby={nameId} data-server={profile.name}>
      <div className="server-identity">
        <h2 id={nameId} className="server-name">
          {profile.name}
        </h2>
        <div className="server-host">
          <span className="mono">{profile.host}</span>
          <span
            className="method-tag"
            title={
              method === 'SPA' ? 'Single Packet Authorization (fwknop)' : 'Port knocking (knockd)'
            }
          >
            {method}
          </span>
          {profile.checkPort !== undefined && (
            <span className="muted">check :{profile.checkPort}</span>
          )}
        </div>
      </div>
      <div className="server-state">
        <StatusBadge status={status} />
        <div className="server-meta">
          {last === undefined ? (
            <span className="muted">Never knocked</span>
          ) : (
            <>
              <span>
                Last knock{' '}
                <time dateTime={new Date(last.at).toISOString()} title={fullTime(last.at)}>
                  {timeAgo(last.at, now)}
                </time>{' '}
                {TRIGGER_WORDS[last.trigger]}
              </span>
              {last.publicIp !== undefined && (
                <span>
                  from <span className="mono">{last.publicIp}</span>
                </span>
              )}
              {status.checkLatencyMs !== undefined && status.state === 'open' && (
                <span>answered in {latency(status.checkLatencyMs)}</span>
              )}
            </>
          )}
          {status.secret !== 'stored' && !knocking && (
            <span className="warning-text">
              <span aria-hidden="true">⚠ </span>
              {status.secret === 'missing'
                ? 'No sequence or key stored: edit to enter it'
                : 'Keychain unavailable'}
            </span>
          )}
        </div>
      </div>
      <div className="server-actions" role="group" aria-label={`Actions for ${profile.name}`}>
        {knocking ? (
          <button
            type="button"
            className="button"
            onClick={() => actions.cancel(id)}
            aria-label={`Cancel knocking on ${profile.name}`}
          >
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            onClick={() => actions.knock(id)}
            aria-label={`Knock on ${profile.name}`}
          >
            <Icon name="bolt" /> Knock
          </button>
        )}
        <button
          type="button"
          className="button"
          onClick={() => actions.openSsh(id)}
          aria-label={`Open SSH to ${profile.name}`}
        >
          SSH
        </button>
        {profile.rdp !== undefined && (
          <button
            type="button"
            className="button"
            onClick={() => actions.openRdp(id)}
            aria-label={`Open RDP to ${profile.name}`}
          >
            RDP
          </button>
        )}
        <button
          type="button"
          className="button"
          onClick={() => actions.edit(id)}
          aria-label={`Edit ${profile.name}`}
        >
          Edit
        </button>
        <button
          type="button"
          className="button danger-text"
          onClick={() => actions.remove(id)}
          aria-label={`Delete ${profile.name}`}
        >
          Delete
        </button>
      </div>
    </li>
  );
});
