import { z } from 'zod';
import { portSchema } from '../../../../../src/servers/field-schemas.js';

/*
 * LOCAL STAND-IN, to be replaced at merge.
 *
 * SPA (fwknop) support lands in the core on its own branch, with the real schemas in
 * src/knock/spa/spa-options.ts (the method `{ kind: 'spa', ...spaOptions }`) and the secret
 * union's `{ kind: 'spa', ... }`. Until then the form validates SPA with the schemas below, which
 * follow fwknop's own options. At merge: import the real schemas here instead and map these
 * field names onto them; nothing outside renderer/src/servers/form/spa/ depends on this file
 * except the form model's `toSpaMethod` / `toSpaSecret` calls.
 */

/** fwknop -D / --digest-type and --hmac-digest-type. */
export const DIGEST_TYPES = [
  'md5',
  'sha1',
  'sha256',
  'sha384',
  'sha512',
  'sha3_256',
  'sha3_512',
] as const;
/** fwknop -M / --encryption-mode (Rijndael). */
export const ENCRYPTION_MODES = ['cbc', 'ecb', 'cfb', 'pcbc', 'ofb', 'ctr', 'legacy'] as const;
/** fwknop --server-proto. */
export const SPA_TRANSPORTS = ['udp', 'tcp', 'http'] as const;
/** fwknop -a (explicit), -s (the server takes the packet's source), -R (resolve via a service). */
export const ALLOW_IP_MODES = ['resolve', 'source', 'address'] as const;

const accessPort = z
  .string()
  .trim()
  .regex(/^(tcp|udp)\/\d{1,5}$/, 'an access port is written tcp/22 or udp/53')
  .refine((text) => {
    const port = Number(text.split('/')[1]);
    return port >= 1 && port <= 65535;
  }, 'an access port is a number from 1 to 65535');

export const spaMethodDraftSchema = z.object({
  kind: z.literal('spa'),
  /** fwknop -A: what to open, `tcp/22,udp/53`. */
  accessPorts: z.array(accessPort).min(1, 'give at least one access port, like tcp/22').max(16),
  /** -R (ask the public IP), -s (let the server use the packet's source), -a ADDRESS. */
  allowIp: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('resolve') }),
    z.object({ mode: z.literal('source') }),
    z.object({
      mode: z.literal('address'),
      address: z.string().trim().min(1, 'give the address to allow'),
    }),
  ]),
  /** --nat-access INTERNAL_IP:PORT, the article's RDP machine behind the gateway. */
  natAccess: z
    .object({
      host: z.string().trim().min(1, 'give the internal address'),
      port: portSchema,
    })
    .optional(),
  /** --fw-timeout: how long fwknopd keeps the rule, in seconds (0: the server's default). */
  clientTimeoutSeconds: z
    .number()
    .int()
    .min(0, 'at least 0')
    .max(65535, 'at most 65535')
    .default(0),
  digestType: z.enum(DIGEST_TYPES).default('sha256'),
  hmacDigestType: z.enum(DIGEST_TYPES).default('sha256'),
  encryptionMode: z.enum(ENCRYPTION_MODES).default('cbc'),
  /** --server-proto and --server-port (default udp/62201). */
  transport: z.enum(SPA_TRANSPORTS).default('udp'),
  serverPort: portSchema.default(62201),
  /** --rand-port: send from and to a random port. */
  randPort: z.boolean().default(false),
  /** --time-offset-plus / --time-offset-minus, in seconds (a client clock that is off). */
  timeOffsetSeconds: z.number().int().min(-86_400).max(86_400).default(0),
});

const base64Key = (what: string, bytes: number) =>
  z
    .string()
    .trim()
    .min(1, `give the ${what} (or generate one)`)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, `the ${what} is base64 (as fwknop --key-gen prints it)`)
    .refine((text) => atob(text).length >= bytes / 2, `the ${what} is too short`);

export const spaSecretDraftSchema = z.object({
  kind: z.literal('spa'),
  /** KEY_BASE64 of .fwknoprc (Rijndael). */
  keyBase64: base64Key('encryption key', 32),
  /** HMAC_KEY_BASE64 of .fwknoprc. */
  hmacKeyBase64: base64Key('HMAC key', 64),
});

export type SpaMethodDraft = z.input<typeof spaMethodDraftSchema>;
export type SpaSecretDraft = z.input<typeof spaSecretDraftSchema>;

/** What the SPA part of the form holds, as text the person types. */
export interface SpaFormState {
  readonly accessPorts: string;
  readonly allowIpMode: (typeof ALLOW_IP_MODES)[number];
  readonly allowIpAddress: string;
  readonly natEnabled: boolean;
  readonly natHost: string;
  readonly natPort: string;
  readonly clientTimeout: string;
  readonly digestType: (typeof DIGEST_TYPES)[number];
  readonly hmacDigestType: (typeof DIGEST_TYPES)[number];
  readonly encryptionMode: (typeof ENCRYPTION_MODES)[number];
  readonly transport: (typeof SPA_TRANSPORTS)[number];
  readonly serverPort: string;
  readonly randPort: boolean;
  readonly timeOffset: string;
  readonly key: string;
  readonly hmacKey: string;
}

export const EMPTY_SPA: SpaFormState = {
  accessPorts: 'tcp/22',
  allowIpMode: 'resolve',
  allowIpAddress: '',
  natEnabled: false,
  natHost: '',
  natPort: '3389',
  clientTimeout: '',
  digestType: 'sha256',
  hmacDigestType: 'sha256',
  encryptionMode: 'cbc',
  transport: 'udp',
  serverPort: '62201',
  randPort: false,
  timeOffset: '',
  key: '',
  hmacKey: '',
};

/** Reads back a saved SPA method into the form (the keys are never sent back). */
export function spaFormFrom(method: Record<string, unknown>): SpaFormState {
  const parsed = spaMethodDraftSchema.safeParse(method);
  if (!parsed.success) return EMPTY_SPA;
  const m = parsed.data;
  return {
    ...EMPTY_SPA,
    accessPorts: m.accessPorts.join(', '),
    allowIpMode: m.allowIp.mode,
    allowIpAddress: m.allowIp.mode === 'address' ? m.allowIp.address : '',
    natEnabled: m.natAccess !== undefined,
    natHost: m.natAccess?.host ?? '',
    natPort: String(m.natAccess?.port ?? 3389),
    clientTimeout: m.clientTimeoutSeconds === 0 ? '' : String(m.clientTimeoutSeconds),
    digestType: m.digestType,
    hmacDigestType: m.hmacDigestType,
    encryptionMode: m.encryptionMode,
    transport: m.transport,
    serverPort: String(m.serverPort),
    randPort: m.randPort,
    timeOffset: m.timeOffsetSeconds === 0 ? '' : String(m.timeOffsetSeconds),
  };
}

export function toSpaMethod(state: SpaFormState, number: (text: string) => unknown) {
  return {
    kind: 'spa' as const,
    accessPorts: state.accessPorts
      .split(/[\s,]+/)
      .map((part) => part.trim())
      .filter(Boolean),
    allowIp:
      state.allowIpMode === 'address'
        ? { mode: 'address' as const, address: state.allowIpAddress }
        : { mode: state.allowIpMode },
    ...(state.natEnabled && { natAccess: { host: state.natHost, port: number(state.natPort) } }),
    clientTimeoutSeconds: number(state.clientTimeout),
    digestType: state.digestType,
    hmacDigestType: state.hmacDigestType,
    encryptionMode: state.encryptionMode,
    transport: state.transport,
    serverPort: number(state.serverPort),
    randPort: state.randPort,
    timeOffsetSeconds: number(state.timeOffset),
  };
}

export function toSpaSecret(state: SpaFormState): SpaSecretDraft {
  return { kind: 'spa', keyBase64: state.key, hmacKeyBase64: state.hmacKey };
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
