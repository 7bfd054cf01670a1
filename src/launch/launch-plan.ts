import type { z } from 'zod';
import { checkHost } from '../net/host-name.js';
import { isIPv6 } from '../net/ip-address.js';
import { accountSchema, portSchema } from '../servers/field-schemas.js';

/**
 * One program to start and its arguments, exactly as the operating system gets them. Sesame
 * never joins them into a string for a shell: every value stays one argument.
 */
export interface LaunchPlan {
  readonly file: string;
  readonly args: readonly string[];
  /**
   * The program only hands the work to another one and exits at once (`open`, `osascript`):
   * wait for it and report its failure, rather than only that it started.
   */
  readonly waitForExit?: boolean;
}

/** A launch that cannot be made, with what to do about it. */
export class LaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LaunchError';
  }
}

/**
 * The values that end up in a command line are checked again here, although the server schema
 * already refused them: a builder must be safe on its own, whatever object it is handed.
 */
export function launchHost(host: string): string {
  const checked = checkHost(host);
  if (!checked.ok || checked.host.startsWith('-') || checked.host !== host) {
    throw new LaunchError(`"${printable(host)}" is not a host name or an IP address`);
  }
  return checked.host;
}

export function launchPort(port: number): number {
  return checkedValue(portSchema, port, 'port');
}

export function launchUser(user: string): string {
  return checkedValue(accountSchema, user, 'user name');
}

export function checkedValue<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new LaunchError(`the ${what} cannot be used: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}

/** `host:port`, with an IPv6 address in brackets as every client wants it. */
export function hostAndPort(host: string, port: number): string {
  return `${bracketed(host)}:${port}`;
}

export function bracketed(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 64 ? `${clean.slice(0, 61)}...` : clean;
}
