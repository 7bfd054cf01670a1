import { createCore } from '../app/core.js';
import type { Launcher } from '../api/core-services.js';
import type { ServerStatus } from '../engine/server-status.js';
import { VERSION } from '../lib/version.js';
import { settingsDir } from '../store/settings-dir.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { formatEvent } from './log-command.js';
import { intOption, parseOptions } from './parse-options.js';

export const WATCH_HELP = `usage: sesame watch [-v] [--json] [--poll <ms>] [--quiet <ms>]

Runs Sesame without the tray: watches the network and knocks again on every server that asks for
it when the public IP changes, at start and on keep-alive, as its settings say (the same settings
and keychain as the tray app; run only one of the two). Prints what happens, one line an event.
Stops cleanly on Ctrl-C or SIGTERM: knocks under way are cancelled and the log is written.

options:
  -v, --verbose      also print each server's door state as it changes
      --json         print events as JSON lines
      --poll <ms>    how often to look at the network interfaces and routes (default 2000)
      --quiet <ms>   how long the network must be still before the public IP is checked (default 2000)
  -h, --help         this help
`;

/** `sesame watch` cannot open terminals; the tray app's launcher does that. */
const noLauncher: Launcher = {
  openSsh: () => Promise.reject(new Error('opening SSH is done by the tray app')),
  openRdp: () => Promise.reject(new Error('opening RDP is done by the tray app')),
  sshCommand: () => '',
};

export async function watchCommand(
  args: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    verbose: { type: 'boolean', short: 'v' },
    json: { type: 'boolean' },
    poll: { type: 'string' },
    quiet: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(WATCH_HELP);
    return EXIT_OK;
  }
  if (positionals.length > 0)
    throw new UsageError(`sesame watch takes no arguments ("${positionals[0]}"); see --help`);
  const core = createCore({
    dir: settingsDir(),
    launcher: noLauncher,
    appInfo: { version: VERSION, platform: process.platform },
    watchSettings: true,
    watcher: {
      ...(values.poll !== undefined && { pollMs: intOption('--poll', values.poll, 100, 600_000) }),
      ...(values.quiet !== undefined && {
        quietMs: intOption('--quiet', values.quiet, 0, 600_000),
      }),
    },
  });
  const { log, engine, repository } = core.services;
  log.onEvent((event) => io.out(values.json ? `${JSON.stringify(event)}\n` : formatEvent(event)));
  if (values.verbose) {
    engine.on('status', (status) => {
      const name = repository.get(status.serverId)?.name ?? status.serverId;
      io.out(
        values.json
          ? `${JSON.stringify({ status: { ...status, name } })}\n`
          : `${new Date().toISOString()}  status        ${name}: ${describeStatus(status)}\n`,
      );
    });
  }
  if (signal.aborted) return EXIT_OK;
  const stopped = new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
  await core.start();
  log.add({ kind: 'network', message: `watching ${repository.list().length} server(s)` });
  await stopped;
  await core.stop();
  io.out(values.json ? `${JSON.stringify({ stopped: true })}\n` : 'stopped\n');
  return EXIT_OK;
}

function describeStatus(status: ServerStatus): string {
  if (status.state === 'knocking' && status.progress && status.progress.total > 0)
    return `knocking ${status.progress.sent}/${status.progress.total}`;
  return status.reason === undefined ? status.state : `${status.state} (${status.reason})`;
}
