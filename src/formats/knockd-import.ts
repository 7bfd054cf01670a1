import { parseOneTimeSequences } from '../knock/one-time-sequences.js';
import { formatSequence } from '../knock/sequence.js';
import type { ServerDraft } from '../servers/server-profile.js';
import type { ImportCandidate, Importer, ImportInput, ImportIssue } from './import-types.js';
import { formatTcpFlags, type KnockdDoor, parseKnockdConf, type TcpFlag } from './knockd-conf.js';

/**
 * The doors of a knockd.conf as servers to save: the door's name, its sequence as the secret, its
 * seq_timeout, and the host the person gives (knockd.conf never names its own host; a door's
 * Target is taken when there is one). A door with one_time_sequences needs the contents of that
 * file from the server. Every error on a door's lines belongs to that door, so the other doors
 * can still be picked; errors outside any door stop the whole file.
 */
export function importKnockdConf(text: string, input: ImportInput): Importer {
  const parsed = parseKnockdConf(text);
  const doors = parsed.doors;
  const owner = (line: number): KnockdDoor | undefined =>
    [...doors].reverse().find((door) => door.line <= line);
  const issues: ImportIssue[] = [];
  const doorIssues = new Map<KnockdDoor, string[]>();
  for (const issue of parsed.issues) {
    const door = owner(issue.line);
    if (door === undefined || issue.severity === 'warning') {
      issues.push(issue);
      continue;
    }
    doorIssues.set(door, [...(doorIssues.get(door) ?? []), `line ${issue.line}: ${issue.message}`]);
  }
  if (doors.length === 0 && !issues.some((issue) => issue.severity === 'error')) {
    issues.push({
      severity: 'error',
      message: 'the file has no door: a knockd.conf door is a [name] section with a sequence',
    });
  }
  const candidates = doors.map((door) => candidate(door, input, doorIssues.get(door) ?? []));
  return { candidates, issues };
}

function candidate(door: KnockdDoor, input: ImportInput, problems: string[]): ImportCandidate {
  const warnings: string[] = [];
  const host = input.host ?? door.target?.value;
  if (host === undefined) {
    problems.push('knockd.conf does not say which host this door is on: give the host');
  }
  const flagsWarning = tcpFlagsWarning(door.tcpFlags?.value);
  if (flagsWarning !== undefined) warnings.push(flagsWarning);
  const start = door.startCommand?.value ?? '';
  if (/(^|\s)(-D|--delete|del|delete|remove)(\s|$)/.test(start)) {
    warnings.push(
      'its start command removes access (-D, del): it closes a door, so do not let Sesame knock on it by itself',
    );
  }
  const checkPort = input.checkPort ?? portInCommand(start);
  if (input.checkPort === undefined && checkPort !== undefined) {
    warnings.push(`the check port ${checkPort} is taken from the start command`);
  }
  let secret: unknown;
  const oneTime = door.oneTimeSequences !== undefined && door.sequence === undefined;
  if (door.sequence !== undefined) {
    secret = { kind: 'knock', sequence: formatSequence(door.sequence.value) };
  } else if (door.oneTimeSequences !== undefined) {
    const list = findList(input.oneTimeLists, door.name);
    if (list === undefined) {
      problems.push(
        `this door reads its sequences from ${door.oneTimeSequences.value} on the server: give the contents of that file`,
      );
    } else {
      try {
        secret = { kind: 'knock', oneTimeSequences: parseOneTimeSequences(list) };
      } catch (error) {
        problems.push(`the one-time sequences: ${(error as Error).message}`);
      }
    }
  }
  const draft: ServerDraft = {
    name: door.name.slice(0, 64),
    host: host ?? '',
    method: {
      kind: 'knock',
      ...(door.seqTimeout !== undefined && { seqTimeoutSeconds: door.seqTimeout.value }),
      ...(oneTime && { oneTime: true }),
    },
    ...(checkPort !== undefined && { checkPort }),
    // A door that closes access is no door to re-open when the address changes.
    ...(warnings.some((w) => w.startsWith('its start command removes')) && {
      auto: { onIpChange: false, atStart: false, keepAliveMinutes: 0 },
    }),
  };
  if (door.name.length > 64) warnings.push('the name is cut to 64 characters');
  return { source: door.name, line: door.line, draft, secret, warnings, problems };
}

/**
 * Sesame sends exactly one SYN per TCP hit. A door whose tcpflags that packet does not match
 * never opens; a door without tcpflags counts every TCP packet, so a reply or a resent SYN can
 * break the sequence.
 */
function tcpFlagsWarning(flags: readonly TcpFlag[] | undefined): string | undefined {
  if (flags === undefined) {
    return 'the door has no tcpflags: knockd then counts every TCP packet to its ports; set tcpflags = syn on the server';
  }
  const matchesSyn = flags.every(({ flag, negated }) => (flag === 'syn') !== negated);
  if (!matchesSyn) {
    return `the door wants tcpflags = ${formatTcpFlags(flags)}, which Sesame's hits (one SYN each) never match: set tcpflags = syn on the server`;
  }
  return undefined;
}

/** The protected port of an iptables or nftables command: `--dport 22`, `dport 22`. */
function portInCommand(command: string): number | undefined {
  const match = /(?:--dport|\bdport)\s+(\d{1,5})\b/.exec(command);
  const port = match ? Number(match[1]) : NaN;
  return port >= 1 && port <= 65535 ? port : undefined;
}

function findList(
  lists: Readonly<Record<string, string>> | undefined,
  door: string,
): string | undefined {
  if (lists === undefined) return undefined;
  const key = Object.keys(lists).find((name) => name.toLowerCase() === door.toLowerCase());
  return key === undefined ? undefined : lists[key];
}
