import { knock, type KnockResult } from '../knock/knocker.js';
import { parseDelay, parseSequenceWords, SequenceError } from '../knock/sequence.js';
import { formatEndpoint } from '../knock/tcp-hit.js';
import type { AddressFamily } from '../net/address-family.js';
import { type ProbeResult, waitForOpen } from '../probe/tcp-probe.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';
import { checkJson, reportCheck } from './describe-check.js';

export const KNOCK_HELP = `usage: sesame knock [options] <host> <port[:proto]> [port[:proto]] ...
       sesame knock [-v] [--json] <saved server>

Knocks on a door that knockd guards: one packet per port, in order. The options are
those of knockd's own "knock" client, with the same meaning.

options:
  -u, --udp            make all port hits use UDP (default is TCP)
  -d, --delay <ms>     wait <ms> milliseconds between port hits (default 0)
  -4, --ipv4           use IPv4 only
  -6, --ipv6           use IPv6 only
  -v, --verbose        print each hit as it is sent
      --check <port>   after knocking, check that <port> answers; fail if it does not
      --timeout <ms>   how long --check waits for the port (default 3000)
      --json           print the result as JSON
  -h, --help           this help

Ports may also be given as one knockd-style list: sesame knock host 7000,8000:udp,9000
With only a name, knocks on a saved server (sesame servers list) with its own settings.

examples:
  sesame knock myserver.example.com 7000 8000 9000
  sesame knock -d 200 myserver.example.com 123:tcp 456:udp 789:tcp
  sesame knock --check 22 myserver.example.com 7000,8000,9000
`;

const DEFAULT_CHECK_TIMEOUT_MS = 3000;

interface KnockInvocation {
  readonly host: string;
  /** Empty when the host names a saved server. */
  readonly words: readonly string[];
  readonly udp: boolean;
  readonly delayMs: number;
  readonly family: AddressFamily;
  readonly verbose: boolean;
  readonly json: boolean;
  readonly checkPort: number | undefined;
  readonly timeoutMs: number;
}

export function parseKnockArgs(args: readonly string[]): KnockInvocation | 'help' {
  const { values, positionals } = parseOptions(args, {
    udp: { type: 'boolean', short: 'u' },
    delay: { type: 'string', short: 'd' },
    ipv4: { type: 'boolean', short: '4' },
    ipv6: { type: 'boolean', short: '6' },
    verbose: { type: 'boolean', short: 'v' },
    check: { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.ipv4 && values.ipv6) throw new UsageError('-4 and -6 exclude each other: pick one');
  const [host, ...words] = positionals;
  if (host === undefined) {
    throw new UsageError(
      'give a host and at least one port: sesame knock <host> <port[:proto]> ...',
    );
  }
  if (values.timeout !== undefined && values.check === undefined) {
    throw new UsageError('--timeout applies to --check: add --check <port>');
  }
  return {
    host,
    words,
    udp: values.udp ?? false,
    delayMs: values.delay === undefined ? 0 : parseDelayOption(values.delay),
    family: values.ipv4 ? 'ipv4' : values.ipv6 ? 'ipv6' : 'auto',
    verbose: values.verbose ?? false,
    json: values.json ?? false,
    checkPort:
      values.check === undefined ? undefined : intOption('--check port', values.check, 1, 65535),
    timeoutMs:
      values.timeout === undefined
        ? DEFAULT_CHECK_TIMEOUT_MS
        : intOption('--timeout', values.timeout, 1, 600_000),
  };
}

function parseDelayOption(text: string): number {
  try {
    return parseDelay(text);
  } catch (error) {
    throw new UsageError(`-d: ${(error as Error).message}`);
  }
}

export async function knockCommand(
  args: readonly string[],
  io: CliIo,
  signal: AbortSignal,
): Promise<number> {
  const invocation = parseKnockArgs(args);
  if (invocation === 'help') {
    io.out(KNOCK_HELP);
    return EXIT_OK;
  }
  if (invocation.words.length === 0) {
    if (
      invocation.udp ||
      invocation.delayMs > 0 ||
      invocation.family !== 'auto' ||
      invocation.checkPort !== undefined
    ) {
      throw new UsageError(
        'a saved server knocks with its own settings: -u, -d, -4, -6 and --check apply to a host and ports',
      );
    }
    // Loaded only here: knocking a host and ports needs no settings, keychain or schemas.
    const { knockSavedServer } = await import('./knock-saved.js');
    return knockSavedServer(
      invocation.host,
      io,
      { verbose: invocation.verbose, json: invocation.json },
      signal,
    );
  }
  let hits;
  try {
    // knock's -u makes every hit UDP, whatever the port says.
    hits = parseSequenceWords(invocation.words).map((hit) =>
      invocation.udp ? { ...hit, protocol: 'udp' as const } : hit,
    );
  } catch (error) {
    if (error instanceof SequenceError) throw new UsageError(error.message);
    throw error;
  }
  const result = await knock({
    host: invocation.host,
    hits,
    delayMs: invocation.delayMs,
    family: invocation.family,
    signal,
    onHit: (hit) => {
      if (invocation.verbose && !invocation.json) {
        io.out(`hitting ${hit.protocol} ${formatEndpoint(hit.address, hit.port)}\n`);
      }
    },
  });
  const check =
    invocation.checkPort === undefined
      ? undefined
      : await waitForOpen(result.address, invocation.checkPort, {
          timeoutMs: invocation.timeoutMs,
          signal,
        });
  if (invocation.json) io.out(`${JSON.stringify(knockJson(result, check))}\n`);
  return reportCheck(check, invocation.timeoutMs, invocation.json, io);
}

function knockJson(result: KnockResult, check: ProbeResult | undefined): object {
  return {
    ok: check === undefined || check.state === 'open',
    host: result.host,
    address: result.address,
    family: result.family,
    hits: result.hits.map(({ port, protocol, sentAt }) => ({ port, protocol, sentAt })),
    durationMs: Math.round(result.durationMs * 10) / 10,
    ...(check && { check: checkJson(check) }),
  };
}
