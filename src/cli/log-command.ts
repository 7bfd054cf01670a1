import { EVENT_KINDS, type EventKind, type LogEvent } from '../engine/event-log.js';
import { openContext } from './cli-context.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';

export const LOG_HELP = `usage: sesame log [-n <count>] [--server <name>] [--kind <kind>] [--json]

Shows Sesame's recent events (knocks, results, IP changes, errors), oldest first.
Kinds: ${EVENT_KINDS.join(', ')}.
`;

export function logCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(args, {
    count: { type: 'string', short: 'n' },
    server: { type: 'string' },
    kind: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(LOG_HELP);
    return Promise.resolve(EXIT_OK);
  }
  const count = values.count === undefined ? 50 : intOption('-n', values.count, 1, 10_000);
  if (values.kind !== undefined && !(EVENT_KINDS as readonly string[]).includes(values.kind)) {
    throw new UsageError(`"${values.kind}" is not a kind of event (${EVENT_KINDS.join(', ')})`);
  }
  const context = openContext(io);
  const server = values.server === undefined ? undefined : context.repository.find(values.server);
  const wantedName = values.server?.toLowerCase();
  const events = context.log
    .recent()
    .filter((event) => values.kind === undefined || event.kind === (values.kind as EventKind))
    .filter(
      (event) =>
        wantedName === undefined ||
        event.serverId === server?.id ||
        event.serverName?.toLowerCase() === wantedName,
    )
    .slice(-count);
  io.out(values.json ? `${JSON.stringify(events)}\n` : events.map(formatEvent).join(''));
  return Promise.resolve(EXIT_OK);
}

export function formatEvent(event: LogEvent): string {
  return `${new Date(event.at).toISOString()}  ${event.kind.padEnd(12)}  ${event.message}\n`;
}
