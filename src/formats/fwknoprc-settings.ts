import { checkNatHost, isIpv4, parseAccessList } from '../knock/spa/spa-access.js';
import { type EncryptionMode, parseEncryptionMode } from '../knock/spa/spa-cipher.js';
import { type DigestType, parseDigestType } from '../knock/spa/spa-digest.js';
import { keyFromBase64, keyFromPassphrase } from '../knock/spa/spa-keys.js';
import { usernameProblem } from '../knock/spa/spa-message.js';
import type { AccessPortOption, AllowIp, SpaTransport } from '../knock/spa/spa-options.js';
import { parseTimeOffset } from '../knock/spa/spa-time-offset.js';
import { DEFAULT_STANZA, findStanzas, type ParsedFwknoprc, type RcEntry } from './fwknoprc.js';

/**
 * What the keys of a ~/.fwknoprc stanza mean to Sesame. Every key fwknop knows is handled here:
 * used, refused with the reason (GPG, raw sockets, key files), or accepted with a warning where
 * it only steers something Sesame does differently (wget). An unknown key or a bad value is an
 * error with its line; nothing is dropped without a word.
 */
export interface FwknoprcSettings {
  server?: string;
  serverPort?: number;
  transport?: SpaTransport;
  randPort?: boolean;
  access?: AccessPortOption[];
  allowIp?: AllowIp;
  clientTimeout?: number;
  timeOffsetSeconds?: number;
  encryptionMode?: EncryptionMode;
  digestType?: DigestType;
  hmacDigestType?: DigestType;
  useHmac?: boolean;
  /** Key bytes, with where they came from (never the value) for messages. */
  encryptionKey?: { bytes: Uint8Array; source: string };
  hmacKey?: { bytes: Uint8Array; source: string };
  natAccess?: { host: string; port?: number };
  natLocal?: boolean;
  natPort?: number;
  natRandPort?: boolean;
  username?: string;
  httpUserAgent?: string;
  resolveUrl?: string;
  resolveHttpOnly?: boolean;
  verbose?: boolean;
}

export interface FwknoprcIssue {
  readonly file: string;
  readonly line: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface FwknoprcResult {
  readonly settings: FwknoprcSettings;
  readonly issues: readonly FwknoprcIssue[];
  /** False when a named stanza was asked for and the file has none of that name. */
  readonly found: boolean;
}

type Apply = (value: string, settings: FwknoprcSettings, where: string) => string | undefined;

const GPG = 'Sesame encrypts with Rijndael keys only, not GPG: use KEY_BASE64 and HMAC_KEY_BASE64';

function yesNo(key: string, value: string): boolean {
  if (/^y$/i.test(value)) return true;
  if (/^n$/i.test(value)) return false;
  throw new Error(`${key} takes Y or N (fwknop reads anything but Y as N)`);
}

function whole(key: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) throw new Error(`${key} must be a number ${min}-${max}`);
  return number;
}

function flag(key: string, set: (s: FwknoprcSettings, on: boolean) => void): Apply {
  return (value, settings) => {
    set(settings, yesNo(key, value));
    return undefined;
  };
}

function refuseIfYes(key: string, reason: string): Apply {
  return (value) => {
    if (yesNo(key, value)) throw new Error(`${key} Y: ${reason}`);
    return undefined;
  };
}

function refuse(key: string, reason: string): Apply {
  return () => {
    throw new Error(`${key}: ${reason}`);
  };
}

/** Handlers by key; a handler throws for a bad value and may return a warning. */
const KEYS: Record<string, Apply> = {
  SPA_SERVER: (value, s) => {
    s.server = value;
    return undefined;
  },
  SPA_SERVER_PORT: (value, s) => {
    s.serverPort = whole('SPA_SERVER_PORT', value, 1, 65535);
    return undefined;
  },
  SPA_SERVER_PROTO: (value, s) => {
    const proto = value.toLowerCase();
    if (proto === 'udp' || proto === 'tcp' || proto === 'http') s.transport = proto;
    else if (['udpraw', 'tcpraw', 'icmp'].includes(proto)) {
      throw new Error(
        `SPA_SERVER_PROTO ${value} needs raw sockets; Sesame sends over udp, tcp or http`,
      );
    } else throw new Error(`SPA_SERVER_PROTO must be udp, tcp or http, not "${value}"`);
    return undefined;
  },
  RAND_PORT: flag('RAND_PORT', (s, on) => (s.randPort = on)),
  ACCESS: (value, s) => {
    s.access = parseAccessList(value);
    return undefined;
  },
  ALLOW_IP: (value, s) => {
    const word = value.toLowerCase();
    if (word === 'source') s.allowIp = { mode: 'source' };
    else if (word === 'resolve') s.allowIp = { mode: 'resolve' };
    else if (isIpv4(value)) s.allowIp = { mode: 'address', address: value };
    else throw new Error(`ALLOW_IP must be an IPv4 address, "source" or "resolve", not "${value}"`);
    return undefined;
  },
  FW_TIMEOUT: (value, s) => {
    s.clientTimeout = whole('FW_TIMEOUT', value, 0, 65536);
    return undefined;
  },
  TIME_OFFSET: (value, s) => {
    s.timeOffsetSeconds = parseTimeOffset(value, true);
    return undefined;
  },
  ENCRYPTION_MODE: (value, s) => {
    const mode = parseEncryptionMode(value);
    if (!mode)
      throw new Error(`ENCRYPTION_MODE must be CBC, ECB, CFB, OFB, CTR or legacy, not "${value}"`);
    s.encryptionMode = mode;
    return undefined;
  },
  DIGEST_TYPE: (value, s) => {
    s.digestType = digest('DIGEST_TYPE', value);
    return undefined;
  },
  HMAC_DIGEST_TYPE: (value, s) => {
    s.hmacDigestType = digest('HMAC_DIGEST_TYPE', value);
    return undefined;
  },
  USE_HMAC: flag('USE_HMAC', (s, on) => (s.useHmac = on)),
  KEY: (value, s, where) => {
    s.encryptionKey = { bytes: keyFromPassphrase(value), source: `KEY (${where})` };
    return undefined;
  },
  KEY_BASE64: (value, s, where) => {
    s.encryptionKey = {
      bytes: keyFromBase64(value, 'KEY_BASE64'),
      source: `KEY_BASE64 (${where})`,
    };
    return undefined;
  },
  HMAC_KEY: (value, s, where) => {
    s.hmacKey = { bytes: keyFromPassphrase(value), source: `HMAC_KEY (${where})` };
    return undefined;
  },
  HMAC_KEY_BASE64: (value, s, where) => {
    s.hmacKey = {
      bytes: keyFromBase64(value, 'HMAC_KEY_BASE64'),
      source: `HMAC_KEY_BASE64 (${where})`,
    };
    return undefined;
  },
  NAT_ACCESS: (value, s) => {
    const [host = '', port, extra] = value.replace(':', ',').split(',');
    if (extra !== undefined) throw new Error(`NAT_ACCESS is host,port, not "${value}"`);
    checkNatHost(host);
    s.natAccess =
      port === undefined ? { host } : { host, port: whole('NAT_ACCESS port', port, 1, 65535) };
    return undefined;
  },
  NAT_LOCAL: flag('NAT_LOCAL', (s, on) => (s.natLocal = on)),
  NAT_PORT: (value, s) => {
    s.natPort = whole('NAT_PORT', value, 1, 65535);
    return undefined;
  },
  NAT_RAND_PORT: flag('NAT_RAND_PORT', (s, on) => (s.natRandPort = on)),
  SPOOF_USER: (value, s) => {
    const problem = usernameProblem(value);
    if (problem !== undefined) throw new Error(`SPOOF_USER: ${problem}`);
    s.username = value;
    return undefined;
  },
  HTTP_USER_AGENT: (value, s) => {
    s.httpUserAgent = value;
    return undefined;
  },
  RESOLVE_URL: (value, s) => {
    if (!/^https?:\/\/\S+$/i.test(value)) throw new Error(`RESOLVE_URL must be an http(s) URL`);
    s.resolveUrl = value;
    return undefined;
  },
  RESOLVE_IP_HTTPS: flag('RESOLVE_IP_HTTPS', (s, on) => on && (s.allowIp = { mode: 'resolve' })),
  RESOLVE_IP_HTTP: flag('RESOLVE_IP_HTTP', (s, on) => on && (s.allowIp = { mode: 'resolve' })),
  RESOLVE_HTTP_ONLY: flag('RESOLVE_HTTP_ONLY', (s, on) => (s.resolveHttpOnly = on)),
  VERBOSE: (value, s) => {
    s.verbose = /^\d+$/.test(value) ? Number(value) > 0 : yesNo('VERBOSE', value);
    return undefined;
  },
  // Sesame never writes ~/.fwknop.run and resolves server names to IPv4 anyway.
  NO_SAVE_ARGS: flag('NO_SAVE_ARGS', () => undefined),
  SERVER_RESOLVE_IPV4: flag('SERVER_RESOLVE_IPV4', () => undefined),
  WGET_CMD: () => 'WGET_CMD is ignored: Sesame asks for the public IP itself, without wget',
  USE_WGET_USER_AGENT: (value) => {
    yesNo('USE_WGET_USER_AGENT', value);
    return 'USE_WGET_USER_AGENT is ignored: Sesame asks for the public IP itself, without wget';
  },
  SPA_SOURCE_PORT: (value) => {
    whole('SPA_SOURCE_PORT', value, 0, 65535);
    return 'SPA_SOURCE_PORT is ignored: fwknop uses it only with raw sockets (udpraw, tcpraw, icmp)';
  },
  SPOOF_SOURCE_IP: refuse(
    'SPOOF_SOURCE_IP',
    'spoofing the source needs raw sockets, which Sesame does not use',
  ),
  KEY_FILE: refuse('KEY_FILE', 'Sesame does not read key files: put the key in KEY_BASE64'),
  HMAC_KEY_FILE: refuse(
    'HMAC_KEY_FILE',
    'Sesame does not read key files: put the key in HMAC_KEY_BASE64',
  ),
  USE_GPG: refuseIfYes('USE_GPG', GPG),
  USE_GPG_AGENT: refuseIfYes('USE_GPG_AGENT', GPG),
  GPG_NO_SIGNING_PW: refuseIfYes('GPG_NO_SIGNING_PW', GPG),
  GPG_RECIPIENT: refuse('GPG_RECIPIENT', GPG),
  GPG_SIGNER: refuse('GPG_SIGNER', GPG),
  GPG_HOMEDIR: refuse('GPG_HOMEDIR', GPG),
  GPG_EXE: refuse('GPG_EXE', GPG),
  GPG_SIGNING_PW: refuse('GPG_SIGNING_PW', GPG),
  GPG_SIGNING_PW_BASE64: refuse('GPG_SIGNING_PW_BASE64', GPG),
};

const KNOWN_KEYS = Object.keys(KEYS);

function digest(key: string, value: string): DigestType {
  const type = parseDigestType(value);
  if (!type) {
    throw new Error(`${key} must be one of md5, sha1, sha256, sha384, sha512, sha3_256, sha3_512`);
  }
  return type;
}

function unknownKey(key: string): string {
  if (KEYS[key.toUpperCase()])
    return `unknown key ${key}: fwknop's keys are upper case (${key.toUpperCase()})`;
  if (key === 'CLIENT_TIMEOUT')
    return 'unknown key CLIENT_TIMEOUT: the client timeout is FW_TIMEOUT';
  const near = KNOWN_KEYS.find((known) => distance(known, key.toUpperCase()) <= 2);
  return near ? `unknown key ${key} (did you mean ${near}?)` : `unknown key ${key}`;
}

/** Levenshtein distance, for "did you mean" on a mistyped key. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (const [i, x] of [...a].entries()) {
    const current = [i + 1];
    for (const [j, y] of [...b].entries()) {
      current.push(
        Math.min(
          (previous[j + 1] ?? 0) + 1,
          (current[j] ?? 0) + 1,
          (previous[j] ?? 0) + (x === y ? 0 : 1),
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The settings of `[default]` and then of the named stanza, as fwknop applies them: later lines
 * win, the named stanza over `[default]` (the command line goes over both, in the caller).
 */
export function resolveFwknoprc(
  parsed: ParsedFwknoprc,
  file: string,
  name?: string,
): FwknoprcResult {
  const settings: FwknoprcSettings = {};
  const issues: FwknoprcIssue[] = parsed.issues.map((issue) => ({ file, ...issue }));
  const named = name === undefined ? [] : findStanzas(parsed, name);
  const stanzas = [
    ...findStanzas(parsed, DEFAULT_STANZA),
    ...(name === undefined || name.toLowerCase() === DEFAULT_STANZA ? [] : named),
  ];
  for (const stanza of stanzas) {
    const seen = new Map<string, RcEntry>();
    for (const entry of stanza.entries) {
      apply(entry, settings, file, issues);
      const twin =
        entry.key === 'KEY' ? 'KEY_BASE64' : entry.key === 'KEY_BASE64' ? 'KEY' : undefined;
      const other = twin === undefined ? undefined : seen.get(twin);
      if (other) {
        issues.push({
          file,
          line: entry.line,
          severity: 'error',
          message: `[${stanza.name}] sets both ${other.key} (line ${other.line}) and ${entry.key}: keep one`,
        });
      }
      seen.set(entry.key, entry);
    }
  }
  return { settings, issues, found: name === undefined || named.length > 0 };
}

function apply(
  entry: RcEntry,
  settings: FwknoprcSettings,
  file: string,
  issues: FwknoprcIssue[],
): void {
  const handler = KEYS[entry.key];
  const issue = (severity: 'error' | 'warning', message: string) =>
    issues.push({ file, line: entry.line, severity, message });
  if (!handler) {
    issue('error', unknownKey(entry.key));
    return;
  }
  try {
    const warning = handler(entry.value, settings, `${file}:${entry.line}`);
    if (warning !== undefined) issue('warning', warning);
  } catch (error) {
    // Messages from the shared parsers do not name the key; the line's key goes in front then.
    const message = (error as Error).message;
    issue('error', message.startsWith(entry.key) ? message : `${entry.key}: ${message}`);
  }
}
