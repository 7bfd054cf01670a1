import {
  ACCESS_PROTOCOLS,
  DIGEST_TYPES,
  ENCRYPTION_MODES,
} from '../../../../../src/knock/spa/spa-vocabulary.js';
import {
  DEFAULT_HTTP_USER_AGENT,
  DEFAULT_SPA_PORT,
  SPA_TRANSPORTS,
} from '../../../../../src/knock/spa/spa-options.js';
import type { SpaMethod } from '../../../../../src/servers/server-profile.js';

/**
 * The fwknop part of the form as text the person types, and how it becomes the core's SPA method
 * (`spaMethodSchema`) and secret (`spaSecretSchema`). The form checks both with the core's own
 * schemas; the only message made here is for an access list that is not `proto/port` words.
 */

export { DIGEST_TYPES, ENCRYPTION_MODES, SPA_TRANSPORTS };
export const ALLOW_IP_MODES = ['resolve', 'source', 'address'] as const;
export const NAT_MODES = ['none', 'forward', 'local'] as const;

export interface SpaFormState {
  readonly access: string;
  readonly allowIpMode: (typeof ALLOW_IP_MODES)[number];
  readonly allowIpAddress: string;
  readonly natMode: (typeof NAT_MODES)[number];
  readonly natHost: string;
  readonly natHostPort: string;
  readonly natPort: string;
  readonly natRandPort: boolean;
  readonly clientTimeout: string;
  readonly digestType: (typeof DIGEST_TYPES)[number];
  readonly hmacDigestType: (typeof DIGEST_TYPES)[number];
  readonly encryptionMode: (typeof ENCRYPTION_MODES)[number];
  readonly transport: (typeof SPA_TRANSPORTS)[number];
  readonly serverPort: string;
  readonly randPort: boolean;
  readonly timeOffset: string;
  readonly username: string;
  readonly httpUserAgent: string;
  readonly key: string;
  readonly hmacKey: string;
}

export const EMPTY_SPA: SpaFormState = {
  access: 'tcp/22',
  allowIpMode: 'resolve',
  allowIpAddress: '',
  natMode: 'none',
  natHost: '',
  natHostPort: '',
  natPort: '',
  natRandPort: false,
  clientTimeout: '',
  digestType: 'sha256',
  hmacDigestType: 'sha256',
  encryptionMode: 'cbc',
  transport: 'udp',
  serverPort: String(DEFAULT_SPA_PORT),
  randPort: false,
  timeOffset: '',
  username: '',
  httpUserAgent: DEFAULT_HTTP_USER_AGENT,
  key: '',
  hmacKey: '',
};

/** A saved SPA method back into the form (the keys are never sent back). */
export function spaFormFrom(method: SpaMethod): SpaFormState {
  return {
    ...EMPTY_SPA,
    access: method.access.map((entry) => `${entry.protocol}/${entry.port}`).join(', '),
    allowIpMode: method.allowIp.mode,
    allowIpAddress: method.allowIp.mode === 'address' ? method.allowIp.address : '',
    natMode: method.nat.mode,
    natHost: method.nat.mode === 'forward' ? method.nat.host : '',
    natHostPort: method.nat.mode === 'forward' ? String(method.nat.port ?? '') : '',
    natPort: method.natPort === undefined ? '' : String(method.natPort),
    natRandPort: method.natRandPort,
    clientTimeout: method.clientTimeout === 0 ? '' : String(method.clientTimeout),
    digestType: method.digestType,
    hmacDigestType: method.hmacDigestType,
    encryptionMode: method.encryptionMode,
    transport: method.transport,
    serverPort: String(method.serverPort),
    randPort: method.randPort,
    timeOffset: method.timeOffsetSeconds === 0 ? '' : String(method.timeOffsetSeconds),
    username: method.username ?? '',
    httpUserAgent: method.httpUserAgent,
  };
}

const ACCESS_WORD = new RegExp(`^(${ACCESS_PROTOCOLS.join('|')})/(\\d{1,5})$`, 'i');

/** `tcp/22, udp/53` as the schema's list, or why it is not one. */
export function parseAccess(
  text: string,
): { ok: true; access: { protocol: string; port: number }[] } | { ok: false; message: string } {
  const words = text.split(/[\s,]+/).filter(Boolean);
  const access = [];
  for (const word of words) {
    const match = ACCESS_WORD.exec(word);
    if (!match) {
      return {
        ok: false,
        message: `"${word}" is not an access port: write proto/port, like tcp/22 or udp/53`,
      };
    }
    access.push({ protocol: (match[1] ?? '').toLowerCase(), port: Number(match[2]) });
  }
  return { ok: true, access };
}

/** The method as the core's schema takes it; `number` turns typed text into a number. */
export function toSpaMethod(state: SpaFormState, number: (text: string) => number | undefined) {
  const parsed = parseAccess(state.access);
  const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
  return {
    kind: 'spa' as const,
    access: parsed.ok ? parsed.access : [],
    allowIp:
      state.allowIpMode === 'address'
        ? { mode: 'address' as const, address: state.allowIpAddress.trim() }
        : { mode: state.allowIpMode },
    nat:
      state.natMode === 'forward'
        ? {
            mode: 'forward' as const,
            host: state.natHost.trim(),
            ...optional('port', number(state.natHostPort)),
          }
        : { mode: state.natMode },
    ...optional('natPort', state.natMode === 'none' ? undefined : number(state.natPort)),
    natRandPort: state.natMode !== 'none' && state.natRandPort,
    ...optional('clientTimeout', number(state.clientTimeout)),
    digestType: state.digestType,
    hmacDigestType: state.hmacDigestType,
    encryptionMode: state.encryptionMode,
    transport: state.transport,
    ...optional('serverPort', number(state.serverPort)),
    randPort: state.randPort,
    ...optional('timeOffsetSeconds', number(state.timeOffset)),
    ...optional('username', state.username.trim() || undefined),
    ...(state.transport === 'http' && { httpUserAgent: state.httpUserAgent }),
  };
}

/** The keys as the core's secret schema takes them; no HMAC key in legacy mode. */
export function toSpaSecret(state: SpaFormState): Record<string, unknown> {
  const hmac = state.hmacKey.trim();
  return {
    kind: 'spa',
    encryptionKeyBase64: state.key,
    ...(hmac !== '' && { hmacKeyBase64: hmac }),
  };
}

/** Keys as `fwknop --key-gen` makes them: 32 random bytes, and 64 for the HMAC key, in base64. */
export function generateSpaKeys(): { key: string; hmacKey: string } {
  const base64 = (bytes: number) => {
    const buffer = new Uint8Array(bytes);
    crypto.getRandomValues(buffer);
    return btoa(String.fromCharCode(...buffer));
  };
  return { key: base64(32), hmacKey: base64(64) };
}
