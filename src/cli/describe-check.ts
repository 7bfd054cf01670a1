import { formatEndpoint } from '../knock/tcp-hit.js';
import type { ProbeResult } from '../probe/tcp-probe.js';

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
