import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import type { Lab } from './netns.js';
import { waitFor } from './run.js';

/** One access.conf stanza (fwknopd(8), ACCESS.CONF VARIABLES). */
export interface FwknopdStanza {
  readonly source?: string;
  /** Only packets to this address reach the stanza: one server address per configuration. */
  readonly destination?: string;
  readonly openPorts?: string;
  readonly key?: string;
  readonly keyBase64?: string;
  readonly hmacKeyBase64?: string;
  readonly hmacDigestType?: string;
  readonly encryptionMode?: string;
  readonly requireSourceAddress?: boolean;
  readonly fwAccessTimeout?: number;
  readonly extra?: Readonly<Record<string, string>>;
}

/** fwknopd.conf variables beyond the ones every test needs. */
export interface FwknopdOptions {
  readonly pcapFilter?: string;
  readonly extra?: Readonly<Record<string, string>>;
}

export interface Fwknopd {
  readonly configPath: string;
  readonly accessPath: string;
  readonly logPath: string;
  /** Everything fwknopd has printed so far. */
  log(): string;
  /** A position in the log, to look only at what comes after it. */
  mark(): number;
  /** Waits until a line after `since` matches, and returns it. */
  waitForLog(pattern: RegExp, options?: { since?: number; timeoutMs?: number }): Promise<string>;
  /** fwknopd's rules in a chain of the server's firewall, as `iptables -S` prints them. */
  rules(chain: string, table?: string): Promise<string>;
  /** Closes every door fwknopd opened: empties its chains (fwknopd keeps running). */
  closeDoors(): Promise<void>;
}

const IPTABLES = '/usr/sbin/iptables-nft';

/**
 * Writes fwknopd.conf and access.conf and runs a real fwknopd in the server namespace, in the
 * foreground with -v (every decoded packet and every firewall command is logged), until the
 * cleanup stops it; on SIGTERM fwknopd removes its own chains.
 */
export async function startFwknopd(
  lab: Lab,
  cleanup: Cleanup,
  workDir: string,
  stanzas: readonly FwknopdStanza[],
  options: FwknopdOptions = {},
): Promise<Fwknopd> {
  const runDir = join(workDir, 'fwknop-run');
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const configPath = join(workDir, 'fwknopd.conf');
  const accessPath = join(workDir, 'access.conf');
  const logPath = join(workDir, 'fwknopd.log');
  writeFileSync(
    configPath,
    fwknopdConfig({
      PCAP_INTF: lab.serverIf,
      PCAP_FILTER: options.pcapFilter ?? 'udp port 62201',
      ENABLE_PCAP_PROMISC: 'N',
      FWKNOP_RUN_DIR: runDir,
      FIREWALL_EXE: IPTABLES,
      LOCALE: 'C',
      ...options.extra,
    }),
    { mode: 0o600 },
  );
  writeFileSync(accessPath, accessConfig(stanzas), { mode: 0o600 });
  writeFileSync(logPath, '');
  let text = '';
  const child = lab.server.start(cleanup, 'fwknopd', [
    '-f',
    '-v',
    '-c',
    configPath,
    '-a',
    accessPath,
    '-p',
    join(runDir, 'fwknopd.pid'),
  ]);
  const collect = (chunk: Buffer): void => {
    text += chunk.toString();
    appendFileSync(logPath, chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await waitFor(
    'fwknopd to reach its main event loop',
    () => text.includes('main event loop'),
    15_000,
  );

  const iptables = (args: string[]) => lab.server.run(IPTABLES, args);
  return {
    configPath,
    accessPath,
    logPath,
    log: () => text,
    mark: () => text.length,
    waitForLog: async (pattern, { since = 0, timeoutMs = 5000 } = {}) =>
      waitFor(
        `fwknopd to log ${String(pattern)}`,
        () =>
          text
            .slice(since)
            .split('\n')
            .find((line) => pattern.test(line)),
        timeoutMs,
      ),
    rules: async (chain, table = 'filter') => (await iptables(['-t', table, '-S', chain])).stdout,
    closeDoors: async () => {
      for (const [table, chain] of [
        ['filter', 'FWKNOP_INPUT'],
        ['filter', 'FWKNOP_FORWARD'],
        ['nat', 'FWKNOP_PREROUTING'],
      ] as const) {
        await iptables(['-t', table, '-F', chain]);
      }
    },
  };
}

export function fwknopdConfig(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key.padEnd(26)}${value};\n`)
    .join('');
}

export function accessConfig(stanzas: readonly FwknopdStanza[]): string {
  const blocks = stanzas.map((stanza) => {
    const lines: [string, string | undefined][] = [
      ['SOURCE', stanza.source ?? 'ANY'],
      ['DESTINATION', stanza.destination],
      ['OPEN_PORTS', stanza.openPorts],
      ['KEY', stanza.key],
      ['KEY_BASE64', stanza.keyBase64],
      ['HMAC_KEY_BASE64', stanza.hmacKeyBase64],
      ['HMAC_DIGEST_TYPE', stanza.hmacDigestType],
      ['ENCRYPTION_MODE', stanza.encryptionMode],
      ['REQUIRE_SOURCE_ADDRESS', stanza.requireSourceAddress === false ? 'N' : 'Y'],
      ['FW_ACCESS_TIMEOUT', String(stanza.fwAccessTimeout ?? 30)],
      ...Object.entries(stanza.extra ?? {}),
    ];
    return lines
      .filter((line): line is [string, string] => line[1] !== undefined)
      .map(([key, value]) => `${key.padEnd(26)}${value}`)
      .join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}
