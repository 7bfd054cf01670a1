import { checkServers, type ServerCheck } from '../engine/status-sweep.js';
import { openContext } from './cli-context.js';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';
import { table } from './servers-command.js';

export const STATUS_HELP = `usage: sesame status [--json] [--timeout <ms>] [name ...]

Checks every saved server now, without knocking: does its door port (the check port, else SSH's,
else RDP's) answer, and does the host answer a ping. Exits 1 when a door is not open.
`;

export async function statusCommand(
  args: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(STATUS_HELP);
    return EXIT_OK;
  }
  const timeoutMs =
    values.timeout === undefined ? 2000 : intOption('--timeout', values.timeout, 100, 60_000);
  const context = openContext(io);
  const servers =
    positionals.length > 0
      ? positionals.map((name) => context.repository.requireServer(name))
      : [...context.repository.list()];
  if (servers.length === 0) {
    io.out(values.json ? '[]\n' : 'no servers yet: add one with "sesame servers add"\n');
    return EXIT_OK;
  }
  const checks = await checkServers(servers, { timeoutMs, signal });
  if (values.json) io.out(`${JSON.stringify(checks)}\n`);
  else io.out(table(['NAME', 'ADDRESS', 'DOOR', 'PING'], checks.map(row)));
  return checks.every((check) => check.portState === 'open' || check.port === undefined)
    ? EXIT_OK
    : EXIT_FAILED;
}

function row(check: ServerCheck): string[] {
  if (check.error !== undefined) return [check.name, check.host, `error: ${check.error}`, '-'];
  const door =
    check.port === undefined
      ? 'no port to check'
      : `${check.port} ${check.portState ?? '?'}${check.latencyMs === undefined ? '' : ` (${Math.round(check.latencyMs)} ms)`}`;
  const ping = check.ping?.reachable ? `${check.ping.rttMs?.toFixed(1) ?? '?'} ms` : 'no reply';
  return [check.name, check.address ?? check.host, door, ping];
}
