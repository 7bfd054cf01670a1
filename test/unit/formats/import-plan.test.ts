import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyImport,
  describePlanProblems,
  detectFormat,
  type ImportPlan,
  planImport,
} from '../../../src/formats/import-plan.js';

const fixture = (path: string) =>
  readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8');

/** A plan as the window would show it: no draft, no secret. */
const summary = (plan: ImportPlan) =>
  plan.servers.map(({ source, name, host, method, selected, hasSecret, warnings, problems }) => ({
    source,
    name,
    host,
    method,
    selected,
    hasSecret,
    warnings,
    problems,
  }));

describe('importing a knockd.conf', () => {
  const debian = fixture('knockd/debian-knockd.conf');

  it("turns the doors of knockd's sample into knock servers on the host given", async () => {
    const plan = await planImport(debian, { host: 'knock.example.com' }, []);
    expect(plan.format).toBe('knockd');
    expect(plan.ready).toBe(true);
    expect(summary(plan)).toEqual([
      {
        source: 'openSSH',
        name: 'openSSH',
        host: 'knock.example.com',
        method: 'knock',
        selected: true,
        hasSecret: true,
        warnings: ['the check port 22 is taken from the start command'],
        problems: [],
      },
      {
        source: 'closeSSH',
        name: 'closeSSH',
        host: 'knock.example.com',
        method: 'knock',
        selected: true,
        hasSecret: true,
        warnings: [
          'its start command removes access (-D, del): it closes a door, so do not let Sesame knock on it by itself',
          'the check port 22 is taken from the start command',
        ],
        problems: [],
      },
      {
        source: 'openHTTPS',
        name: 'openHTTPS',
        host: 'knock.example.com',
        method: 'knock',
        selected: true,
        hasSecret: true,
        warnings: [],
        problems: [],
      },
    ]);
    const [open, close] = plan.servers;
    expect(open?.draft).toEqual({
      name: 'openSSH',
      host: 'knock.example.com',
      method: { kind: 'knock', seqTimeoutSeconds: 5 },
      checkPort: 22,
    });
    expect(open?.secret).toEqual({ kind: 'knock', sequence: '7000,8000,9000' });
    expect(close?.draft?.auto).toEqual({ onIpChange: false, atStart: false, keepAliveMinutes: 0 });
  });

  it('imports only the doors picked, by name in any case', async () => {
    const plan = await planImport(debian, { host: 'h.example.com', only: ['openssh'] }, []);
    expect(plan.servers.map((s) => [s.source, s.selected])).toEqual([
      ['openSSH', true],
      ['closeSSH', false],
      ['openHTTPS', false],
    ]);
    expect(plan.ready).toBe(true);
  });

  it('needs the host, and says so for each door', async () => {
    const plan = await planImport(debian, { only: ['openHTTPS'] }, []);
    expect(plan.ready).toBe(false);
    expect(describePlanProblems(plan)).toEqual([
      '[openHTTPS] (line 16): knockd.conf does not say which host this door is on: give the host',
    ]);
  });

  it('names a picked door that is not in the file, and the doors that are', async () => {
    const plan = await planImport(debian, { host: 'h.example.com', only: ['ssh'] }, []);
    expect(describePlanProblems(plan)).toEqual([
      'the file has no door "ssh" (it has openSSH, closeSSH, openHTTPS)',
    ]);
  });

  it('refuses a name already taken, or renames it when asked', async () => {
    const refused = await planImport(debian, { host: 'h.example.com' }, ['OpenSSH']);
    expect(refused.ready).toBe(false);
    expect(refused.servers[0]?.problems).toEqual([
      'a server named "openSSH" already exists: rename it there first, or import with renaming (it would be saved as "openSSH (2)")',
    ]);
    const renamed = await planImport(debian, { host: 'h.example.com', onClash: 'rename' }, [
      'openSSH',
      'openSSH (2)',
    ]);
    expect(renamed.ready).toBe(true);
    expect(renamed.servers[0]?.name).toBe('openSSH (3)');
    expect(renamed.servers[0]?.draft?.name).toBe('openSSH (3)');
    expect(renamed.servers[0]?.warnings).toContain(
      'a server named "openSSH" exists: this one is saved as "openSSH (3)"',
    );
  });

  it('takes the one-time sequences from the file the person gives, and needs a check port', async () => {
    const text = '[otp]\n  one_time_sequences = /etc/knockd/otp\n  tcpflags = syn\n';
    const missing = await planImport(text, { host: 'h.example.com' }, []);
    expect(missing.servers[0]?.problems).toEqual([
      'this door reads its sequences from /etc/knockd/otp on the server: give the contents of that file',
    ]);
    const noCheck = await planImport(
      text,
      { host: 'h.example.com', oneTimeLists: { OTP: '# used\n#31877,12034\n 40123,22871\n' } },
      [],
    );
    expect(noCheck.servers[0]?.problems).toEqual([
      'checkPort: one-time sequences need a check port: Sesame moves to the next sequence only once it sees the door open',
    ]);
    const ready = await planImport(
      text,
      {
        host: 'h.example.com',
        checkPort: 22,
        oneTimeLists: { otp: ' 40123,22871\n 51234,12987\n' },
      },
      [],
    );
    expect(ready.ready).toBe(true);
    expect(ready.servers[0]?.secret).toEqual({
      kind: 'knock',
      oneTimeSequences: ['40123,22871', '51234,12987'],
    });
    expect(ready.servers[0]?.draft?.method).toEqual({ kind: 'knock', oneTime: true });
  });

  it('warns where the door wants TCP flags that one SYN per hit does not match', async () => {
    const plan = await planImport(
      '[a]\nsequence = 31877,12034,48211\n[b]\nsequence = 31877,12034,48211\ntcpflags = syn,ack\n[c]\nsequence = 1,2,3\ntcpflags = syn,!ack\n',
      { host: 'h.example.com' },
      [],
    );
    expect(plan.servers.map((server) => server.warnings)).toEqual([
      [
        'the door has no tcpflags: knockd then counts every TCP packet to its ports; set tcpflags = syn on the server',
      ],
      [
        "the door wants tcpflags = syn,ack, which Sesame's hits (one SYN each) never match: set tcpflags = syn on the server",
      ],
      [],
    ]);
  });

  it("keeps a door's own errors with that door, and stops the file for errors outside doors", async () => {
    const plan = await planImport(fixture('knockd/malformed.conf'), { host: 'h.example.com' }, []);
    expect(describePlanProblems(plan)).toEqual([
      "line 2: LogFile is outside any section: put it under [options] or a door's [name]",
      'line 4: UseSyslog is a bare flag: write UseSyslog alone (knockd refuses a value)',
      "line 6: Sequence belongs in a door's section, not in [options]",
      'line 7: unknown key Frobnicate in [options] (knockd knows UseSyslog, LogFile, PidFile, Interface)',
      'line 10, [ssh]: sequence: "icmp" is not a protocol (tcp or udp)',
      'line 11, [ssh]: seq_timeout must be a whole number of seconds from 1 to 86400, not "five"',
      'line 12, [ssh]: tcpflags: "xmas" is not a TCP flag (fin, syn, rst, psh, ack, urg, each may start with !)',
      'line 14, [ssh]: unknown key sequnce in [ssh] (knockd knows sequence, one_time_sequences, seq_timeout, tcpflags, start_command, start_command_6, stop_command, stop_command_6, cmd_timeout, target)',
      'line 16, [ssh]: "[web" is not a section: a section is [name] on a line alone',
      'line 17, [ssh]: a section needs a name: [options], or the name of a door',
      'line 18, [empty]: the door [empty] has no sequence: give sequence = … or one_time_sequences = …',
      'line 26, [good]: "just words" is not key = value',
      'line 27, [good]: the door [good] is already defined on line 21: rename one',
    ]);
    expect(plan.ready).toBe(false);
  });
});

describe('importing a ~/.fwknoprc', () => {
  it('turns every stanza but [default] into an SPA server with its keys', async () => {
    const plan = await planImport(fixture('fwknoprc/several.fwknoprc'), {}, []);
    expect(plan.format).toBe('fwknoprc');
    expect(plan.issues).toEqual([]);
    expect(plan.ready).toBe(true);
    expect(
      summary(plan).map(({ name, host, method, hasSecret }) => [name, host, method, hasSecret]),
    ).toEqual([
      ['web', 'web.example.com', 'spa', true],
      ['db', '203.0.113.7', 'spa', true],
      ['desktop', 'office.example.com', 'spa', true],
    ]);
    const [web, db, desktop] = plan.servers;
    expect(web?.draft?.checkPort).toBe(22);
    expect(web?.secret).toEqual({
      kind: 'spa',
      encryptionKeyBase64: '8DnfL6iab0fXan3BOSgvRdQP+lye4ccQsnaB+OogrEs=',
      hmacKeyBase64:
        'P+IdohJrPyYvPWo72vGN4TFic1Y8S0ZuYxMuxJuFAhpKt4DKEu5Pj991qurqQe7JOpzVgs9MMGkKukB7EvceWw==',
    });
    expect(db?.draft?.method).toMatchObject({
      transport: 'tcp',
      serverPort: 40001,
      access: [
        { protocol: 'tcp', port: 5432 },
        { protocol: 'tcp', port: 22 },
      ],
      allowIp: { mode: 'address', address: '198.51.100.4' },
      clientTimeout: 120,
      hmacDigestType: 'sha512',
    });
    expect(desktop?.draft?.method).toMatchObject({
      nat: { mode: 'forward', host: '192.168.10.20', port: 3389 },
      natPort: 13389,
      encryptionMode: 'legacy',
    });
    expect(desktop?.secret).toEqual({
      kind: 'spa',
      encryptionKeyBase64: 'wCGB2X+866kLb0Gr+4wZIFa9anvVr6cP1fnEU3bxcIA=',
    });
  });

  it('reports every mistake of a malformed file with its line', async () => {
    const plan = await planImport(fixture('fwknoprc/malformed.fwknoprc'), {}, []);
    expect(plan.issues).toEqual([
      {
        line: 2,
        severity: 'warning',
        message:
          'ACCESS is outside any stanza, so fwknop ignores it: put it under [default] or a [name]',
      },
      {
        line: 4,
        severity: 'error',
        message:
          'USE_GPG Y: Sesame encrypts with Rijndael keys only, not GPG: use KEY_BASE64 and HMAC_KEY_BASE64',
      },
    ]);
    expect(plan.servers.map((server) => [server.source, server.problems])).toEqual([
      ['nohost', ['the stanza has no SPA_SERVER: give the host']],
      ['typo', ['line 12: unknown key ACESS (did you mean ACCESS?)']],
      ['nokey', ['the stanza has no key: add KEY_BASE64 (and HMAC_KEY_BASE64) to it']],
      [
        'badvalue',
        [
          'line 21: ACCESS: fwknop reads only "tcp/22" and ignores "udp/53" (a value cannot hold blanks)',
          'line 22: KEY_BASE64 is not base64 (letters, digits, "+", "/" and a final "=")',
          'line 23: a stanza name needs its closing "]"',
        ],
      ],
    ]);
    expect(plan.ready).toBe(false);
  });

  it('takes the host the person gives for a stanza without SPA_SERVER', async () => {
    const plan = await planImport(
      '[lab]\nACCESS tcp/22\nALLOW_IP source\nKEY_BASE64 8DnfL6iab0fXan3BOSgvRdQP+lye4ccQsnaB+OogrEs=\n',
      { host: 'lab.example.com' },
      [],
    );
    expect(plan.ready).toBe(true);
    expect(plan.servers[0]?.host).toBe('lab.example.com');
  });
});

describe('any file', () => {
  it('is told apart by its look', () => {
    expect(detectFormat(fixture('knockd/debian-knockd.conf'))).toBe('knockd');
    expect(detectFormat(fixture('fwknoprc/several.fwknoprc'))).toBe('fwknoprc');
    expect(detectFormat('  {"format":"sesame-export"}')).toBe('sesame');
    expect(detectFormat('sesame://add/eyJ9')).toBe('sesame');
  });

  it('is refused whole when the plan is not ready: nothing reaches the repository', async () => {
    const plan = await planImport('[a]\nsequence = 1,2,3\n', {}, []);
    let called = false;
    const repository = {
      addMany: () => {
        called = true;
        return Promise.resolve([]);
      },
    };
    await expect(applyImport(plan, repository)).rejects.toThrow(
      'nothing was imported: [a] (line 1): knockd.conf does not say which host this door is on: give the host',
    );
    expect(called).toBe(false);
  });

  it('never makes an importer throw: any text gives a plan, with its problems', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.array(fc.string(), { maxLength: 20 }).map((lines) => lines.join('\n')),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc
        .record({
          format: fc.constantFrom('sesame-export', 'x'),
          version: fc.oneof(fc.integer(), fc.string()),
          servers: fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 3 }),
        })
        .map((value) => JSON.stringify(value)),
      fc.string().map((tail) => `sesame://add/${tail}`),
    );
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.constantFrom('knockd' as const, 'fwknoprc' as const, 'sesame' as const, 'auto' as const),
        fc.option(fc.string(), { nil: undefined }),
        async (body, format, host) => {
          const plan = await planImport(body, { format, ...(host !== undefined && { host }) }, []);
          if (!plan.ready) expect(describePlanProblems(plan).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
