import { Engine } from '../engine/engine.js';
import type { ServerStatus } from '../engine/server-status.js';
import { openContext } from './cli-context.js';
import { type CliIo, EXIT_FAILED, EXIT_OK, UsageError } from './cli-io.js';

/** `sesame knock NAME`: opens a saved server's door the way the tray app does, retries included. */
export async function knockSavedServer(
  name: string,
  io: CliIo,
  options: { verbose: boolean; json: boolean },
  signal: AbortSignal,
): Promise<number> {
  const context = openContext(io);
  const server = context.repository.find(name);
  if (!server) {
    throw new UsageError(
      `no saved server is called "${name}": to knock on a host directly, give its ports (sesame knock ${name} 7000 8000 9000)`,
    );
  }
  const engine = new Engine({
    repository: context.repository,
    settings: context.settings,
    log: context.log,
    clock: context.clock,
  });
  if (options.verbose && !options.json) {
    engine.on('status', (status) => {
      if (status.serverId !== server.id) return;
      if (status.state === 'knocking' && status.progress && status.progress.total > 0) {
        io.out(`hit ${status.progress.sent} of ${status.progress.total}\n`);
      }
      if (status.attempt !== undefined && status.state === 'knocking')
        io.out(`the door did not open; trying again (knock ${status.attempt})\n`);
    });
  }
  const onAbort = (): void => engine.cancel(server.id);
  signal.addEventListener('abort', onAbort, { once: true });
  let status: ServerStatus;
  try {
    status = await engine.knock(server.id, 'manual');
  } finally {
    signal.removeEventListener('abort', onAbort);
    await engine.stop();
  }
  if (signal.aborted) throw signal.reason;
  if (options.json) io.out(`${JSON.stringify({ server: server.name, ...status })}\n`);
  switch (status.state) {
    case 'open':
      if (!options.json)
        io.out(
          `${server.name} is open (port ${server.checkPort} answered after ${Math.round(status.checkLatencyMs ?? 0)} ms)\n`,
        );
      return EXIT_OK;
    case 'knocked':
      if (!options.json) io.out(`knocked on ${server.name} (no check port to confirm)\n`);
      return EXIT_OK;
    default:
      io.err(`sesame: ${server.name}: ${status.reason ?? status.state}\n`);
      return EXIT_FAILED;
  }
}
