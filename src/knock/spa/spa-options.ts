import { z } from 'zod';
import {
  SPA_OPTION_DEFAULTS as DEFAULTS,
  type SpaOptions,
  type SpaOptionsInput,
  spaOptionProblems,
} from './spa-option-rules.js';
import { ACCESS_PROTOCOLS, DIGEST_TYPES, ENCRYPTION_MODES, isIpv4 } from './spa-vocabulary.js';

export {
  DEFAULT_HTTP_USER_AGENT,
  DEFAULT_SPA_PORT,
  type AllowIp,
  type NatOption,
  type SpaOptions,
  type SpaOptionsInput,
  type SpaTransport,
} from './spa-option-rules.js';

/**
 * The non-secret options of an SPA door, with fwknop's defaults: what a server profile stores
 * and what `sesame spa` builds from its command line and ~/.fwknoprc. The keys are not here:
 * they live in the OS keychain and reach the engine separately (see SpaKeys). The defaults and
 * the rules beyond each field's type live in spa-option-rules.ts, which the command uses as is.
 */

/** libfko reads a client timeout of at most 2^16 seconds (fko_decode.c). */
export const MAX_CLIENT_TIMEOUT = 65_536;
/** fwknop's largest time offset: 65536 days. */
export const MAX_TIME_OFFSET_SECONDS = 65_536 * 86_400;

export const SPA_TRANSPORTS = ['udp', 'tcp', 'http'] as const;

const port = z.number().int().min(1).max(65535);

export const accessPortSchema = z.object({
  protocol: z.enum(ACCESS_PROTOCOLS),
  port,
});

/** Which address fwknopd lets through: a given IPv4, the packet's source (`-s`), or the public IP (`-R`). */
export const allowIpSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('address'),
    address: z.string().refine(isIpv4, { message: 'must be an IPv4 address' }),
  }),
  z.object({ mode: z.literal('source') }),
  z.object({ mode: z.literal('resolve') }),
]);

/**
 * NAT through the fwknopd host: `forward` (`-N host[:port]`) to a host behind it, `local`
 * (`--nat-local`) to a port of the fwknopd host itself.
 */
export const natSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({
    mode: z.literal('forward'),
    host: z.string(),
    /** The port on the inner host; fwknop's default is the port of the access request. */
    port: port.optional(),
  }),
  z.object({ mode: z.literal('local') }),
]);

export const spaOptionsSchema = z
  .object({
    /** `-A tcp/22,udp/53`: what to open. */
    access: z.array(accessPortSchema).min(1),
    /** `-a`, `-s`, `-R`. fwknop insists on one; a profile defaults to the public IP. */
    allowIp: allowIpSchema.default(DEFAULTS.allowIp),
    nat: natSchema.default(DEFAULTS.nat),
    /** `--nat-port`: the port the client connects to, translated to the access port. */
    natPort: port.optional(),
    /** `--nat-rand-port`: a random NAT port, drawn for every packet. */
    natRandPort: z.boolean().default(DEFAULTS.natRandPort),
    /** `-f, --fw-timeout`: seconds the rule should last; 0 leaves it to fwknopd (30 by default). */
    clientTimeout: z.number().int().min(0).max(MAX_CLIENT_TIMEOUT).default(DEFAULTS.clientTimeout),
    /** `-m, --digest-type`: the digest inside the packet. */
    digestType: z.enum(DIGEST_TYPES).default(DEFAULTS.digestType),
    /** `--hmac-digest-type`: used when an HMAC key is given. */
    hmacDigestType: z.enum(DIGEST_TYPES).default(DEFAULTS.hmacDigestType),
    /** `-M, --encryption-mode`. */
    encryptionMode: z.enum(ENCRYPTION_MODES).default(DEFAULTS.encryptionMode),
    /** `-P, --server-proto`. */
    transport: z.enum(SPA_TRANSPORTS).default(DEFAULTS.transport),
    /** `-p, --server-port`. */
    serverPort: port.default(DEFAULTS.serverPort),
    /** `-r, --rand-port`: a random destination port (UDP), drawn for every packet. */
    randPort: z.boolean().default(DEFAULTS.randPort),
    /** `--time-offset-plus/-minus`, in seconds, for a client whose clock is off. */
    timeOffsetSeconds: z
      .number()
      .int()
      .min(-MAX_TIME_OFFSET_SECONDS)
      .max(MAX_TIME_OFFSET_SECONDS)
      .default(DEFAULTS.timeOffsetSeconds),
    /** `-U, --spoof-user`: the username in the packet (for REQUIRE_USERNAME); default: yours. */
    username: z.string().optional(),
    /** `-u, --user-agent`, for SPA over HTTP. */
    httpUserAgent: z.string().default(DEFAULTS.httpUserAgent),
  })
  .superRefine((options, context) => {
    for (const problem of spaOptionProblems(options)) {
      context.addIssue({ code: 'custom', path: problem.path.split('.'), message: problem.message });
    }
  });

export type AccessPortOption = z.output<typeof accessPortSchema>;

// The schema and the plain types must describe the same options, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameOutput: Same<z.output<typeof spaOptionsSchema>, SpaOptions> = true;
const sameInput: Same<z.input<typeof spaOptionsSchema>, SpaOptionsInput> = true;
void sameOutput;
void sameInput;
