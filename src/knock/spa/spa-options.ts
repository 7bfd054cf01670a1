import { z } from 'zod';
import { ACCESS_PROTOCOLS, checkNatHost, isIpv4 } from './spa-access.js';
import { DEFAULT_ENCRYPTION_MODE, ENCRYPTION_MODES } from './spa-cipher.js';
import { DEFAULT_DIGEST_TYPE, DIGEST_TYPES } from './spa-digest.js';
import { usernameProblem } from './spa-message.js';

/**
 * The non-secret options of an SPA door, with fwknop's defaults: what a server profile stores
 * and what `sesame spa` builds from its command line and ~/.fwknoprc. The keys are not here:
 * they live in the OS keychain and reach the engine separately (see SpaKeys).
 */

/** fwknop's SPA port (FKO_DEFAULT_PORT). */
export const DEFAULT_SPA_PORT = 62201;
/** The User-Agent of fwknop 2.6.10 for SPA over HTTP; fwknopd wants it to start with "Fwknop". */
export const DEFAULT_HTTP_USER_AGENT = 'Fwknop/2.6.10';
/** libfko reads a client timeout of at most 2^16 seconds (fko_decode.c). */
export const MAX_CLIENT_TIMEOUT = 65_536;
/** fwknop's largest time offset: 65536 days. */
export const MAX_TIME_OFFSET_SECONDS = 65_536 * 86_400;

export const SPA_TRANSPORTS = ['udp', 'tcp', 'http'] as const;
export type SpaTransport = (typeof SPA_TRANSPORTS)[number];

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

const natHost = z.string().superRefine((host, context) => {
  try {
    checkNatHost(host);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/**
 * NAT through the fwknopd host: `forward` (`-N host[:port]`) to a host behind it, `local`
 * (`--nat-local`) to a port of the fwknopd host itself.
 */
export const natSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }),
  z.object({
    mode: z.literal('forward'),
    host: natHost,
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
    allowIp: allowIpSchema.default({ mode: 'resolve' }),
    nat: natSchema.default({ mode: 'none' }),
    /** `--nat-port`: the port the client connects to, translated to the access port. */
    natPort: port.optional(),
    /** `--nat-rand-port`: a random NAT port, drawn for every packet. */
    natRandPort: z.boolean().default(false),
    /** `-f, --fw-timeout`: seconds the rule should last; 0 leaves it to fwknopd (30 by default). */
    clientTimeout: z.number().int().min(0).max(MAX_CLIENT_TIMEOUT).default(0),
    /** `-m, --digest-type`: the digest inside the packet. */
    digestType: z.enum(DIGEST_TYPES).default(DEFAULT_DIGEST_TYPE),
    /** `--hmac-digest-type`: used when an HMAC key is given. */
    hmacDigestType: z.enum(DIGEST_TYPES).default(DEFAULT_DIGEST_TYPE),
    /** `-M, --encryption-mode`. */
    encryptionMode: z.enum(ENCRYPTION_MODES).default(DEFAULT_ENCRYPTION_MODE),
    /** `-P, --server-proto`. */
    transport: z.enum(SPA_TRANSPORTS).default('udp'),
    /** `-p, --server-port`. */
    serverPort: port.default(DEFAULT_SPA_PORT),
    /** `-r, --rand-port`: a random destination port (UDP), drawn for every packet. */
    randPort: z.boolean().default(false),
    /** `--time-offset-plus/-minus`, in seconds, for a client whose clock is off. */
    timeOffsetSeconds: z
      .number()
      .int()
      .min(-MAX_TIME_OFFSET_SECONDS)
      .max(MAX_TIME_OFFSET_SECONDS)
      .default(0),
    /** `-U, --spoof-user`: the username in the packet (for REQUIRE_USERNAME); default: yours. */
    username: z
      .string()
      .superRefine((name, context) => {
        const problem = usernameProblem(name);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /** `-u, --user-agent`, for SPA over HTTP. */
    httpUserAgent: z
      .string()
      .regex(/^[\x20-\x7e]{1,100}$/, 'a User-Agent is 1-100 printable ASCII characters')
      .default(DEFAULT_HTTP_USER_AGENT),
  })
  .superRefine((options, context) => {
    const natOn = options.nat.mode !== 'none';
    if (natOn && options.access.length !== 1) {
      context.addIssue({
        code: 'custom',
        path: ['access'],
        message: 'NAT access takes exactly one proto/port (fwknopd forwards only the first)',
      });
    }
    if ((options.natPort !== undefined || options.natRandPort) && !natOn) {
      context.addIssue({
        code: 'custom',
        path: ['natPort'],
        message: 'a NAT port needs NAT access (-N host or --nat-local)',
      });
    }
    if (options.natPort !== undefined && options.natRandPort) {
      context.addIssue({
        code: 'custom',
        path: ['natRandPort'],
        message: '--nat-port and --nat-rand-port exclude each other',
      });
    }
    if (options.randPort && options.transport !== 'udp') {
      context.addIssue({
        code: 'custom',
        path: ['randPort'],
        message: 'a random server port works over UDP only (fwknopd listens on one TCP port)',
      });
    }
  });

export type SpaOptions = z.output<typeof spaOptionsSchema>;
export type SpaOptionsInput = z.input<typeof spaOptionsSchema>;
export type AccessPortOption = z.output<typeof accessPortSchema>;
export type AllowIp = z.output<typeof allowIpSchema>;
export type NatOption = z.output<typeof natSchema>;
