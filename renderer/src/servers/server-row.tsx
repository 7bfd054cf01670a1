import { memo, type ReactNode } from 'react';
import type { ServerView } from '../../../src/api/view-schemas.js';
import { fullTime, latency, timeAgo, timeUntil, TRIGGER_WORDS } from '../ui/format.js';
import { Icon } from '../ui/icons.js';
import { MenuButton } from '../ui/menu-button.js';
import { StatusBadge } from './status-badge.js';

export interface RowActions {
  knock(id: string): void;
  cancel(id: string): void;
  openSsh(id: string): void;
  openRdp(id: string): void;
  edit(id: string): void;
  share(id: string): void;
  setup(id: string): void;
  exportOne(id: string): void;
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
          {status.retryAt !== undefined && !knocking && (
            <span>
              trying again{' '}
              <time
                dateTime={new Date(status.retryAt).toISOString()}
                title={fullTime(status.retryAt)}
              >
                {timeUntil(status.retryAt, now)}
              </time>
            </span>
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
        {knocking
          ? action('Cancel', `Cancel knocking on ${profile.name}`, () => actions.cancel(id))
          : action(
              <>
                <Icon name="bolt" /> Knock
              </>,
              `Knock on ${profile.name}`,
              () => actions.knock(id),
              'button primary',
            )}
        {action('SSH', `Open SSH to ${profile.name}`, () => actions.openSsh(id))}
        {profile.rdp !== undefined &&
          action('RDP', `Open RDP to ${profile.name}`, () => actions.openRdp(id))}
        {action('Edit', `Edit ${profile.name}`, () => actions.edit(id))}
        {action('Delete', `Delete ${profile.name}`, () => actions.remove(id), 'button danger-text')}
        <MenuButton
          label={<Icon name="more" />}
          className="button icon-button"
          name={`More for ${profile.name}`}
          items={[
            { label: 'Share…', onSelect: () => actions.share(id) },
            { label: 'Server setup…', onSelect: () => actions.setup(id) },
            { label: 'Export…', onSelect: () => actions.exportOne(id) },
          ]}
        />
      </div>
    </li>
  );
});

/** A row's button: the visible word, and a name that says which server it acts on. */
function action(label: ReactNode, name: string, onClick: () => void, className = 'button') {
  return (
    <button type="button" className={className} onClick={onClick} aria-label={name}>
      {label}
    </button>
  );
}
