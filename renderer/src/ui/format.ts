/** How long ago, in words a person reads at a glance: "just now", "4 min ago", "yesterday". */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** How long until, in the same words: "in 40 s", "in 3 min", "in 2 h". */
export function timeUntil(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((at - now) / 1000));
  if (seconds < 60) return seconds < 5 ? 'in a moment' : `in ${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `in ${minutes} min` : `in ${Math.round(minutes / 60)} h`;
}

// Formatters are made once: making one per call (toLocaleString) costs a list of 200 servers
// tens of milliseconds on every update.
const FULL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const CLOCK = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The full date and time, for a title and for the log. */
export function fullTime(at: number): string {
  return FULL.format(at);
}

export function clockTime(at: number): string {
  return CLOCK.format(at);
}

export function latency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

export const TRIGGER_WORDS: Record<string, string> = {
  manual: 'by hand',
  'ip-change': 'after an IP change',
  start: 'at start',
  'keep-alive': 'to keep it open',
  retry: 'retrying',
};
