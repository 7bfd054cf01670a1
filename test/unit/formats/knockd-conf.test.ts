import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTcpFlags, parseKnockdConf } from '../../../src/formats/knockd-conf.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/knockd/${name}`, import.meta.url), 'utf8');

describe('parseKnockdConf', () => {
  it("reads knockd's own sample configuration, as Debian installs it", () => {
    const parsed = parseKnockdConf(fixture('debian-knockd.conf'));
    expect(parsed.issues).toEqual([]);
    expect(parsed.options).toEqual({ useSyslog: true });
    expect(
      parsed.doors.map((door) => ({
        name: door.name,
        line: door.line,
        sequence: door.sequence?.value.map((hit) => hit.port),
        seqTimeout: door.seqTimeout?.value,
        tcpflags: door.tcpFlags && formatTcpFlags(door.tcpFlags.value),
        command: door.startCommand?.value,
      })),
    ).toEqual([
      {
        name: 'openSSH',
        line: 4,
        sequence: [7000, 8000, 9000],
        seqTimeout: 5,
        tcpflags: 'syn',
        command: '/sbin/iptables -A INPUT -s %IP% -p tcp --dport 22 -j ACCEPT',
      },
      {
        name: 'closeSSH',
        line: 10,
        sequence: [9000, 8000, 7000],
        seqTimeout: 5,
        tcpflags: 'syn',
        command: '/sbin/iptables -D INPUT -s %IP% -p tcp --dport 22 -j ACCEPT',
      },
      {
        name: 'openHTTPS',
        line: 16,
        sequence: [12345, 54321, 24680, 13579],
        seqTimeout: 5,
        tcpflags: 'syn',
        command: '/usr/local/sbin/knock_add -i -c INPUT -p tcp -d 443 -f %IP%',
      },
    ]);
  });

  it('reports every mistake of a malformed file with its line and what to do', () => {
    expect(parseKnockdConf(fixture('malformed.conf')).issues).toEqual([
      {
        line: 2,
        severity: 'error',
        message: "LogFile is outside any section: put it under [options] or a door's [name]",
      },
      {
        line: 4,
        severity: 'error',
        message: 'UseSyslog is a bare flag: write UseSyslog alone (knockd refuses a value)',
      },
      {
        line: 6,
        severity: 'error',
        message: "Sequence belongs in a door's section, not in [options]",
      },
      {
        line: 7,
        severity: 'error',
        message:
          'unknown key Frobnicate in [options] (knockd knows UseSyslog, LogFile, PidFile, Interface)',
      },
      {
        line: 10,
        severity: 'error',
        message: 'sequence: "icmp" is not a protocol (tcp or udp)',
      },
      {
        line: 11,
        severity: 'error',
        message: 'seq_timeout must be a whole number of seconds from 1 to 86400, not "five"',
      },
      {
        line: 12,
        severity: 'error',
        message:
          'tcpflags: "xmas" is not a TCP flag (fin, syn, rst, psh, ack, urg, each may start with !)',
      },
      {
        line: 14,
        severity: 'error',
        message:
          'unknown key sequnce in [ssh] (knockd knows sequence, one_time_sequences, seq_timeout, tcpflags, start_command, start_command_6, stop_command, stop_command_6, cmd_timeout, target)',
      },
      {
        line: 16,
        severity: 'error',
        message: '"[web" is not a section: a section is [name] on a line alone',
      },
      {
        line: 17,
        severity: 'error',
        message: 'a section needs a name: [options], or the name of a door',
      },
      {
        line: 18,
        severity: 'error',
        message: 'the door [empty] has no sequence: give sequence = … or one_time_sequences = …',
      },
      {
        line: 24,
        severity: 'warning',
        message: 'seq_timeout is set again (first on line 23): knockd uses this one',
      },
      { line: 26, severity: 'error', message: '"just words" is not key = value' },
      {
        line: 27,
        severity: 'error',
        message: 'the door [good] is already defined on line 21: rename one',
      },
    ]);
  });

  it('takes keys in any case, the aliases Timeout and Command, and every door key', () => {
    const parsed = parseKnockdConf(`[options]
  logfile = /var/log/knockd.log
  PIDFILE = /run/knockd.pid
  Interface = ens3
[door]
  SEQUENCE = 31877:udp, 12034
  Timeout = 9
  Command = /usr/sbin/ipset add -exist allow %IP%
  start_command_6 = /usr/sbin/ipset add -exist allow6 %IP%
  TCPFlags = SYN,!ack
  cmd_timeout = 60
  stop_command = /usr/sbin/ipset del -exist allow %IP%
  Stop_Command_6 = /usr/sbin/ipset del -exist allow6 %IP%
  target = 192.0.2.10
[list]
  one_time_sequences = /etc/knockd/list
`);
    expect(parsed.issues).toEqual([]);
    expect(parsed.options).toEqual({
      useSyslog: false,
      logFile: '/var/log/knockd.log',
      pidFile: '/run/knockd.pid',
      interface: 'ens3',
    });
    const [door, list] = parsed.doors;
    expect(door?.sequence?.value).toEqual([
      { port: 31877, protocol: 'udp' },
      { port: 12034, protocol: 'tcp' },
    ]);
    expect(door?.seqTimeout?.value).toBe(9);
    expect(door?.startCommand?.value).toBe('/usr/sbin/ipset add -exist allow %IP%');
    expect(door?.tcpFlags && formatTcpFlags(door.tcpFlags.value)).toBe('syn,!ack');
    expect(door?.cmdTimeout?.value).toBe(60);
    expect(door?.stopCommand6?.line).toBe(13);
    expect(door?.target?.value).toBe('192.0.2.10');
    expect(list?.oneTimeSequences).toEqual({ value: '/etc/knockd/list', line: 16 });
  });

  it('refuses a comment after a value, which knockd would read as part of it', () => {
    expect(parseKnockdConf('[d]\nsequence = 1,2,3 # my door\n').issues).toEqual([
      {
        line: 2,
        severity: 'error',
        message:
          'sequence: knockd does not cut a comment after a value: put the comment on a line of its own',
      },
    ]);
  });

  it('refuses a door with both a sequence and a one-time list', () => {
    expect(
      parseKnockdConf('[d]\nsequence = 1,2,3\none_time_sequences = /etc/list\n').issues,
    ).toEqual([
      {
        line: 3,
        severity: 'error',
        message:
          'the door [d] has both sequence and one_time_sequences: knockd uses only the later one; keep one',
      },
    ]);
  });

  it('never throws, whatever the text: only doors and issues with lines', () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom('[options]', '[door]', '[', ']', 'UseSyslog', '#', '=', ' = '),
      fc
        .tuple(
          fc.constantFrom('sequence', 'seq_timeout', 'tcpflags', 'Command', 'target', 'x'),
          fc.string(),
        )
        .map(([key, value]) => `${key} = ${value}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines.join('\n');
        const parsed = parseKnockdConf(text);
        const count = text.split('\n').length;
        for (const issue of parsed.issues) {
          expect(issue.line).toBeGreaterThanOrEqual(1);
          expect(issue.line).toBeLessThanOrEqual(count);
          expect(issue.message).not.toBe('');
        }
        for (const door of parsed.doors) {
          const usable = door.sequence !== undefined || door.oneTimeSequences !== undefined;
          expect(usable || parsed.issues.some((issue) => issue.severity === 'error')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
