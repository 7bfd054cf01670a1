import { isIpv4, parseAccessList } from '../knock/spa/spa-access.js';
import { parseEncryptionMode } from '../knock/spa/spa-cipher.js';
import { type DigestType, parseDigestType } from '../knock/spa/spa-digest.js';
import { SpaError } from '../knock/spa/spa-error.js';
import { keyFromBase64, keyFromPassphrase, type SpaKeys } from '../knock/spa/spa-keys.js';
import {
  type NatOption,
  type SpaOptions,
  type SpaOptionsInput,
  spaOptionProblems,
  withSpaDefaults,
} from '../knock/spa/spa-option-rules.js';
import { parseTimeOffset } from '../knock/spa/spa-time-offset.js';
import type { FwknoprcSettings } from '../formats/fwknoprc-settings.js';
import { UsageError } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';

/** fwknop's options, with the same names and letters, plus Sesame's --check, --timeout, --json. */
export const SPA_OPTIONS = {
  access: { type: 'string', short: 'A' },
  'allow-ip': { type: 'string', short: 'a' },
  'source-ip': { type: 'boolean', short: 's' },
  'resolve-ip-https': { type: 'boolean', short: 'R' },
  'resolve-url': { type: 'string' },
  'resolve-http-only': { type: 'boolean' },
  destination: { type: 'string', short: 'D' },
  'named-config': { type: 'string', short: 'n' },
  'rc-file': { type: 'string' },
  'no-rc-file': { type: 'boolean' },
  'no-save-args': { type: 'boolean' },
  'save-rc-stanza': { type: 'boolean' },
  'force-stanza': { type: 'boolean' },
  'nat-access': { type: 'string', short: 'N' },
  'nat-local': { type: 'boolean' },
  'nat-port': { type: 'string' },
  'nat-rand-port': { type: 'boolean' },
  'fw-timeout': { type: 'string', short: 'f' },
  'key-rijndael': { type: 'string' },
  'key-base64-rijndael': { type: 'string' },
  'key-hmac': { type: 'string' },
  'key-base64-hmac': { type: 'string' },
  'use-hmac': { type: 'boolean' },
  'hmac-digest-type': { type: 'string' },
  'digest-type': { type: 'string', short: 'm' },
  'encryption-mode': { type: 'string', short: 'M' },
  'server-port': { type: 'string', short: 'p' },
  'server-proto': { type: 'string', short: 'P' },
  'rand-port': { type: 'boolean', short: 'r' },
  'time-offset-plus': { type: 'string' },
  'time-offset-minus': { type: 'string' },
  'spoof-user': { type: 'string', short: 'U' },
  'user-agent': { type: 'string', short: 'u' },
  'server-resolve-ipv4': { type: 'boolean' },
  'key-gen': { type: 'boolean', short: 'k' },
  'key-gen-file': { type: 'string', short: 'K' },
  'key-len': { type: 'string' },
  'hmac-key-len': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  test: { type: 'boolean', short: 'T' },
  check: { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type SpaArgs = ReturnType<typeof parseSpaArgs>;

export function parseSpaArgs(args: readonly string[]) {
  const { values, positionals } = parseOptions(args, SPA_OPTIONS);
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument "${positionals[0]}": sesame spa takes options only, e.g. -D host -A tcp/22`,
    );
  }
  return values;
}

/** Turns a problem with a value the person typed into a usage error that names the option. */
function option<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${name}: ${(error as Error).message}`);
  }
}

export function digestOption(name: string, text: string): DigestType {
  const type = parseDigestType(text);
  if (!type) {
    throw new UsageError(
      `${name} "${text}" is not a digest: use md5, sha1, sha256, sha384, sha512, sha3_256 or sha3_512`,
    );
  }
  return type;
}

function natFrom(values: SpaArgs, rc: FwknoprcSettings): NatOption {
  const text = values['nat-access'];
  if (values['nat-local'] && text !== undefined) {
    throw new UsageError('-N and --nat-local exclude each other: pick one');
  }
  if (values['nat-local']) return { mode: 'local' };
  if (text !== undefined) {
    const [host = '', port, extra] = text.replace(':', ',').split(',');
    if (extra !== undefined || host === '') {
      throw new UsageError(`-N "${text}" is not host[:port], e.g. 192.168.10.2:22`);
    }
    return port === undefined
      ? { mode: 'forward', host }
      : { mode: 'forward', host, port: intOption('-N port', port, 1, 65535) };
  }
  if (rc.natLocal && rc.natAccess) {
    throw new UsageError('NAT_ACCESS and NAT_LOCAL exclude each other: keep one in the stanza');
  }
  if (rc.natLocal) return { mode: 'local' };
  if (rc.natAccess) return { mode: 'forward', ...rc.natAccess };
  return { mode: 'none' };
}

/**
 * The options of a request: ~/.fwknoprc's [default] and named stanza (already merged in `rc`),
 * then the command line over them, as in fwknop. Checked by the same schema as a server profile.
 */
export function spaOptionsFrom(values: SpaArgs, rc: FwknoprcSettings): SpaOptions {
  const chosen = [
    values['allow-ip'] !== undefined,
    values['source-ip'],
    values['resolve-ip-https'],
  ];
  if (chosen.filter(Boolean).length > 1) {
    throw new UsageError('-a, -s and -R exclude each other: pick one');
  }
  const allowIp: SpaOptionsInput['allowIp'] =
    values['allow-ip'] !== undefined
      ? { mode: 'address', address: values['allow-ip'] }
      : values['source-ip']
        ? { mode: 'source' }
        : values['resolve-ip-https'] || values['resolve-url'] !== undefined
          ? { mode: 'resolve' }
          : rc.allowIp;
  if (allowIp === undefined) {
    throw new UsageError(
      'say which address fwknopd should let in: -a ADDRESS, -R (your public IP) or -s (the packet source)',
    );
  }
  if (allowIp.mode === 'address' && !isIpv4(allowIp.address)) {
    throw new UsageError(
      `-a "${allowIp.address}" is not an IPv4 address (fwknopd allows IPv4 only)`,
    );
  }
  const plus = values['time-offset-plus'];
  const minus = values['time-offset-minus'];
  if (plus !== undefined && minus !== undefined) {
    throw new UsageError('--time-offset-plus and --time-offset-minus exclude each other');
  }
  const accessText = values.access;
  const access =
    accessText !== undefined ? option('-A', () => parseAccessList(accessText)) : rc.access;
  if (access === undefined) {
    throw new UsageError('say what to open: -A proto/port[,proto/port...], e.g. -A tcp/22');
  }
  const input: SpaOptionsInput = {
    access,
    allowIp,
    nat: natFrom(values, rc),
    natPort:
      values['nat-port'] !== undefined
        ? intOption('--nat-port', values['nat-port'], 1, 65535)
        : rc.natPort,
    natRandPort: values['nat-rand-port'] ?? rc.natRandPort,
    clientTimeout:
      values['fw-timeout'] !== undefined
        ? intOption('--fw-timeout', values['fw-timeout'], 0, 65536)
        : rc.clientTimeout,
    digestType:
      values['digest-type'] !== undefined
        ? digestOption('--digest-type', values['digest-type'])
        : rc.digestType,
    hmacDigestType:
      values['hmac-digest-type'] !== undefined
        ? digestOption('--hmac-digest-type', values['hmac-digest-type'])
        : rc.hmacDigestType,
    encryptionMode: encryptionModeFrom(values['encryption-mode']) ?? rc.encryptionMode,
    transport: transportFrom(values['server-proto']) ?? rc.transport,
    serverPort:
      values['server-port'] !== undefined
        ? intOption('--server-port', values['server-port'], 1, 65535)
        : rc.serverPort,
    randPort: values['rand-port'] ?? rc.randPort,
    timeOffsetSeconds:
      plus !== undefined
        ? option('--time-offset-plus', () => parseTimeOffset(plus))
        : minus !== undefined
          ? -option('--time-offset-minus', () => parseTimeOffset(minus))
          : rc.timeOffsetSeconds,
    username: values['spoof-user'] ?? rc.username,
    httpUserAgent: values['user-agent'] ?? rc.httpUserAgent,
  };
  // The same defaults and rules as spaOptionsSchema, without loading zod (see spa-option-rules).
  const options = withSpaDefaults(input);
  const problem = spaOptionProblems(options)[0];
  if (problem) {
    const option = FIELD_OPTIONS[problem.path];
    throw new UsageError(option === undefined ? problem.message : `${option}: ${problem.message}`);
  }
  return options;
}

/** Options whose values only the rules check, by the field reported; other messages name their option. */
const FIELD_OPTIONS: Record<string, string> = {
  'nat.host': '-N',
  username: '-U',
  httpUserAgent: '-u',
};

function encryptionModeFrom(text: string | undefined): SpaOptions['encryptionMode'] | undefined {
  if (text === undefined) return undefined;
  const mode = parseEncryptionMode(text);
  if (!mode) {
    throw new UsageError(
      `--encryption-mode "${text}" is not a mode: use CBC (the default), CTR, CFB, OFB, ECB or legacy`,
    );
  }
  return mode;
}

function transportFrom(text: string | undefined): SpaOptions['transport'] | undefined {
  if (text === undefined) return undefined;
  const proto = text.toLowerCase();
  if (proto === 'udp' || proto === 'tcp' || proto === 'http') return proto;
  if (['udpraw', 'tcpraw', 'icmp'].includes(proto)) {
    throw new UsageError(
      `--server-proto ${text} needs raw sockets; Sesame sends over udp, tcp or http`,
    );
  }
  throw new UsageError(`--server-proto "${text}" is not udp, tcp or http`);
}

/**
 * The keys, from the command line or else the rc file. Their problems are named by source, never
 * by value. Sesame does not prompt for keys as fwknop does: they come from options or the file.
 */
export function spaKeysFrom(values: SpaArgs, rc: FwknoprcSettings, options: SpaOptions): SpaKeys {
  if (values['key-rijndael'] !== undefined && values['key-base64-rijndael'] !== undefined) {
    throw new UsageError(
      '--key-rijndael and --key-base64-rijndael exclude each other: give one key',
    );
  }
  if (values['key-hmac'] !== undefined && values['key-base64-hmac'] !== undefined) {
    throw new UsageError('--key-hmac and --key-base64-hmac exclude each other: give one HMAC key');
  }
  const encryptionKey = option('--key-base64-rijndael', () =>
    values['key-rijndael'] !== undefined
      ? keyFromPassphrase(values['key-rijndael'])
      : values['key-base64-rijndael'] !== undefined
        ? keyFromBase64(values['key-base64-rijndael'], 'the key')
        : rc.encryptionKey?.bytes,
  );
  if (encryptionKey === undefined) {
    throw new UsageError(
      'no encryption key: give --key-base64-rijndael (or --key-rijndael), or KEY_BASE64 in ~/.fwknoprc (Sesame does not prompt for keys)',
    );
  }
  const hmacKey = option('--key-base64-hmac', () =>
    values['key-hmac'] !== undefined
      ? keyFromPassphrase(values['key-hmac'])
      : values['key-base64-hmac'] !== undefined
        ? keyFromBase64(values['key-base64-hmac'], 'the key')
        : rc.hmacKey?.bytes,
  );
  const wantsHmac =
    values['use-hmac'] === true || values['hmac-digest-type'] !== undefined || rc.useHmac === true;
  if (wantsHmac && hmacKey === undefined) {
    throw new UsageError(
      'HMAC is asked for but there is no HMAC key: give --key-base64-hmac (or --key-hmac), or HMAC_KEY_BASE64 in ~/.fwknoprc',
    );
  }
  const keys: SpaKeys = hmacKey === undefined ? { encryptionKey } : { encryptionKey, hmacKey };
  if (options.encryptionMode === 'legacy' && hmacKey !== undefined) {
    throw new UsageError(
      'legacy encryption mode cannot carry an HMAC (servers before fwknop 2.5 know none): drop the HMAC key or -M legacy',
    );
  }
  return keys;
}

/** Key problems found before anything is sent are usage errors: the request itself is wrong. */
export function asUsageError(error: unknown): never {
  if (error instanceof SpaError) throw new UsageError(error.message);
  throw error;
}
