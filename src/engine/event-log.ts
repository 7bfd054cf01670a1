import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import { writeFileAtomic } from '../store/atomic-file.js';

export const EVENT_KINDS = [
  'knock',
  'door-open',
  'door-closed',
  'knock-failed',
  'ip-change',
  'network',
  'error',
  'settings',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const logEventSchema = z.object({
  id: z.number().int(),
  at: z.number(),
  kind: z.enum(EVENT_KINDS),
  serverId: z.string().optional(),
  serverName: z.string().optional(),
  /** One line for a person. Built only from non-secret facts: never a sequence or a key. */
  message: z.string(),
});

export type LogEvent = z.output<typeof logEventSchema>;
export type NewLogEvent = Omit<LogEvent, 'id' | 'at'>;

/** How many events are kept: enough for "what happened this week", small enough to load at once. */
export const EVENT_LOG_CAPACITY = 500;
/** Writes are gathered: a burst of events (a re-knock of 50 servers) costs one write. */
const WRITE_DELAY_MS = 1000;

/**
 * The recent events (knocks, results, IP changes, errors), as a bounded ring persisted to a JSON
 * file beside the settings, so the UI and `sesame log` can show what happened, also after a
 * restart.
 */
export class EventLog {
  private events: LogEvent[] = [];
  private nextId = 1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(event: LogEvent) => void>();
  /** The last write error, for the UI to show; the log itself keeps working in memory. */
  lastWriteError: Error | undefined;

  constructor(
    private readonly path: string | undefined,
    private readonly clock: Clock,
    private readonly capacity = EVENT_LOG_CAPACITY,
  ) {
    if (path !== undefined) this.events = readEvents(path).slice(-capacity);
    this.nextId = (this.events.at(-1)?.id ?? 0) + 1;
  }

  add(event: NewLogEvent): LogEvent {
    const entry: LogEvent = { ...event, id: this.nextId, at: this.clock.now() };
    this.nextId += 1;
    this.events.push(entry);
    if (this.events.length > this.capacity)
      this.events.splice(0, this.events.length - this.capacity);
    this.scheduleWrite();
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** The newest `limit` events, oldest first. */
  recent(limit = this.capacity): LogEvent[] {
    return this.events.slice(-limit);
  }

  onEvent(listener: (event: LogEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Writes what is pending now (on quit). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.path === undefined) return;
    try {
      writeFileAtomic(this.path, `${JSON.stringify(this.events)}\n`);
      this.lastWriteError = undefined;
    } catch (error) {
      this.lastWriteError = error as Error;
    }
  }

  private scheduleWrite(): void {
    if (this.path === undefined || this.timer !== undefined) return;
    this.timer = setTimeout(() => this.flush(), WRITE_DELAY_MS);
    this.timer.unref();
  }
}

/** Reads the log file; a damaged file costs the old events, never a start-up. */
function readEvents(path: string): LogEvent[] {
  try {
    const parsed = z.array(z.unknown()).parse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.flatMap((raw) => {
      const event = logEventSchema.safeParse(raw);
      return event.success ? [event.data] : [];
    });
  } catch {
    return [];
  }
}
