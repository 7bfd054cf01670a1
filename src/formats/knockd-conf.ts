import { type Hit, parseSequence } from '../knock/sequence.js';

/**
 * knockd.conf as knockd 0.8 reads it (knockd.c parseconfig): lines are trimmed, a line whose first
 * character is `#` is a comment, `[options]` is the global section and every other `[name]` a
 * door, a directive is `key = value` with the key in any case. knockd stops at the first mistake
 * with "config: line N: syntax error"; Sesame reads on and reports every mistake with its line
 * and what to do, and never throws: whatever the text, the result is doors and issues.
 *
 * Stricter than knockd where knockd would be silently wrong: a number it reads with atoi (so
 * "5s" is 5 and "five" is 0) must be a whole number, and a sequence follows Sesame's parser
 * (an unknown protocol is an error, where knockd reads it as TCP only in one-time files).
 */

export const TCP_FLAGS = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg'] as const;
export type TcpFlagName = (typeof TCP_FLAGS)[number];

export interface TcpFlag {
  readonly flag: TcpFlagName;
  /** `!syn`: the flag must not be set. */
  readonly negated: boolean;
}

export interface KnockdValue<T> {
  readonly value: T;
  readonly line: number;
}

export interface KnockdDoor {
  readonly name: string;
  /** The line of the `[name]` header. */
  readonly line: number;
  readonly sequence?: KnockdValue<Hit[]>;
  /** The path of the door's one_time_sequences file, on the server. */
  readonly oneTimeSequences?: KnockdValue<string>;
  /** Seconds; knockd's default is 25. */
  readonly seqTimeout?: KnockdValue<number>;
  readonly tcpFlags?: KnockdValue<TcpFlag[]>;
  readonly startCommand?: KnockdValue<string>;
  readonly startCommand6?: KnockdValue<string>;
  readonly stopCommand?: KnockdValue<string>;
  readonly stopCommand6?: KnockdValue<string>;
  /** Seconds between the start and the stop command; knockd's default is 10. */
  readonly cmdTimeout?: KnockdValue<number>;
  readonly target?: KnockdValue<string>;
}

export interface KnockdOptions {
  readonly useSyslog: boolean;
  readonly logFile?: string;
  readonly pidFile?: string;
  readonly interface?: string;
}

export interface KnockdIssue {
  readonly line: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface ParsedKnockdConf {
  readonly options: KnockdOptions;
  readonly doors: readonly KnockdDoor[];
  readonly issues: readonly KnockdIssue[];
}

/** knockd's defaults (SEQ_TIMEOUT and CMD_TIMEOUT in knockd.c). */
export const KNOCKD_DEFAULT_SEQ_TIMEOUT = 25;
export const KNOCKD_DEFAULT_CMD_TIMEOUT = 10;

type DoorField = Exclude<keyof KnockdDoor, 'name' | 'line'>;
type MutableDoor = { name: string; line: number } & {
  -readonly [K in DoorField]?: KnockdDoor[K];
};

/** Door keys as knockd spells them (upper case), with their aliases. */
const DOOR_KEYS: Record<string, DoorField> = {
  SEQUENCE: 'sequence',
  ONE_TIME_SEQUENCES: 'oneTimeSequences',
  SEQ_TIMEOUT: 'seqTimeout',
  TIMEOUT: 'seqTimeout',
  TCPFLAGS: 'tcpFlags',
  START_COMMAND: 'startCommand',
  COMMAND: 'startCommand',
  START_COMMAND_6: 'startCommand6',
  STOP_COMMAND: 'stopCommand',
  STOP_COMMAND_6: 'stopCommand6',
  CMD_TIMEOUT: 'cmdTimeout',
  TARGET: 'target',
};
const DOOR_KEY_LIST =
  'sequence, one_time_sequences, seq_timeout, tcpflags, start_command, start_command_6, stop_command, stop_command_6, cmd_timeout, target';
const OPTION_KEY_LIST = 'UseSyslog, LogFile, PidFile, Interface';

export function parseKnockdConf(text: string): ParsedKnockdConf {
  const issues: KnockdIssue[] = [];
  const doors: MutableDoor[] = [];
  const options: { -readonly [K in keyof KnockdOptions]: KnockdOptions[K] } = { useSyslog: false };
  let section: 'none' | 'options' | MutableDoor = 'none';
  // Doors whose sequence line was there but wrong: that line's error says enough.
  const triedSequence = new Set<MutableDoor>();
  const error = (line: number, message: string): void =>
    void issues.push({ line, severity: 'error', message });
  const warning = (line: number, message: string): void =>
    void issues.push({ line, severity: 'warning', message });

  for (const [index, raw] of text.split('\n').entries()) {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;
    if (content.startsWith('[')) {
      if (!content.endsWith(']')) {
        error(line, `"${shorten(content)}" is not a section: a section is [name] on a line alone`);
        section = 'none';
        continue;
      }
      const name = content.slice(1, -1).trim();
      if (name === '') {
        error(line, 'a section needs a name: [options], or the name of a door');
        section = 'none';
        continue;
      }
      if (name === 'options') {
        section = 'options';
        continue;
      }
      const earlier = doors.find((door) => door.name.toLowerCase() === name.toLowerCase());
      if (earlier) {
        error(line, `the door [${name}] is already defined on line ${earlier.line}: rename one`);
      }
      if (name.toLowerCase() === 'options') {
        warning(line, `[${name}] is a door for knockd: only [options], in lower case, is global`);
      }
      section = { name, line };
      doors.push(section);
      continue;
    }
    const equals = content.indexOf('=');
    const key = (equals === -1 ? content : content.slice(0, equals)).trim();
    const upper = key.toUpperCase();
    if (equals === -1) {
      if (upper === 'USESYSLOG') options.useSyslog = true;
      else if (section !== 'none' && keyKnown(upper, section))
        error(line, `${key} needs a value: ${key} = …`);
      else error(line, `"${shorten(content)}" is not key = value`);
      continue;
    }
    const value = content.slice(equals + 1).trim();
    if (section === 'none') {
      error(line, `${key} is outside any section: put it under [options] or a door's [name]`);
      continue;
    }
    if (upper === 'USESYSLOG') {
      error(line, 'UseSyslog is a bare flag: write UseSyslog alone (knockd refuses a value)');
      continue;
    }
    if (section === 'options') {
      if (upper === 'LOGFILE') options.logFile = value;
      else if (upper === 'PIDFILE') options.pidFile = value;
      else if (upper === 'INTERFACE') options.interface = value;
      else if (DOOR_KEYS[upper] !== undefined)
        error(line, `${key} belongs in a door's section, not in [options]`);
      else error(line, `unknown key ${key} in [options] (knockd knows ${OPTION_KEY_LIST})`);
      continue;
    }
    const field = DOOR_KEYS[upper];
    if (field === undefined) {
      error(line, `unknown key ${key} in [${section.name}] (knockd knows ${DOOR_KEY_LIST})`);
      continue;
    }
    if (value === '') {
      error(line, `${key} has no value`);
      continue;
    }
    const earlier = section[field];
    if (earlier !== undefined) {
      warning(line, `${key} is set again (first on line ${earlier.line}): knockd uses this one`);
    }
    if (field === 'sequence' || field === 'oneTimeSequences') triedSequence.add(section);
    const problem = applyDoorKey(section, field, key, value, line);
    if (problem !== undefined) error(line, problem);
  }

  for (const door of doors) {
    if (
      door.sequence === undefined &&
      door.oneTimeSequences === undefined &&
      !triedSequence.has(door)
    ) {
      error(
        door.line,
        `the door [${door.name}] has no sequence: give sequence = … or one_time_sequences = …`,
      );
    }
    if (door.sequence !== undefined && door.oneTimeSequences !== undefined) {
      const later = Math.max(door.sequence.line, door.oneTimeSequences.line);
      error(
        later,
        `the door [${door.name}] has both sequence and one_time_sequences: knockd uses only the later one; keep one`,
      );
    }
  }
  issues.sort((a, b) => a.line - b.line);
  return { options, doors, issues };
}

function keyKnown(upper: string, section: 'options' | MutableDoor): boolean {
  return section === 'options'
    ? ['LOGFILE', 'PIDFILE', 'INTERFACE'].includes(upper)
    : DOOR_KEYS[upper] !== undefined;
}

/** Sets one field of a door; returns what is wrong with the value, if anything. */
function applyDoorKey(
  door: MutableDoor,
  field: DoorField,
  key: string,
  value: string,
  line: number,
): string | undefined {
  switch (field) {
    case 'sequence': {
      if (/\s#/.test(value)) return `${key}: ${COMMENT_HINT}`;
      try {
        door.sequence = { value: parseSequence(value), line };
        return undefined;
      } catch (error) {
        return `${key}: ${(error as Error).message}`;
      }
    }
    case 'seqTimeout':
    case 'cmdTimeout': {
      if (/\s#/.test(value)) return `${key}: ${COMMENT_HINT}`;
      const seconds = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
      if (!(seconds >= 1 && seconds <= 86_400)) {
        return `${key} must be a whole number of seconds from 1 to 86400, not "${shorten(value)}"`;
      }
      door[field] = { value: seconds, line };
      return undefined;
    }
    case 'tcpFlags': {
      const flags: TcpFlag[] = [];
      for (const part of value.split(',')) {
        const word = part.trim().toLowerCase();
        const negated = word.startsWith('!');
        const flag = negated ? word.slice(1) : word;
        if (!(TCP_FLAGS as readonly string[]).includes(flag)) {
          return `${key}: "${shorten(part.trim())}" is not a TCP flag (fin, syn, rst, psh, ack, urg, each may start with !)`;
        }
        flags.push({ flag: flag as TcpFlagName, negated });
      }
      door.tcpFlags = { value: flags, line };
      return undefined;
    }
    case 'oneTimeSequences':
    case 'startCommand':
    case 'startCommand6':
    case 'stopCommand':
    case 'stopCommand6':
    case 'target':
      door[field] = { value, line };
      return undefined;
  }
}

const COMMENT_HINT =
  'knockd does not cut a comment after a value: put the comment on a line of its own';

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** How knockd.conf writes a door's TCP flags: `syn,!ack`. */
export function formatTcpFlags(flags: readonly TcpFlag[]): string {
  return flags.map(({ flag, negated }) => `${negated ? '!' : ''}${flag}`).join(',');
}
