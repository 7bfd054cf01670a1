import { userInfo } from 'node:os';
import { type Clock, systemClock, throwIfAborted } from '../../lib/clock.js';
import type { AddressFamily } from '../../net/address-family.js';
import { resolveHost } from '../../net/resolve-host.js';
import { formatAccessList, isIpv4 } from './spa-access.js';
import { SpaError } from './spa-error.js';
import type { SpaKeys } from './spa-keys.js';
import { messageTypeFor, SPA_VERSION, type SpaFields, usernameProblem } from './spa-message.js';
import type { SpaOptions } from './spa-options.js';
import { buildSpaPacket, type SpaPacket } from './spa-packet.js';
import { cryptoSpaRandom, randomPort, type SpaRandom } from './spa-random.js';
import { sendSpaData } from './spa-transport.js';

export interface SpaPrepareRequest {
  /** The fwknopd host as the person named it (`-D`). */
  readonly host: string;
  readonly keys: SpaKeys;
  readonly options: SpaOptions;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly random?: SpaRandom;
  /** For `allowIp: resolve`: finds this machine's public IPv4 address. */
  readonly resolveAllowIp?: (signal?: AbortSignal) => Promise<string>;
  /** The username when the options name none: by default the user running Sesame. */
  readonly defaultUsername?: string;
}

export interface SpaRequest extends SpaPrepareRequest {
  /** fwknopd reads SPA over IPv4 only, so `auto` means IPv4 here and `ipv6` is refused. */
  readonly family?: AddressFamily;
}

/** A packet ready to go, and where to: what `--test` shows without sending. */
export interface PreparedSpa {
  readonly packet: SpaPacket;
  /** The address put in the access message (`0.0.0.0` for "use the packet's source"). */
  readonly allowIp: string;
  readonly serverPort: number;
  /** The NAT port asked for, when there is one (fixed or drawn by `--nat-rand-port`). */
  readonly natPort?: number;
}

export interface SpaResult extends PreparedSpa {
  readonly host: string;
  readonly address: string;
  readonly family: 4;
  readonly transport: SpaOptions['transport'];
  readonly bytesSent: number;
  /** Wall-clock time the packet left, ms since the epoch. */
  readonly sentAt: number;
  readonly startedAt: number;
  readonly durationMs: number;
}

/** What fwknop falls back to when it finds no username (fko_user.c). */
const NO_USER = 'NO_USER';

export function systemUsername(): string {
  try {
    const name = userInfo().username.slice(0, 63);
    return usernameProblem(name) === undefined ? name : NO_USER;
  } catch {
    return NO_USER;
  }
}

async function allowIpFor(request: SpaPrepareRequest): Promise<string> {
  const allow = request.options.allowIp;
  if (allow.mode === 'address') return allow.address;
  if (allow.mode === 'source') return '0.0.0.0';
  if (!request.resolveAllowIp) {
    throw new SpaError('no way to find the public IP here: give the address to allow (-a)');
  }
  const address = (await request.resolveAllowIp(request.signal)).trim();
  if (!isIpv4(address)) {
    // Not a SpaError: the request is fine, the answer was not.
    throw new Error(
      `the public IP found ("${address.slice(0, 64)}") is not an IPv4 address; fwknopd allows IPv4 only: give it with -a`,
    );
  }
  return address;
}

/**
 * Builds the packet for a request: the access message, NAT and timeout fields, a new random value
 * and salt, the timestamp from the clock plus the offset. Sends nothing.
 */
export async function prepareSpa(request: SpaPrepareRequest): Promise<PreparedSpa> {
  const { options } = request;
  const clock = request.clock ?? systemClock;
  const random = request.random ?? cryptoSpaRandom;
  const allowIp = await allowIpFor(request);
  throwIfAborted(request.signal);
  const natPort = options.natRandPort ? randomPort(random) : options.natPort;
  const serverPort = options.randPort ? randomPort(random) : options.serverPort;
  const first = options.access[0];
  // --nat-port asks for the door on another port, which fwknopd translates to the access port.
  const access =
    natPort !== undefined && first ? [{ protocol: first.protocol, port: natPort }] : options.access;
  const nat = options.nat;
  const natAccess =
    nat.mode === 'forward'
      ? `${nat.host},${nat.port ?? first?.port}`
      : nat.mode === 'local'
        ? `${request.host},${first?.port}`
        : undefined;
  const fields: SpaFields = {
    randomValue: random.randomValue(),
    username: options.username ?? request.defaultUsername ?? systemUsername(),
    timestamp: Math.floor(clock.now() / 1000) + options.timeOffsetSeconds,
    version: SPA_VERSION,
    messageType: messageTypeFor(nat.mode, options.clientTimeout),
    message: `${allowIp},${formatAccessList(access)}`,
    ...(natAccess !== undefined && { natAccess }),
    ...(options.clientTimeout > 0 && { clientTimeout: options.clientTimeout }),
  };
  const packet = buildSpaPacket({
    fields,
    keys: request.keys,
    digestType: options.digestType,
    hmacDigestType: options.hmacDigestType,
    encryptionMode: options.encryptionMode,
    salt: random.salt(),
  });
  return { packet, allowIp, serverPort, ...(natPort !== undefined && { natPort }) };
}

/**
 * Sends one SPA packet to an fwknopd host: resolves the host once (IPv4), builds a new packet and
 * sends it over the chosen transport. The SPA counterpart of `knock()`.
 */
export async function sendSpa(request: SpaRequest): Promise<SpaResult> {
  const clock = request.clock ?? systemClock;
  const startedAt = clock.now();
  const started = clock.monotonic();
  if (request.family === 'ipv6') {
    throw new SpaError('fwknopd reads SPA packets over IPv4 only: leave out IPv6-only (-6)');
  }
  const target = await resolveHost(request.host, 'ipv4', request.signal);
  const prepared = await prepareSpa(request);
  const bytesSent = await sendSpaData(prepared.packet.wire, {
    transport: request.options.transport,
    address: target.address,
    port: prepared.serverPort,
    hostHeader: request.host,
    userAgent: request.options.httpUserAgent,
    signal: request.signal,
  });
  return {
    ...prepared,
    host: request.host,
    address: target.address,
    family: 4,
    transport: request.options.transport,
    bytesSent,
    sentAt: clock.now(),
    startedAt,
    durationMs: clock.monotonic() - started,
  };
}
