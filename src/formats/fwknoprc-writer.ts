import { formatAccessList } from '../knock/spa/spa-access.js';
import { DEFAULT_ENCRYPTION_MODE, type EncryptionMode } from '../knock/spa/spa-cipher.js';
import { DEFAULT_DIGEST_TYPE, type DigestType } from '../knock/spa/spa-digest.js';
import type { SpaKeys } from '../knock/spa/spa-keys.js';
import {
  DEFAULT_HTTP_USER_AGENT,
  DEFAULT_SPA_PORT,
  type SpaOptions,
} from '../knock/spa/spa-option-rules.js';
import { findStanzas, parseFwknoprc } from './fwknoprc.js';

/**
 * Writes a door back as a ~/.fwknoprc stanza in fwknop's own layout (`%-24s    %s`, keys in
 * fwknop's order), so that `fwknop -n NAME` reads it and opens the same door. Keys are written as
 * KEY_BASE64 and HMAC_KEY_BASE64: any bytes survive that, where KEY would cut at a blank.
 */
export interface FwknoprcExport {
  readonly server: string;
  readonly options: SpaOptions;
  readonly keys: SpaKeys;
}

export class FwknoprcWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FwknoprcWriteError';
  }
}

/** How fwknop's files (~/.fwknoprc, access.conf) write each digest type. */
export const DIGEST_NAMES: Record<DigestType, string> = {
  md5: 'MD5',
  sha1: 'SHA1',
  sha256: 'SHA256',
  sha384: 'SHA384',
  sha512: 'SHA512',
  sha3_256: 'SHA3_256',
  sha3_512: 'SHA3_512',
};

function modeName(mode: EncryptionMode): string {
  return mode === 'legacy' ? 'legacy' : mode.toUpperCase();
}

/** The lines of a stanza, `[KEY, value]`, in fwknop's key order (fko_var_array); defaults left out. */
export function fwknoprcEntries(door: FwknoprcExport): [string, string][] {
  const { options, keys } = door;
  const nat = options.nat;
  const values: Record<string, string | undefined> = {
    DIGEST_TYPE:
      options.digestType === DEFAULT_DIGEST_TYPE ? undefined : DIGEST_NAMES[options.digestType],
    SPA_SERVER_PROTO: options.transport === 'udp' ? undefined : options.transport,
    SPA_SERVER_PORT:
      options.serverPort === DEFAULT_SPA_PORT ? undefined : String(options.serverPort),
    FW_TIMEOUT: options.clientTimeout > 0 ? String(options.clientTimeout) : undefined,
    ALLOW_IP: options.allowIp.mode === 'address' ? options.allowIp.address : options.allowIp.mode,
    TIME_OFFSET: options.timeOffsetSeconds !== 0 ? String(options.timeOffsetSeconds) : undefined,
    ENCRYPTION_MODE:
      options.encryptionMode === DEFAULT_ENCRYPTION_MODE
        ? undefined
        : modeName(options.encryptionMode),
    SPOOF_USER: options.username,
    ACCESS: formatAccessList(options.access),
    SPA_SERVER: door.server,
    RAND_PORT: options.randPort ? 'Y' : undefined,
    KEY_BASE64: Buffer.from(keys.encryptionKey).toString('base64'),
    HMAC_DIGEST_TYPE:
      keys.hmacKey || options.hmacDigestType !== DEFAULT_DIGEST_TYPE
        ? DIGEST_NAMES[options.hmacDigestType]
        : undefined,
    HMAC_KEY_BASE64: keys.hmacKey && Buffer.from(keys.hmacKey).toString('base64'),
    USE_HMAC: keys.hmacKey && 'Y',
    NAT_ACCESS:
      nat.mode !== 'forward'
        ? undefined
        : nat.port === undefined
          ? nat.host
          : `${nat.host},${nat.port}`,
    HTTP_USER_AGENT:
      options.httpUserAgent === DEFAULT_HTTP_USER_AGENT ? undefined : options.httpUserAgent,
    NAT_LOCAL: nat.mode === 'local' ? 'Y' : undefined,
    NAT_RAND_PORT: options.natRandPort ? 'Y' : undefined,
    NAT_PORT: options.natPort === undefined ? undefined : String(options.natPort),
  };
  const entries: [string, string][] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    // fwknop's value ends at a blank, ";" or "#": such a value would be read back cut short.
    if (!/^[^\s;#]+$/.test(value)) {
      throw new FwknoprcWriteError(
        `${key} cannot be written to ~/.fwknoprc: fwknop reads a value only up to a blank, ";" or "#"`,
      );
    }
    entries.push([key, value]);
  }
  return entries;
}

export function formatFwknoprcStanza(name: string, entries: readonly [string, string][]): string {
  if (!/^[^\]\r\n]+$/.test(name) || name.trim() !== name) {
    throw new FwknoprcWriteError(`"${name}" cannot be a stanza name (no "]", no line breaks)`);
  }
  const lines = entries.map(([key, value]) => `${key.padEnd(24)}    ${value}`);
  return `[${name}]\n${lines.join('\n')}\n`;
}

/**
 * Puts a stanza into the text of an rc file: in place of the stanza of that name (from its
 * header to the next one) or at the end. Every other line, comments included, stays as it was.
 * Replacing a stanza that holds keys needs `force`, as fwknop asks before it overwrites keys.
 */
export function putFwknoprcStanza(
  text: string,
  name: string,
  stanza: string,
  options: { force?: boolean } = {},
): string {
  const parsed = parseFwknoprc(text);
  const existing = findStanzas(parsed, name);
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const first = existing[0];
  if (!first) {
    const separator = lines.length > 0 && lines[lines.length - 1]?.trim() !== '' ? [''] : [];
    return `${[...lines, ...separator, stanza.replace(/\n$/, '')].join('\n')}\n`;
  }
  const holdsKeys = existing.some((s) => s.entries.some((e) => /KEY/.test(e.key)));
  if (holdsKeys && !options.force) {
    throw new FwknoprcWriteError(
      `the stanza [${name}] exists and holds keys: add --force-stanza to replace it`,
    );
  }
  // A stanza's lines run from its header to its last entry; comments after that stay.
  const drop = new Set<number>();
  for (const old of existing) {
    const last = Math.max(old.line, ...old.entries.map((entry) => entry.line));
    for (let line = old.line; line <= last; line += 1) drop.add(line);
  }
  const kept = lines.flatMap((line, index) => {
    if (index + 1 === first.line) return stanza.replace(/\n$/, '').split('\n');
    return drop.has(index + 1) ? [] : [line];
  });
  return `${kept.join('\n').replace(/\n+$/, '')}\n`;
}
