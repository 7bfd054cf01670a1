import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { parseOneTimeSequences } from '../knock/one-time-sequences.js';
import type { ServerDraft, ServerProfile } from '../servers/server-profile.js';
import { UsageError } from './cli-io.js';
import { intOption } from './parse-options.js';

/** The options of `sesame servers add` and `edit`: every field of a server profile. */
export const SERVER_OPTIONS = {
  name: { type: 'string' },
  host: { type: 'string' },
  family: { type: 'string' },
  ipv4: { type: 'boolean', short: '4' },
  ipv6: { type: 'boolean', short: '6' },
  sequence: { type: 'string' },
  'one-time': { type: 'string' },
  delay: { type: 'string', short: 'd' },
  'seq-timeout': { type: 'string' },
  check: { type: 'string' },
  'no-check': { type: 'boolean' },
  'check-timeout': { type: 'string' },
  'ssh-user': { type: 'string' },
  'ssh-port': { type: 'string' },
  identity: { type: 'string' },
  'ssh-arg': { type: 'string', multiple: true },
  'no-ssh': { type: 'boolean' },
  'rdp-port': { type: 'string' },
  'rdp-user': { type: 'string' },
  'no-rdp': { type: 'boolean' },
  reknock: { type: 'boolean' },
  'no-reknock': { type: 'boolean' },
  'at-start': { type: 'boolean' },
  'no-at-start': { type: 'boolean' },
  'keep-alive': { type: 'string' },
  tag: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export const SERVER_OPTIONS_HELP = `  --host <host>            the server's name or address
  -4, -6, --family <f>     address family: auto (default), ipv4, ipv6
  --sequence <seq>         the knock sequence, e.g. 7000,8000:udp,9000 ("-" reads it from stdin,
                           which keeps it out of your shell history)
  --one-time <file>        use knockd's one_time_sequences: the list, one sequence a line
                           ("-" reads it from stdin); needs --check
  -d, --delay <ms>         wait between hits (default 0)
  --seq-timeout <s>        the door's seq_timeout in knockd.conf (default 25)
  --check <port>           the port that answers once the door is open (e.g. 22)
  --check-timeout <ms>     how long to wait for it (default 3000)
  --ssh-user <user>        SSH: user name        --ssh-port <port>  SSH port (default 22)
  --identity <file>        SSH: identity file    --ssh-arg <arg>    an extra ssh argument (repeatable)
  --rdp-port <port>        RDP port (default 3389)   --rdp-user <user>  RDP user
  --no-reknock             do not knock again when the public IP changes (default: do)
  --at-start               knock when Sesame starts
  --keep-alive <min>       knock again every <min> minutes (0: never)
  --tag <tag>              a tag (repeatable)
  --no-check, --no-ssh, --no-rdp   (edit) remove that part`;

type ServerValues = {
  [K in keyof typeof SERVER_OPTIONS]?: (typeof SERVER_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof SERVER_OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/** Builds a server draft from the options, on top of an existing profile when editing. */
export function draftFromOptions(
  values: ServerValues,
  name: string,
  existing?: ServerProfile,
): ServerDraft {
  const base: ServerDraft = existing
    ? structuredClone(existing)
    : { name, host: '', method: { kind: 'knock' } };
  const draft: ServerDraft = { ...base, name: values.name ?? name };
  if (values.host !== undefined) draft.host = values.host;
  if (!existing && values.host === undefined)
    throw new UsageError("give the server's host: --host <name or address>");
  if (values.ipv4 && values.ipv6) throw new UsageError('-4 and -6 exclude each other: pick one');
  if (values.family !== undefined) draft.family = values.family as ServerDraft['family'];
  if (values.ipv4) draft.family = 'ipv4';
  if (values.ipv6) draft.family = 'ipv6';
  const method = { ...(draft.method.kind === 'knock' ? draft.method : { kind: 'knock' as const }) };
  if (values.delay !== undefined) method.delayMs = intOption('--delay', values.delay, 0, 60_000);
  if (values['seq-timeout'] !== undefined)
    method.seqTimeoutSeconds = intOption('--seq-timeout', values['seq-timeout'], 1, 3600);
  if (values['one-time'] !== undefined) method.oneTime = true;
  else if (values.sequence !== undefined) method.oneTime = false;
  draft.method = method;
  if (values.check !== undefined)
    draft.checkPort = intOption('--check port', values.check, 1, 65535);
  if (values['no-check']) delete draft.checkPort;
  if (values['check-timeout'] !== undefined)
    draft.checkTimeoutMs = intOption('--check-timeout', values['check-timeout'], 100, 60_000);
  draft.ssh = sshFrom(values, draft.ssh);
  if (values['no-ssh']) delete draft.ssh;
  draft.rdp = rdpFrom(values, draft.rdp);
  if (values['no-rdp']) delete draft.rdp;
  const auto = { onIpChange: true, atStart: false, keepAliveMinutes: 0, ...draft.auto };
  if (values['no-reknock']) auto.onIpChange = false;
  if (values.reknock) auto.onIpChange = true;
  if (values['at-start']) auto.atStart = true;
  if (values['no-at-start']) auto.atStart = false;
  if (values['keep-alive'] !== undefined)
    auto.keepAliveMinutes = intOption('--keep-alive', values['keep-alive'], 0, 1440);
  draft.auto = auto;
  if (values.tag !== undefined) draft.tags = values.tag;
  return draft;
}

function sshFrom(values: ServerValues, current: ServerDraft['ssh']): ServerDraft['ssh'] {
  const given = ['ssh-user', 'ssh-port', 'identity', 'ssh-arg'].some(
    (key) => values[key as keyof ServerValues] !== undefined,
  );
  if (!given) return current;
  const ssh = { ...current };
  if (values['ssh-user'] !== undefined) ssh.user = values['ssh-user'];
  if (values['ssh-port'] !== undefined)
    ssh.port = intOption('--ssh-port', values['ssh-port'], 1, 65535);
  if (values.identity !== undefined) ssh.identityFile = values.identity;
  if (values['ssh-arg'] !== undefined) ssh.extraArgs = values['ssh-arg'];
  return ssh;
}

function rdpFrom(values: ServerValues, current: ServerDraft['rdp']): ServerDraft['rdp'] {
  if (values['rdp-port'] === undefined && values['rdp-user'] === undefined) return current;
  const rdp = { ...current };
  if (values['rdp-port'] !== undefined)
    rdp.port = intOption('--rdp-port', values['rdp-port'], 1, 65535);
  if (values['rdp-user'] !== undefined) rdp.user = values['rdp-user'];
  return rdp;
}

/**
 * The secret the options give, if any: a sequence, or a list of one-time sequences, from the
 * option, a file, or stdin ("-"). Returns undefined when the options give none.
 */
export function secretFromOptions(values: ServerValues, readStdin: () => string): unknown {
  if (values.sequence !== undefined && values['one-time'] !== undefined) {
    throw new UsageError(
      '--sequence and --one-time exclude each other: a door uses one or the other',
    );
  }
  if (values.sequence !== undefined) {
    const sequence = values.sequence === '-' ? readStdin().trim() : values.sequence;
    return { kind: 'knock', sequence };
  }
  if (values['one-time'] !== undefined) {
    const source = values['one-time'];
    const text = source === '-' ? readStdin() : readListFile(source);
    return { kind: 'knock', oneTimeSequences: parseOneTimeSequences(text) };
  }
  return undefined;
}

function readListFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the one-time sequences from "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}
