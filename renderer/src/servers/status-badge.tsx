import { useId } from 'react';
import type { ServerStatusView } from '../state/core-store.js';
import { Icon } from '../ui/icons.js';

const WORDS: Record<ServerStatusView['state'], string> = {
  idle: 'Not knocked',
  knocking: 'Knocking',
  open: 'Open',
  knocked: 'Knocked',
  closed: 'Closed',
  error: 'Error',
};

/** What the state means, for the tooltip when there is no reason of its own. */
const MEANING: Partial<Record<ServerStatusView['state'], string>> = {
  knocked: 'The sequence was sent; no check port is set to confirm the door opened.',
  open: 'The check port answered: the door is open for you.',
};

export function statusWords(status: ServerStatusView): string {
  if (status.state !== 'knocking') return WORDS[status.state];
  const progress = status.progress;
  const hits =
    progress !== undefined && progress.total > 0 ? ` ${progress.sent}/${progress.total}` : '…';
  return `Knocking${hits}${status.attempt !== undefined && status.attempt > 1 ? ` (try ${status.attempt})` : ''}`;
}

/**
 * A server's door state in words and an icon, never by color alone. The reason of an error or
 * a closed door shows on hover and on keyboard focus, and screen readers read it as the badge's
 * description.
 */
export function StatusBadge({ status }: { status: ServerStatusView }) {
  const tipId = useId();
  const tip = status.reason ?? MEANING[status.state];
  const progress = status.progress;
  return (
    <span className="badge-wrap">
      <span
        className={`badge badge-${status.state}`}
        data-state={status.state}
        tabIndex={tip === undefined ? undefined : 0}
        aria-describedby={tip === undefined ? undefined : tipId}
      >
        <Icon name={status.state} className={status.state === 'knocking' ? 'spin' : undefined} />
        <span className="badge-text">{statusWords(status)}</span>
      </span>
      {status.state === 'knocking' && progress !== undefined && progress.total > 0 && (
        <progress
          className="badge-progress"
          max={progress.total}
          value={progress.sent}
          aria-hidden="true"
        />
      )}
      {tip !== undefined && (
        <span id={tipId} role="tooltip" className="tooltip">
          {tip}
        </span>
      )}
    </span>
  );
}
