import {
  type AccessPort,
  DEFAULT_DIGEST_TYPE,
  DEFAULT_ENCRYPTION_MODE,
  type DigestType,
  type EncryptionMode,
  natHostProblem,
  usernameProblem,
} from './spa-vocabulary.js';

/**
 * The defaults and the rules of SPA options, without zod: the `sesame` command checks its options
 * with these directly, because loading zod costs about 130 ms at every start of a process, more
 * than the rest of the command. spaOptionsSchema applies the same defaults and rules. Like the
 * schema, this file reaches no Node module, so both also run in the window's renderer.
 */

export type SpaTransport = 'udp' | 'tcp' | 'http';

export type AllowIp =
  { mode: 'address'; address: string } | { mode: 'source' } | { mode: 'resolve' };

export type NatOption =
  | { mode: 'none' }
  | { mode: 'forward'; host: string; port?: number | undefined }
  | { mode: 'local' };

/** The options of an SPA door; spaOptionsSchema describes the same shape for zod. */
export interface SpaOptions {
  access: { protocol: AccessPort['protocol']; port: number }[];
  allowIp: AllowIp;
  nat: NatOption;
  natPort?: number | undefined;
  natRandPort: boolean;
  clientTimeout: number;
  digestType: DigestType;
  hmacDigestType: DigestType;
  encryptionMode: EncryptionMode;
  transport: SpaTransport;
  serverPort: number;
  randPort: boolean;
  timeOffsetSeconds: number;
  username?: string | undefined;
  httpUserAgent: string;
}

/** Options as given: everything but the access list may be left to its default. */
export type SpaOptionsInput = Pick<SpaOptions, 'access'> & {
  [K in Exclude<keyof SpaOptions, 'access'>]?: SpaOptions[K] | undefined;
};

/** fwknop's SPA port (FKO_DEFAULT_PORT). */
export const DEFAULT_SPA_PORT = 62201;
/** The User-Agent of fwknop 2.6.10 for SPA over HTTP; fwknopd wants it to start with "Fwknop". */
export const DEFAULT_HTTP_USER_AGENT = 'Fwknop/2.6.10';

export const SPA_OPTION_DEFAULTS: Omit<SpaOptions, 'access' | 'natPort' | 'username'> = {
  allowIp: { mode: 'resolve' },
  nat: { mode: 'none' },
  natRandPort: false,
  clientTimeout: 0,
  digestType: DEFAULT_DIGEST_TYPE,
  hmacDigestType: DEFAULT_DIGEST_TYPE,
  encryptionMode: DEFAULT_ENCRYPTION_MODE,
  transport: 'udp',
  serverPort: DEFAULT_SPA_PORT,
  randPort: false,
  timeOffsetSeconds: 0,
  httpUserAgent: DEFAULT_HTTP_USER_AGENT,
};

export interface SpaOptionProblem {
  /** The field, dotted (`nat.host`). */
  readonly path: string;
  readonly message: string;
}

/**
 * What is wrong with options whose fields each have the right type and range: the values fwknopd
 * would refuse, and the combinations that make no sense.
 */
export function spaOptionProblems(options: SpaOptions): SpaOptionProblem[] {
  const problems: SpaOptionProblem[] = [];
  const add = (path: string, message: string): void => void problems.push({ path, message });
  const natHost = options.nat.mode === 'forward' ? natHostProblem(options.nat.host) : undefined;
  if (natHost !== undefined) add('nat.host', natHost);
  const username = options.username === undefined ? undefined : usernameProblem(options.username);
  if (username !== undefined) add('username', username);
  if (!/^[\x20-\x7e]{1,100}$/.test(options.httpUserAgent)) {
    add('httpUserAgent', 'a User-Agent is 1-100 printable ASCII characters');
  }
  const natOn = options.nat.mode !== 'none';
  if (natOn && options.access.length !== 1) {
    add('access', 'NAT access takes exactly one proto/port (fwknopd forwards only the first)');
  }
  if ((options.natPort !== undefined || options.natRandPort) && !natOn) {
    add('natPort', 'a NAT port needs NAT access (-N host or --nat-local)');
  }
  if (options.natPort !== undefined && options.natRandPort) {
    add('natRandPort', '--nat-port and --nat-rand-port exclude each other');
  }
  if (options.randPort && options.transport !== 'udp') {
    add('randPort', 'a random server port works over UDP only (fwknopd listens on one TCP port)');
  }
  return problems;
}

/** Fills in fwknop's defaults; the caller has checked each given field already. */
export function withSpaDefaults(input: SpaOptionsInput): SpaOptions {
  const defined = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as SpaOptionsInput;
  return { ...SPA_OPTION_DEFAULTS, ...defined };
}
