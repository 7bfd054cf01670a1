import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cleanup } from './cleanup.js';
import type { Lab } from './netns.js';
import { waitFor } from './run.js';

export interface KnockdDoor {
  readonly name: string;
  /** knockd syntax: `7000,8000:udp,9000`. Leave out when `oneTimeSequences` is given. */
  readonly sequence?: string;
  readonly seqTimeout?: number;
  readonly tcpflags?: string;
  readonly startCommand?: string;
  readonly startCommand6?: string;
  readonly stopCommand?: string;
  readonly cmdTimeout?: number;
  /** Path of a one_time_sequences file. */
  readonly oneTimeSequences?: string;
}

export interface Knockd {
  readonly configPath: string;
  readonly logPath: string;
  log(): string;
  /** Waits until knockd logs `<ip>: <door>: OPEN SESAME`. */
  waitForOpen(clientIp: string, door: string, timeoutMs?: number): Promise<void>;
  opened(clientIp: string, door: string): number;
}

/** Writes a knockd.conf for the doors and runs a real knockd on the server's veth, in the foreground. */
export async function startKnockd(
  lab: Lab,
  cleanup: Cleanup,
  workDir: string,
  doors: readonly KnockdDoor[],
): Promise<Knockd> {
  const configPath = join(workDir, 'knockd.conf');
  const logPath = join(workDir, 'knockd.log');
  writeFileSync(configPath, knockdConfig(logPath, doors));
  writeFileSync(logPath, '');
  // knockd's "UseSyslog = no" is a syntax error (a bare flag); setting LogFile is enough.
  const child = lab.server.start(cleanup, 'knockd', ['-i', lab.serverIf, '-c', configPath]);
  child.stdout?.resume();
  child.stderr?.resume();
  const log = (): string => readFileSync(logPath, 'utf8');
  await waitFor('knockd to listen', () => log().includes(`listening on ${lab.serverIf}`), 10_000);
  const opened = (clientIp: string, door: string): number =>
    log()
      .split('\n')
      .filter((line) => line.includes(`${clientIp}: ${door}: OPEN SESAME`)).length;
  return {
    configPath,
    logPath,
    log,
    opened,
    waitForOpen: async (clientIp, door, timeoutMs = 3000) => {
      await waitFor(
        `knockd to open ${door} for ${clientIp}`,
        () => opened(clientIp, door) > 0,
        timeoutMs,
      );
    },
  };
}

export function knockdConfig(logPath: string, doors: readonly KnockdDoor[]): string {
  const lines = ['[options]', `    LogFile = ${logPath}`];
  for (const door of doors) {
    lines.push(`[${door.name}]`);
    const set = (key: string, value: string | number | undefined): void => {
      if (value !== undefined) lines.push(`    ${key.padEnd(18)} = ${value}`);
    };
    set('sequence', door.sequence);
    set('one_time_sequences', door.oneTimeSequences);
    set('seq_timeout', door.seqTimeout ?? 10);
    set('tcpflags', door.tcpflags);
    set('start_command', door.startCommand);
    set('start_command_6', door.startCommand6);
    set('cmd_timeout', door.cmdTimeout);
    set('stop_command', door.stopCommand);
  }
  return `${lines.join('\n')}\n`;
}
