import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFwknoprc } from '../../../src/formats/fwknoprc.js';
import { readFwknoprcFile } from '../../../src/formats/fwknoprc-file.js';
import { resolveFwknoprc } from '../../../src/formats/fwknoprc-settings.js';

const FILE = '/home/me/.fwknoprc';
const read = (text: string, name?: string) => resolveFwknoprc(parseFwknoprc(text), FILE, name);
const KEY = Buffer.alloc(32, 1).toString('base64');
const HMAC = Buffer.alloc(64, 2).toString('base64');

describe('~/.fwknoprc syntax, as fwknop reads it', () => {
  it('reads stanzas, KEY VALUE lines, comments, and values cut at a blank, ";" or "#"', () => {
    const parsed = parseFwknoprc(
      `# comment\n; also a comment\n\n[default]\nDIGEST_TYPE   sha256\n[Door]\n  ACCESS\ttcp/22;trailing\nSPA_SERVER 10.0.0.1 # the server\nKEY_BASE64: ${KEY}\n`,
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.stanzas).toEqual([
      { name: 'default', line: 4, entries: [{ key: 'DIGEST_TYPE', value: 'sha256', line: 5 }] },
      {
        name: 'Door',
        line: 6,
        entries: [
          { key: 'ACCESS', value: 'tcp/22', line: 7 },
          { key: 'SPA_SERVER', value: '10.0.0.1', line: 8 },
          { key: 'KEY_BASE64', value: KEY, line: 9 },
        ],
      },
    ]);
  });

  it('reports a line without a value, text after the value, a bad header, a line outside stanzas', () => {
    const { issues } = parseFwknoprc(
      'ACCESS tcp/22\n[default]\nSPA_SERVER\nACCESS tcp/22, udp/53\n[broken\n',
    );
    expect(issues).toEqual([
      {
        line: 1,
        severity: 'warning',
        message:
          'ACCESS is outside any stanza, so fwknop ignores it: put it under [default] or a [name]',
      },
      {
        line: 3,
        severity: 'error',
        message: '"SPA_SERVER" is not KEY VALUE (a key, then blanks, then its value)',
      },
      {
        line: 4,
        severity: 'error',
        message:
          'ACCESS: fwknop reads only "tcp/22," and ignores "udp/53" (a value cannot hold blanks)',
      },
      { line: 5, severity: 'error', message: 'a stanza name needs its closing "]"' },
    ]);
  });
});

describe('~/.fwknoprc settings: [default], then the named stanza', () => {
  it('applies [default] first and the named stanza over it; names match without case', () => {
    const result = read(
      `[default]\nDIGEST_TYPE sha512\nSPA_SERVER_PORT 40000\n[door]\nSPA_SERVER_PORT 41000\nSPA_SERVER host.example\nACCESS tcp/22,udp/53\nALLOW_IP 203.0.113.9\nKEY_BASE64 ${KEY}\nHMAC_KEY_BASE64 ${HMAC}\nHMAC_DIGEST_TYPE SHA384\nFW_TIMEOUT 60\nTIME_OFFSET -2h\nENCRYPTION_MODE ctr\nSPA_SERVER_PROTO HTTP\nNAT_ACCESS 192.168.1.2:2222\nNAT_PORT 5022\nSPOOF_USER bob\nUSE_HMAC Y\nRAND_PORT n\n`,
      'DOOR',
    );
    expect(result.issues).toEqual([]);
    expect(result.found).toBe(true);
    const { encryptionKey, hmacKey, ...rest } = result.settings;
    expect(rest).toEqual({
      digestType: 'sha512',
      serverPort: 41000,
      server: 'host.example',
      access: [
        { protocol: 'tcp', port: 22 },
        { protocol: 'udp', port: 53 },
      ],
      allowIp: { mode: 'address', address: '203.0.113.9' },
      hmacDigestType: 'sha384',
      clientTimeout: 60,
      timeOffsetSeconds: -7200,
      encryptionMode: 'ctr',
      transport: 'http',
      natAccess: { host: '192.168.1.2', port: 2222 },
      natPort: 5022,
      username: 'bob',
      useHmac: true,
      randPort: false,
    });
    expect(Buffer.from(encryptionKey?.bytes ?? []).toString('base64')).toBe(KEY);
    expect(encryptionKey?.source).toBe(`KEY_BASE64 (${FILE}:9)`);
    expect(hmacKey?.bytes).toHaveLength(64);
  });

  it('says when the named stanza does not exist', () => {
    expect(read('[default]\n[other]\n', 'door').found).toBe(false);
  });

  it('reads only [default] and the named stanza: problems elsewhere do not count', () => {
    expect(read('[default]\n[door]\nACCESS tcp/22\n[other]\nBOGUS 1\n', 'door').issues).toEqual([]);
  });

  it('takes ALLOW_IP source and resolve, and KEY as a passphrase', () => {
    expect(read('[default]\nALLOW_IP source\n').settings.allowIp).toEqual({ mode: 'source' });
    expect(read('[default]\nALLOW_IP resolve\n').settings.allowIp).toEqual({ mode: 'resolve' });
    expect(read('[default]\nRESOLVE_IP_HTTPS Y\n').settings.allowIp).toEqual({ mode: 'resolve' });
    const key = read('[default]\nKEY hunter2\n').settings.encryptionKey;
    expect(Buffer.from(key?.bytes ?? []).toString()).toBe('hunter2');
  });

  it.each([
    ['BOGUS 1', 'unknown key BOGUS'],
    ['access tcp/22', "unknown key access: fwknop's keys are upper case (ACCESS)"],
    ['ACESS tcp/22', 'unknown key ACESS (did you mean ACCESS?)'],
    ['CLIENT_TIMEOUT 60', 'unknown key CLIENT_TIMEOUT: the client timeout is FW_TIMEOUT'],
    ['SPA_SERVER_PORT 70000', 'SPA_SERVER_PORT must be a number 1-65535'],
    ['SPA_SERVER_PORT 80a', 'SPA_SERVER_PORT must be a number 1-65535'],
    [
      'SPA_SERVER_PROTO icmp',
      'SPA_SERVER_PROTO icmp needs raw sockets; Sesame sends over udp, tcp or http',
    ],
    ['SPA_SERVER_PROTO sctp', 'SPA_SERVER_PROTO must be udp, tcp or http, not "sctp"'],
    ['ACCESS tcp/99999', 'ACCESS: "tcp/99999": the port must be 1-65535'],
    ['ACCESS ssh', 'ACCESS: "ssh" is not proto/port (e.g. tcp/22, udp/53)'],
    ['ALLOW_IP 10.0.0', 'ALLOW_IP must be an IPv4 address, "source" or "resolve", not "10.0.0"'],
    ['ALLOW_IP ::1', 'ALLOW_IP must be an IPv4 address, "source" or "resolve", not "::1"'],
    ['USE_HMAC yes', 'USE_HMAC takes Y or N (fwknop reads anything but Y as N)'],
    [
      'DIGEST_TYPE sha999',
      'DIGEST_TYPE must be one of md5, sha1, sha256, sha384, sha512, sha3_256, sha3_512',
    ],
    [
      'HMAC_DIGEST_TYPE x',
      'HMAC_DIGEST_TYPE must be one of md5, sha1, sha256, sha384, sha512, sha3_256, sha3_512',
    ],
    [
      'ENCRYPTION_MODE PCBC',
      'ENCRYPTION_MODE must be CBC, ECB, CFB, OFB, CTR or legacy, not "PCBC"',
    ],
    ['FW_TIMEOUT -5', 'FW_TIMEOUT must be a number 0-65536'],
    [
      'TIME_OFFSET soon',
      'TIME_OFFSET: "soon" is not a time offset (seconds, or a number with min, h or d: 90, 10min, 2h, 1d)',
    ],
    [
      'KEY_BASE64 not*base64',
      'KEY_BASE64 is not base64 (letters, digits, "+", "/" and a final "=")',
    ],
    [
      'HMAC_KEY_BASE64 %%%%',
      'HMAC_KEY_BASE64 is not base64 (letters, digits, "+", "/" and a final "=")',
    ],
    [
      'NAT_ACCESS bad/host,22',
      'NAT_ACCESS: "bad/host" is not a NAT destination host (an IPv4 address or a name)',
    ],
    ['NAT_ACCESS 10.0.0.1,22,33', 'NAT_ACCESS is host,port, not "10.0.0.1,22,33"'],
    [
      'SPOOF_USER a:b',
      'SPOOF_USER: the username "a:b" has a character fwknopd refuses (" / \\ [ ] : ; | = , + * ? < > or non-ASCII)',
    ],
    ['RESOLVE_URL ftp://x', 'RESOLVE_URL must be an http(s) URL'],
    [
      'USE_GPG Y',
      'USE_GPG Y: Sesame encrypts with Rijndael keys only, not GPG: use KEY_BASE64 and HMAC_KEY_BASE64',
    ],
    [
      'GPG_RECIPIENT ABCD1234',
      'GPG_RECIPIENT: Sesame encrypts with Rijndael keys only, not GPG: use KEY_BASE64 and HMAC_KEY_BASE64',
    ],
    [
      'SPOOF_SOURCE_IP 1.2.3.4',
      'SPOOF_SOURCE_IP: spoofing the source needs raw sockets, which Sesame does not use',
    ],
    ['KEY_FILE /tmp/keys', 'KEY_FILE: Sesame does not read key files: put the key in KEY_BASE64'],
  ])('%s is an error: %s', (line, message) => {
    expect(read(`[default]\n${line}\n`).issues).toEqual([
      { file: FILE, line: 2, severity: 'error', message },
    ]);
  });

  it('never puts a key value into a message', () => {
    const secret = 'c2VjcmV0*';
    const { issues } = read(`[default]\nKEY_BASE64 ${secret}\n`);
    expect(JSON.stringify(issues)).not.toContain('c2VjcmV0');
  });

  it('reports KEY and KEY_BASE64 in the same stanza', () => {
    expect(read(`[default]\nKEY abc\nKEY_BASE64 ${KEY}\n`).issues).toEqual([
      {
        file: FILE,
        line: 3,
        severity: 'error',
        message: '[default] sets both KEY (line 2) and KEY_BASE64: keep one',
      },
    ]);
  });

  it('accepts what only steers fwknop itself, and warns where Sesame does otherwise', () => {
    const result = read(
      '[default]\nNO_SAVE_ARGS Y\nSERVER_RESOLVE_IPV4 Y\nVERBOSE Y\nUSE_GPG N\nWGET_CMD /usr/bin/wget\nSPA_SOURCE_PORT 5000\n',
    );
    expect(result.settings.verbose).toBe(true);
    expect(result.issues.map((issue) => [issue.line, issue.severity])).toEqual([
      [6, 'warning'],
      [7, 'warning'],
    ]);
  });
});

describe('the rc file on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-fwknoprc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file of mode 0600, and nothing when there is none', async () => {
    const path = join(dir, 'ok');
    writeFileSync(path, '[default]\n', { mode: 0o600 });
    expect(await readFwknoprcFile(path)).toBe('[default]\n');
    expect(await readFwknoprcFile(join(dir, 'missing'))).toBeUndefined();
  });

  it("refuses a file others can read, with fwknop's advice", async () => {
    const path = join(dir, 'open');
    writeFileSync(path, '[default]\n');
    chmodSync(path, 0o644);
    await expect(readFwknoprcFile(path)).rejects.toThrow(
      `${path} has mode 0644, but it holds keys: its permissions should only be user read/write (0600, -rw-------); run chmod 600 ${path}`,
    );
  });

  it('refuses a file that belongs to someone else', async () => {
    const path = join(dir, 'theirs');
    writeFileSync(path, '[default]\n', { mode: 0o600 });
    const other = (process.getuid?.() ?? 0) + 1;
    await expect(readFwknoprcFile(path, other)).rejects.toThrow(
      `${path} is not owned by you (uid ${other}): Sesame reads only your own`,
    );
  });
});
