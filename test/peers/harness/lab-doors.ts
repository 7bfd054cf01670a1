import type { FwknopdStanza } from './fwknopd.js';
import type { KnockdDoor } from './knockd.js';

/**
 * The doors the lab's server namespace guards in the tests, the soak and the benchmarks, and
 * how a person saves each one with `sesame servers add`: one definition, so the door knockd or
 * fwknopd runs and the server Sesame knocks on always match.
 */

/** knockd's door in front of port 22: three SYN hits, seq_timeout 5 s, the client into an ipset. */
export const LAB_KNOCKD_DOOR: KnockdDoor = {
  name: 'door',
  sequence: '7000,8000,9000',
  tcpflags: 'syn',
  seqTimeout: 5,
  startCommand: 'ipset add -exist whitelist %IP%',
};

/** `sesame servers add NAME` for the knockd door at `host`, checked on port 22. */
export function addLabDoorArgs(name: string, host: string): string[] {
  return [
    'servers',
    'add',
    name,
    '--host',
    host,
    '--sequence',
    LAB_KNOCKD_DOOR.sequence ?? '',
    '--check',
    '22',
    '--seq-timeout',
    String(LAB_KNOCKD_DOOR.seqTimeout),
  ];
}

/** fwknopd's door: SPA with fixed test keys opens this port. */
export const LAB_SPA_PORT = 2222;
const SPA_KEY = Buffer.alloc(32, 0x5a).toString('base64');
const SPA_HMAC = Buffer.alloc(64, 0xa5).toString('base64');

/** The access.conf stanza of the SPA door; it lets in only the address the packet names. */
export const LAB_SPA_STANZA: FwknopdStanza = {
  openPorts: `tcp/${LAB_SPA_PORT}`,
  keyBase64: SPA_KEY,
  hmacKeyBase64: SPA_HMAC,
  requireSourceAddress: true,
};

/**
 * `sesame servers add NAME --spa` for the SPA door at `host`; -R: the packet carries the public
 * IP the watcher found, as `fwknop -R` does.
 */
export function addLabSpaDoorArgs(name: string, host: string): string[] {
  return [
    'servers',
    'add',
    name,
    '--host',
    host,
    '--check',
    String(LAB_SPA_PORT),
    '--spa',
    '--no-rc-file',
    '-A',
    `tcp/${LAB_SPA_PORT}`,
    '-R',
    '--key-base64-rijndael',
    SPA_KEY,
    '--key-base64-hmac',
    SPA_HMAC,
  ];
}
