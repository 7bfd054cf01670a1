import { formatEndpoint } from '../knock/tcp-hit.js';
import type { ProbeResult } from '../probe/tcp-probe.js';
import { type CliIo, EXIT_FAILED, EXIT_OK } from './cli-io.js';

/** One line that tells a person what the port check found, and for a failure what it means. */
export function describeCheck(check: ProbeResult, timeoutMs: number): string {
  const where = formatEndpoint(check.address, check.port);
  const ms = Math.round(check.elapsedMs);
  switch (check.state) {
    case 'open':
      return `${where} is open (answered after ${ms} ms)`;
    case 'closed':
      return `${where} is closed: the connection was refused (the door did not open, or nothing listens there)`;
    case 'filtered':
      return `${where} did not answer within ${timeoutMs} ms: the door did not open (wrong sequence?)`;
    case 'unreachable':
      return `${where} is unreachable from here (${check.code ?? 'no route'}): check your connection`;
  }
}

/** The check as `--json` reports it. */
export function checkJson(check: ProbeResult): object {
  return {
    port: check.port,
    state: check.state,
    elapsedMs: Math.round(check.elapsedMs * 10) / 10,
    ...(check.code !== undefined && { code: check.code }),
  };
}

/**
 * Ends a command that ran `--check`: an open port is a line on stdout (unless JSON was printed)
 * and status 0; anything else is the reason on stderr and status 1.
 */
export function reportCheck(
  check: ProbeResult | undefined,
  timeoutMs: number,
  json: boolean,
  io: CliIo,
): number {
  if (check === undefined) return EXIT_OK;
  const line = describeCheck(check, timeoutMs);
  if (check.state === 'open') {
    if (!json) io.out(`${line}\n`);
    return EXIT_OK;
  }
  io.err(`sesame: ${line}\n`);
  return EXIT_FAILED;
}
