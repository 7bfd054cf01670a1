import { isIPv4 } from '../net/ip-address.js';

/**
 * What the setup helper makes: blocks of text to paste on the server, each with one sentence
 * that says what it does. Every value in them is a number, an address checked as one, a base64
 * key or a name built from `[a-z0-9_-]` only: no text a person typed reaches a shell command or a
 * configuration line as it was typed (the server's name becomes a slug first).
 */
export interface SetupBlock {
  /** Stable, for the window: knockd-door, one-time-list, ipset-iptables, nftables, nat, fwknopd-access, fwknopd-conf, spa-iptables. */
  readonly id: string;
  readonly title: string;
  /** Where it goes on the server, when it is a file. */
  readonly file?: string;
  readonly explanation: string;
  readonly language: 'knockd' | 'shell' | 'nft' | 'fwknopd';
  readonly text: string;
  /** The text holds the knock sequence or the SPA keys. */
  readonly secret: boolean;
}

export interface ServerSetup {
  readonly blocks: SetupBlock[];
  readonly warnings: string[];
}

export interface SetupOptions {
  /** iptables with ipset (default), or nftables. */
  readonly firewall?: 'iptables' | 'nftables';
  /** The ipset name (default `sesame-<server>`). */
  readonly setName?: string;
  /** Remove the address again after this many seconds (knockd's cmd_timeout, fwknopd's FW_ACCESS_TIMEOUT). */
  readonly stopAfterSeconds?: number;
  /** The port the door protects (default: the check port, else SSH's, else RDP's). */
  readonly port?: number;
  /** Forward the protected port to a machine on the LAN (the article's RDP example). */
  readonly nat?: { readonly host: string; readonly port: number };
  /** False: the sequence and keys are left as placeholders. */
  readonly withSecrets?: boolean;
}

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

/** A name for knockd doors, files and firewall objects: `[a-z0-9-]`, at most 20 characters. */
export function slugOf(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 20)
    .replace(/-+$/, '');
  return slug === '' ? 'door' : slug;
}

/** ipset allows 31 characters; the IPv6 set adds "-6". */
const SET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,28}$/;

export function checkSetName(name: string): string {
  if (!SET_NAME.test(name)) {
    throw new SetupError(
      `"${name.slice(0, 40)}" cannot be an ipset name: 1-29 letters, digits, "-" and "_", starting with a letter or digit`,
    );
  }
  return name;
}

export function checkSeconds(seconds: number, what: string): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw new SetupError(`${what} is a whole number of seconds from 1 to 86400`);
  }
  return seconds;
}

export function checkPort(port: number, what: string): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SetupError(`${what} is a port from 1 to 65535`);
  }
  return port;
}

/** The LAN machine of the NAT variant: an IPv4 address (DNAT needs one) and a port. */
export function checkNat(nat: { host: string; port: number }): { host: string; port: number } {
  if (!isIPv4(nat.host)) {
    throw new SetupError(
      `the LAN machine "${nat.host.slice(0, 40)}" must be an IPv4 address, e.g. 192.168.1.20`,
    );
  }
  return { host: nat.host, port: checkPort(nat.port, 'the LAN port') };
}

/** `HOST:PORT`, as `sesame server-setup --nat` takes it. */
export function parseNatTarget(text: string): { host: string; port: number } {
  const match = /^([^:]+):(\d{1,5})$/.exec(text.trim());
  if (!match) throw new SetupError(`--nat "${text}" is not LANHOST:PORT, e.g. 192.168.1.20:3389`);
  return checkNat({ host: match[1] ?? '', port: Number(match[2]) });
}
