import { base64NoPad, decodeBase64 } from './spa-base64.js';
import { SpaError } from './spa-error.js';
import { usernameProblem } from './spa-vocabulary.js';

export { MAX_USERNAME_LENGTH, usernameProblem } from './spa-vocabulary.js';

/**
 * The plaintext inside an SPA packet (libfko's fko_encode.c / fko_decode.c), fields joined by
 * `:`: random value, username (base64), timestamp, version, message type, message (base64), then
 * for NAT types the NAT destination (base64), then for timeout types the client timeout.
 */
export const SPA_VERSION = '3.0.0';

/** libfko's message types. Command messages (0) are not something Sesame sends. */
export const MESSAGE_TYPES = {
  access: 1,
  natAccess: 2,
  clientTimeoutAccess: 3,
  clientTimeoutNatAccess: 4,
  localNatAccess: 5,
  clientTimeoutLocalNatAccess: 6,
} as const;
export type MessageTypeName = keyof typeof MESSAGE_TYPES;
export type MessageType = (typeof MESSAGE_TYPES)[MessageTypeName];

/** How `fwknop -v` names each type, so Sesame's `-v` reads the same. */
export const MESSAGE_TYPE_LABELS: Record<MessageType, string> = {
  1: 'Access msg',
  2: 'NAT access msg',
  3: 'Client timeout access msg',
  4: 'Client timeout NAT access msg',
  5: 'Local NAT access msg',
  6: 'Client timeout local NAT access msg',
};

export type NatKind = 'none' | 'forward' | 'local';

/** The message type for a request: a client timeout above 0 turns each kind into its timeout twin. */
export function messageTypeFor(nat: NatKind, clientTimeout: number): MessageType {
  const timeout = clientTimeout > 0;
  if (nat === 'forward') return timeout ? 4 : 2;
  if (nat === 'local') return timeout ? 6 : 5;
  return timeout ? 3 : 1;
}

export function isNatType(type: MessageType): boolean {
  return type === 2 || type === 4 || type === 5 || type === 6;
}

export function isTimeoutType(type: MessageType): boolean {
  return type === 3 || type === 4 || type === 6;
}

export interface SpaFields {
  /** 16 decimal digits, new for every packet: with the salt, what makes each packet unique. */
  readonly randomValue: string;
  readonly username: string;
  /** Unix seconds, the client's clock plus any time offset. */
  readonly timestamp: number;
  readonly version: string;
  readonly messageType: MessageType;
  /** `allowIp,proto/port[,proto/port…]`. */
  readonly message: string;
  /** `host,port`, for NAT types only. */
  readonly natAccess?: string;
  /** Seconds, for the client-timeout types only. */
  readonly clientTimeout?: number;
}

/** libfko's limits (fko_limits.h). */
export const MAX_MESSAGE_LENGTH = 255;
export const MAX_NAT_ACCESS_LENGTH = 127;
export const RANDOM_VALUE_DIGITS = 16;

/** Builds the plaintext string (without the digest) from the fields. */
export function encodeSpaFields(fields: SpaFields): string {
  if (!/^\d{16}$/.test(fields.randomValue)) {
    throw new SpaError('the random value must be exactly 16 decimal digits');
  }
  const problem = usernameProblem(fields.username);
  if (problem !== undefined) throw new SpaError(problem);
  if (fields.message.length === 0 || fields.message.length > MAX_MESSAGE_LENGTH) {
    throw new SpaError(
      `the access message must be 1-${MAX_MESSAGE_LENGTH} characters (it is ${fields.message.length}): request fewer ports`,
    );
  }
  const parts = [
    fields.randomValue,
    base64NoPad(fields.username),
    String(fields.timestamp),
    fields.version,
    String(fields.messageType),
    base64NoPad(fields.message),
  ];
  if (isNatType(fields.messageType)) {
    if (fields.natAccess === undefined || fields.natAccess === '') {
      throw new SpaError('a NAT request needs a NAT destination (host,port)');
    }
    if (fields.natAccess.length > MAX_NAT_ACCESS_LENGTH) {
      throw new SpaError(`the NAT destination is longer than ${MAX_NAT_ACCESS_LENGTH} characters`);
    }
    parts.push(base64NoPad(fields.natAccess));
  }
  if (isTimeoutType(fields.messageType)) {
    const timeout = fields.clientTimeout ?? 0;
    if (!Number.isInteger(timeout) || timeout < 1) {
      throw new SpaError('a client-timeout request needs a timeout of at least 1 second');
    }
    parts.push(String(timeout));
  }
  return parts.join(':');
}

/**
 * Reads the plaintext (without the digest) back into fields, with fwknopd's checks; throws a
 * SpaError naming the first field that is wrong.
 */
export function decodeSpaFields(encoded: string): SpaFields {
  const parts = encoded.split(':');
  const [randomValue, user64, timestamp, version, type, message64, ...rest] = parts;
  if (message64 === undefined) throw new SpaError('the SPA message has too few fields');
  if (!/^\d{16}$/.test(randomValue ?? '')) {
    throw new SpaError('the random value is not 16 digits');
  }
  const messageType = Number(type);
  if (!/^[1-6]$/.test(type ?? '')) throw new SpaError(`unknown message type "${type}"`);
  const typed = messageType as MessageType;
  const text = (field: string, what: string): string => {
    const bytes = decodeBase64(field);
    if (bytes === undefined) throw new SpaError(`the ${what} is not base64`);
    return bytes.toString('utf8');
  };
  const username = text(user64 ?? '', 'username');
  const problem = usernameProblem(username);
  if (problem !== undefined) throw new SpaError(problem);
  if (!/^\d{1,12}$/.test(timestamp ?? '')) throw new SpaError('the timestamp is not a number');
  if ((version ?? '').length < 1 || (version ?? '').length > 8) {
    throw new SpaError('the version field is not 1-8 characters');
  }
  const fields: {
    -readonly [K in keyof SpaFields]: SpaFields[K];
  } = {
    randomValue: randomValue ?? '',
    username,
    timestamp: Number(timestamp),
    version: version ?? '',
    messageType: typed,
    message: text(message64, 'access message'),
  };
  const remaining = [...rest];
  if (isNatType(typed)) {
    const nat = remaining.shift();
    if (nat === undefined) throw new SpaError('the NAT destination is missing');
    fields.natAccess = text(nat, 'NAT destination');
  }
  if (isTimeoutType(typed)) {
    const timeout = remaining.pop();
    if (timeout === undefined || !/^\d+$/.test(timeout)) {
      throw new SpaError('the client timeout is missing or not a number');
    }
    fields.clientTimeout = Number(timeout);
  }
  // What is left would be fwknop's optional server_auth field, which no fwknop client sends.
  if (remaining.length > 1) throw new SpaError('the SPA message has too many fields');
  return fields;
}
