import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { decodeSpaPacket } from '../../../src/knock/spa/spa-decode.js';
import { bufferIo } from '../../helpers/buffer-io.js';
import { freePort, listen } from '../../helpers/loopback.js';

const KEY = Buffer.alloc(32, 0x11).toString('base64');
const HMAC = Buffer.alloc(64, 0x22).toString('base64');
const KEYS = ['--key-base64-rijndael', KEY, '--key-base64-hmac', HMAC];
const BASE = [
  'spa',
  '--no-rc-file',
  '-A',
  'tcp/22',
  '-a',
  '203.0.113.5',
  '-D',
  '127.0.0.1',
  '-U',
  'alice',
];
const dir = mkdtempSync(join(tmpdir(), 'sesame-spa-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sesame(...argv: string[]) {
  const io = bufferIo();
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

function rcFile(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode });
  return path;
}

/** A UDP socket on loopback that hands over the first datagram. */
async function udpReceiver() {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const received = new Promise<string>((resolve) =>
    socket.once('message', (data) => resolve(data.toString('latin1'))),
  );
  return { port: socket.address().port, received, close: () => socket.close() };
}

/** A TCP listener on loopback that collects what one connection sends. */
async function tcpReceiver() {
  let resolveData: (text: string) => void = () => undefined;
  const data = new Promise<string>((resolve) => (resolveData = resolve));
  const { server, port } = await listen(
    createServer((socket: Socket) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('end', () => {
        resolveData(text);
        socket.end();
      });
    }),
  );
  return { port, data, close: () => server.close() };
}

const decodeKeys = {
  encryptionKey: Buffer.from(KEY, 'base64'),
  hmacKey: Buffer.from(HMAC, 'base64'),
};

describe('sesame spa: wrong usage, one line that says what to change, status 2', () => {
  const stanzaWithKeys = rcFile('keys.rc', `[door]\nKEY_BASE64 ${KEY}\n`);
  it.each([
    [
      ['spa', 'extra'],
      'unexpected argument "extra": sesame spa takes options only, e.g. -D host -A tcp/22',
    ],
    [['spa', '-x'], 'unknown option "-x" (see --help)'],
    [['spa', '-A'], 'option "-A, --access" needs a value'],
    [[...BASE, ...KEYS, '--timeout', '5'], '--timeout applies to --check: add --check <port>'],
    [
      [...BASE, ...KEYS, '--test', '--check', '22'],
      '--test sends nothing, so there is nothing to --check',
    ],
    [[...BASE, ...KEYS, '--check', '0'], '--check port "0" is not a whole number from 1 to 65535'],
    [
      [...BASE, ...KEYS, '--check', '22', '--timeout', 'x'],
      '--timeout "x" is not a whole number from 1 to 600000',
    ],
    [[...BASE, ...KEYS, '-n', 'door'], '-n and --no-rc-file exclude each other'],
    [
      ['spa', '--rc-file', join(dir, 'none.rc'), '-n', 'door'],
      `there is no ${join(dir, 'none.rc')}, so no stanza [door] to read`,
    ],
    [
      ['spa', '--rc-file', stanzaWithKeys, '-n', 'nosuch'],
      `the stanza [nosuch] was not found in ${stanzaWithKeys}`,
    ],
    [[...BASE, ...KEYS, '-s'], '-a, -s and -R exclude each other: pick one'],
    [
      ['spa', '--no-rc-file', '-A', 'tcp/22', '-D', 'h', ...KEYS],
      'say which address fwknopd should let in: -a ADDRESS, -R (your public IP) or -s (the packet source)',
    ],
    [
      ['spa', '--no-rc-file', '-A', 'tcp/22', '-a', 'myhost', '-D', 'h', ...KEYS],
      '-a "myhost" is not an IPv4 address (fwknopd allows IPv4 only)',
    ],
    [
      ['spa', '--no-rc-file', '-A', 'tcp/22', '-a', '999.1.2.3', '-D', 'h', ...KEYS],
      '-a "999.1.2.3" is not an IPv4 address (fwknopd allows IPv4 only)',
    ],
    [
      [...BASE, ...KEYS, '--time-offset-plus', '1', '--time-offset-minus', '1'],
      '--time-offset-plus and --time-offset-minus exclude each other',
    ],
    [
      [...BASE, ...KEYS, '--time-offset-plus', 'soon'],
      '--time-offset-plus: "soon" is not a time offset (seconds, or a number with min, h or d: 90, 10min, 2h, 1d)',
    ],
    [
      [...BASE, ...KEYS, '-A', 'tcp/22,sctp/1'],
      '-A: "sctp/1": the protocol must be tcp, udp or icmp',
    ],
    [[...BASE, ...KEYS, '-A', '22'], '-A: "22" is not proto/port (e.g. tcp/22, udp/53)'],
    [
      ['spa', '--no-rc-file', '-a', '1.2.3.4', '-D', 'h', ...KEYS],
      'say what to open: -A proto/port[,proto/port...], e.g. -A tcp/22',
    ],
    [
      [...BASE, ...KEYS, '-N', '10.0.0.2', '--nat-local'],
      '-N and --nat-local exclude each other: pick one',
    ],
    [[...BASE, ...KEYS, '-N', ','], '-N "," is not host[:port], e.g. 192.168.10.2:22'],
    [
      [...BASE, ...KEYS, '-N', '10.0.0.2:99999'],
      '-N port "99999" is not a whole number from 1 to 65535',
    ],
    [
      [...BASE, ...KEYS, '-N', 'bad_host!'],
      '-N: "bad_host!" is not a NAT destination host (an IPv4 address or a name)',
    ],
    [
      [...BASE, ...KEYS, '-A', 'tcp/22,tcp/80', '--nat-local'],
      'NAT access takes exactly one proto/port (fwknopd forwards only the first)',
    ],
    [
      [...BASE, ...KEYS, '--nat-port', '5000'],
      'a NAT port needs NAT access (-N host or --nat-local)',
    ],
    [
      [...BASE, ...KEYS, '--nat-local', '--nat-port', '5000', '--nat-rand-port'],
      '--nat-port and --nat-rand-port exclude each other',
    ],
    [
      [...BASE, ...KEYS, '--nat-local', '--nat-port', 'x'],
      '--nat-port "x" is not a whole number from 1 to 65535',
    ],
    [
      [...BASE, ...KEYS, '-f', '70000'],
      '--fw-timeout "70000" is not a whole number from 0 to 65536',
    ],
    [
      [...BASE, ...KEYS, '-m', 'sha2'],
      '--digest-type "sha2" is not a digest: use md5, sha1, sha256, sha384, sha512, sha3_256 or sha3_512',
    ],
    [
      [...BASE, ...KEYS, '--hmac-digest-type', 'x'],
      '--hmac-digest-type "x" is not a digest: use md5, sha1, sha256, sha384, sha512, sha3_256 or sha3_512',
    ],
    [
      [...BASE, ...KEYS, '-M', 'PCBC'],
      '--encryption-mode "PCBC" is not a mode: use CBC (the default), CTR, CFB, OFB, ECB or legacy',
    ],
    [
      [...BASE, ...KEYS, '-P', 'icmp'],
      '--server-proto icmp needs raw sockets; Sesame sends over udp, tcp or http',
    ],
    [[...BASE, ...KEYS, '-P', 'sctp'], '--server-proto "sctp" is not udp, tcp or http'],
    [[...BASE, ...KEYS, '-p', '0'], '--server-port "0" is not a whole number from 1 to 65535'],
    [
      [...BASE, ...KEYS, '-r', '-P', 'tcp'],
      'a random server port works over UDP only (fwknopd listens on one TCP port)',
    ],
    [
      [...BASE, ...KEYS, '-U', 'a:b'],
      '-U: the username "a:b" has a character fwknopd refuses (" / \\ [ ] : ; | = , + * ? < > or non-ASCII)',
    ],
    [
      [...BASE, '--key-rijndael', 'a', '--key-base64-rijndael', KEY],
      '--key-rijndael and --key-base64-rijndael exclude each other: give one key',
    ],
    [
      [...BASE, '--key-rijndael', 'a', '--key-hmac', 'b', '--key-base64-hmac', HMAC],
      '--key-hmac and --key-base64-hmac exclude each other: give one HMAC key',
    ],
    [
      [...BASE, '--key-base64-rijndael', 'not*base64'],
      '--key-base64-rijndael: the key is not base64 (letters, digits, "+", "/" and a final "=")',
    ],
    [
      [...BASE, '--key-rijndael', 'a', '--key-base64-hmac', '%%'],
      '--key-base64-hmac: the key is not base64 (letters, digits, "+", "/" and a final "=")',
    ],
    [
      BASE,
      'no encryption key: give --key-base64-rijndael (or --key-rijndael), or KEY_BASE64 in ~/.fwknoprc (Sesame does not prompt for keys)',
    ],
    [
      [...BASE, '--key-rijndael', 'a', '--use-hmac'],
      'HMAC is asked for but there is no HMAC key: give --key-base64-hmac (or --key-hmac), or HMAC_KEY_BASE64 in ~/.fwknoprc',
    ],
    [
      [...BASE, ...KEYS, '-M', 'legacy'],
      'legacy encryption mode cannot carry an HMAC (servers before fwknop 2.5 know none): drop the HMAC key or -M legacy',
    ],
    [
      [...BASE, '--key-base64-rijndael', Buffer.alloc(33).toString('base64'), '--test'],
      "the encryption key is 33 bytes long; fwknop's Rijndael key must be 1-32 bytes (--key-gen makes one of 32)",
    ],
    [
      [
        ...BASE,
        '--key-rijndael',
        'a',
        '--key-base64-hmac',
        Buffer.alloc(129).toString('base64'),
        '--test',
      ],
      'the HMAC key is 129 bytes long; fwknop takes 1-128 bytes (--key-gen makes one of 64)',
    ],
    [
      [...BASE, '--key-rijndael', 'same', '--key-hmac', 'same', '--test'],
      'the encryption key and the HMAC key are the same: fwknop refuses that, use two different keys (--key-gen makes a pair)',
    ],
    [
      ['spa', '--no-rc-file', '-A', 'tcp/22', '-a', '1.2.3.4', ...KEYS],
      'say where fwknopd runs: -D host (or SPA_SERVER in the stanza)',
    ],
    [
      [...BASE, ...KEYS, '--save-rc-stanza'],
      '--save-rc-stanza and --no-rc-file exclude each other',
    ],
    [
      [
        'spa',
        '--rc-file',
        stanzaWithKeys,
        '--save-rc-stanza',
        '-n',
        'door',
        ...BASE.slice(2),
        ...KEYS,
      ],
      'the stanza [door] exists and holds keys: add --force-stanza to replace it',
    ],
    [
      [...BASE, ...KEYS, '--test', '--json'],
      '--test prints the packet, not JSON: leave out --json',
    ],
    [
      ['spa', '--key-gen', '--json'],
      '--key-gen prints keys, which --json never does: leave out --json',
    ],
    [['spa', '--key-gen', '--key-len', '33'], '--key-len "33" is not a whole number from 1 to 32'],
    [
      ['spa', '--key-gen', '--hmac-key-len', '0'],
      '--hmac-key-len "0" is not a whole number from 1 to 128',
    ],
    [
      ['spa', '--key-gen', '--hmac-digest-type', 'sha2'],
      '--hmac-digest-type "sha2" is not a digest: use md5, sha1, sha256, sha384, sha512, sha3_256 or sha3_512',
    ],
  ])('%j', async (argv, message) => {
    const result = await sesame(...argv);
    expect(result).toEqual({ status: 2, stdout: '', stderr: `sesame: ${message}\n` });
  });

  it('refuses an rc file others can read', async () => {
    const path = rcFile('open.rc', '[default]\n', 0o644);
    const result = await sesame('spa', '--rc-file', path, ...BASE.slice(2), ...KEYS);
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `sesame: ${path} has mode 0644, but it holds keys: its permissions should only be user read/write (0600, -rw-------); run chmod 600 ${path}\n`,
    });
  });

  it('lists every problem of the rc file with its line, and sends nothing', async () => {
    const path = rcFile(
      'bad.rc',
      '[default]\nACCESS tcp/22\nBOGUS 1\n[door]\nSPA_SERVER_PORT x\nWGET_CMD /bin/wget\n',
    );
    const result = await sesame(
      'spa',
      '--rc-file',
      path,
      '-n',
      'door',
      '-a',
      '1.2.3.4',
      '-D',
      'h',
      ...KEYS,
    );
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: [
        `sesame: ${path}:3: unknown key BOGUS`,
        `sesame: ${path}:5: SPA_SERVER_PORT must be a number 1-65535`,
        `sesame: warning: ${path}:6: WGET_CMD is ignored: Sesame asks for the public IP itself, without wget`,
        '',
      ].join('\n'),
    });
  });

  it('refuses an rc file that is not a file', async () => {
    const result = await sesame('spa', '--rc-file', dir, ...BASE.slice(2), ...KEYS);
    expect(result).toEqual({
      status: 2,
      stdout: '',
      stderr: `sesame: ${dir} is not a regular file\n`,
    });
  });

  it('refuses NAT_ACCESS with NAT_LOCAL in a stanza', async () => {
    const path = rcFile('nat.rc', '[default]\nNAT_ACCESS 10.0.0.2,22\nNAT_LOCAL Y\n');
    const result = await sesame('spa', '--rc-file', path, ...BASE.slice(2), ...KEYS);
    expect(result.stderr).toBe(
      'sesame: NAT_ACCESS and NAT_LOCAL exclude each other: keep one in the stanza\n',
    );
    expect(result.status).toBe(2);
  });
});

describe('sesame spa: failures when sending, status 1', () => {
  it('names a server it cannot use', async () => {
    const result = await sesame(...BASE.slice(0, 6), '-D', 'no such host', ...KEYS);
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'sesame: "no such host" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)\n',
    });
  });

  it('says when nothing accepts the TCP connection', async () => {
    const port = await freePort();
    const result = await sesame(...BASE, ...KEYS, '-P', 'tcp', '-p', String(port));
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: `sesame: could not send the SPA packet to 127.0.0.1:${port}/tcp: nothing accepts there; is fwknopd's TCP server on (ENABLE_TCP_SERVER)?\n`,
    });
  });

  it('says when the public-IP service cannot be asked, or answers no address', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const args = [
      'spa',
      '--no-rc-file',
      '-A',
      'tcp/22',
      '-R',
      '--resolve-url',
      url,
      '-D',
      '127.0.0.1',
      ...KEYS,
    ];
    const down = await sesame(...args);
    expect(down.status).toBe(1);
    expect(down.stderr).toBe(
      `sesame: could not find your public IPv4 address (127.0.0.1:${port}: connection refused); give it with -a\n`,
    );
    const { server, port: up } = await listen(createHttpServer((_q, r) => r.end('no idea\n')));
    try {
      const answer = await sesame(...args.map((a) => (a === url ? `http://127.0.0.1:${up}/` : a)));
      expect(answer).toEqual({
        status: 1,
        stdout: '',
        stderr: `sesame: could not find your public IPv4 address (127.0.0.1:${up}: not an address: "no idea"); give it with -a\n`,
      });
    } finally {
      server.close();
    }
  });

  it('says when the public-IP service answers an error or no valid IPv4 address', async () => {
    // The resolver of sesame ip checks the answers; a custom URL may answer a private address.
    const { server, port } = await listen(
      createHttpServer((q, r) => {
        if (q.url === '/error') r.statusCode = 503;
        r.end('999.1.2.3\n');
      }),
    );
    const run = (path: string) =>
      sesame(
        'spa',
        '--no-rc-file',
        '-A',
        'tcp/22',
        '-R',
        '--resolve-url',
        `http://127.0.0.1:${port}${path}`,
        '-D',
        '127.0.0.1',
        ...KEYS,
      );
    try {
      expect(await run('/error')).toEqual({
        status: 1,
        stdout: '',
        stderr: `sesame: could not find your public IPv4 address (127.0.0.1:${port}: HTTP 503 Service Unavailable); give it with -a\n`,
      });
      expect(await run('/')).toEqual({
        status: 1,
        stdout: '',
        stderr: `sesame: could not find your public IPv4 address (127.0.0.1:${port}: not an address: "999.1.2.3"); give it with -a\n`,
      });
    } finally {
      server.close();
    }
  });

  it('--check exits 1 with the reason when the port stays closed', async () => {
    const udp = await udpReceiver();
    const port = await freePort();
    try {
      const result = await sesame(
        ...BASE,
        ...KEYS,
        '-p',
        String(udp.port),
        '--check',
        String(port),
        '--timeout',
        '200',
      );
      expect(result).toEqual({
        status: 1,
        stdout: '',
        stderr: `sesame: 127.0.0.1:${port} is closed: the connection was refused (the door did not open, or nothing listens there)\n`,
      });
    } finally {
      udp.close();
    }
  });
});

describe('sesame spa on loopback', () => {
  it('sends one datagram that opens under the same keys, with the request inside', async () => {
    const udp = await udpReceiver();
    try {
      const result = await sesame(
        ...BASE,
        ...KEYS,
        '-p',
        String(udp.port),
        '-f',
        '45',
        '-m',
        'sha3_512',
      );
      expect(result).toEqual({ status: 0, stdout: '', stderr: '' });
      const decoded = decodeSpaPacket(await udp.received, decodeKeys, { encryptionMode: 'cbc' });
      expect(decoded.fields).toMatchObject({
        username: 'alice',
        messageType: 3,
        message: '203.0.113.5,tcp/22',
        clientTimeout: 45,
      });
      expect(decoded.digestType).toBe('sha3_512');
      expect(Math.abs(decoded.fields.timestamp - Date.now() / 1000)).toBeLessThan(60);
    } finally {
      udp.close();
    }
  });

  it('sends over TCP as is, and over HTTP in the form fwknopd expects', async () => {
    const tcp = await tcpReceiver();
    const result = await sesame(...BASE, ...KEYS, '-P', 'tcp', '-p', String(tcp.port));
    expect(result.status).toBe(0);
    const raw = await tcp.data;
    tcp.close();
    expect(decodeSpaPacket(raw, decodeKeys, { encryptionMode: 'cbc' }).fields.message).toBe(
      '203.0.113.5,tcp/22',
    );
    const http = await tcpReceiver();
    expect((await sesame(...BASE, ...KEYS, '-P', 'http', '-p', String(http.port))).status).toBe(0);
    const request = await http.data;
    http.close();
    const match =
      /^GET \/([A-Za-z0-9_-]+) HTTP\/1\.1\r\nUser-Agent: Fwknop\/2\.6\.10\r\nAccept: \*\/\*\r\nHost: 127\.0\.0\.1\r\nConnection: close\r\n\r\n$/.exec(
        request,
      );
    expect(match).not.toBeNull();
    const wire = (match?.[1] ?? '').replaceAll('-', '+').replaceAll('_', '/');
    expect(decodeSpaPacket(wire, decodeKeys, { encryptionMode: 'cbc' }).fields.username).toBe(
      'alice',
    );
  });

  it('lets in the address a public-IP service reports (-R)', async () => {
    const { server, port } = await listen(createHttpServer((_q, r) => r.end('198.51.100.7\r\n')));
    const udp = await udpReceiver();
    try {
      const result = await sesame(
        'spa',
        '--no-rc-file',
        '-A',
        'udp/53',
        '-R',
        '--resolve-url',
        `http://127.0.0.1:${port}/`,
        '-D',
        '127.0.0.1',
        '-p',
        String(udp.port),
        ...KEYS,
      );
      expect(result.status, result.stderr).toBe(0);
      const decoded = decodeSpaPacket(await udp.received, decodeKeys, { encryptionMode: 'cbc' });
      expect(decoded.fields.message).toBe('198.51.100.7,udp/53');
    } finally {
      server.close();
      udp.close();
    }
  });

  it('-v prints the fields as fwknop -v does, and never a key', async () => {
    const udp = await udpReceiver();
    try {
      const result = await sesame(...BASE, ...KEYS, '-p', String(udp.port), '-v');
      expect(result.status).toBe(0);
      const wire = await udp.received;
      expect(result.stdout).toContain(' Message String: 203.0.113.5,tcp/22\n');
      expect(result.stdout).toContain('      HMAC Type: 3 (SHA256)\n');
      expect(result.stdout).toContain(`Final SPA Data: ${wire}\n`);
      expect(result.stdout).toContain(`sent ${wire.length} bytes to 127.0.0.1:${udp.port}/udp\n`);
      for (const secret of [KEY, HMAC, KEY.slice(0, 20), HMAC.slice(0, 20)]) {
        expect(result.stdout + result.stderr).not.toContain(secret);
      }
    } finally {
      udp.close();
    }
  });

  it('--json reports the request and the check, and never a key or the packet', async () => {
    const udp = await udpReceiver();
    const { server, port } = await listen(createServer((socket) => socket.destroy()));
    try {
      const result = await sesame(
        ...BASE,
        ...KEYS,
        '-p',
        String(udp.port),
        '--json',
        '--check',
        String(port),
      );
      expect(result.status).toBe(0);
      const json = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(json).toMatchObject({
        ok: true,
        host: '127.0.0.1',
        address: '127.0.0.1',
        family: 4,
        transport: 'udp',
        serverPort: udp.port,
        messageType: 1,
        message: '203.0.113.5,tcp/22',
        check: { port, state: 'open' },
      });
      const wire = await udp.received;
      for (const secret of [KEY, HMAC, wire]) expect(result.stdout).not.toContain(secret);
    } finally {
      udp.close();
      server.close();
    }
  });

  it('--test shows the packet, reads it back with -v, and sends nothing', async () => {
    const result = await sesame(...BASE, ...KEYS, '--test', '-v', '-N', '192.168.1.2:2222');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('test mode enabled, SPA packet not actually sent.\n');
    expect(result.stdout).toContain('\nDump of the Decoded Data\n');
    expect(result.stdout.match(/ Nat Access: 192\.168\.1\.2,2222\n/g)).toHaveLength(2);
    expect(result.stdout.match(/Message Type: 2 \(NAT access msg\)\n/g)).toHaveLength(2);
  });

  it("cuts a long legacy key to 16 bytes with fwknop's warning", async () => {
    const result = await sesame(
      ...BASE,
      '--key-rijndael',
      '0123456789abcdefXYZ',
      '-M',
      'legacy',
      '--test',
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(
      'sesame: warning: an encryption key in legacy mode must be at most 16 bytes; it was cut to 16, as fwknop does (upgrading the server to fwknopd 2.5 or later is better)\n',
    );
  });

  it('prints the NAT port it drew for --nat-rand-port', async () => {
    const udp = await udpReceiver();
    try {
      const result = await sesame(
        ...BASE,
        ...KEYS,
        '-p',
        String(udp.port),
        '--nat-local',
        '--nat-rand-port',
      );
      expect(result.status).toBe(0);
      const port = Number(/Randomly assigned port '(\d+)'/.exec(result.stdout)?.[1]);
      expect(port).toBeGreaterThanOrEqual(10_000);
      const decoded = decodeSpaPacket(await udp.received, decodeKeys, { encryptionMode: 'cbc' });
      expect(decoded.fields).toMatchObject({
        message: `203.0.113.5,tcp/${port}`,
        natAccess: '127.0.0.1,22',
      });
    } finally {
      udp.close();
    }
  });
});

describe('sesame spa and ~/.fwknoprc', () => {
  it('--key-gen prints a 32-byte and a 64-byte key as fwknop does, -K writes them (0600)', async () => {
    const result = await sesame('spa', '--key-gen');
    expect(result.status).toBe(0);
    const match = /^KEY_BASE64: (\S+)\nHMAC_KEY_BASE64: (\S+)\n$/.exec(result.stdout);
    expect(Buffer.from(match?.[1] ?? '', 'base64')).toHaveLength(32);
    expect(Buffer.from(match?.[2] ?? '', 'base64')).toHaveLength(64);
    const sha512 = await sesame('spa', '-k', '--hmac-digest-type', 'sha512');
    expect(
      Buffer.from(/HMAC_KEY_BASE64: (\S+)/.exec(sha512.stdout)?.[1] ?? '', 'base64'),
    ).toHaveLength(128);
    const file = join(dir, 'keys.txt');
    const written = await sesame('spa', '-K', file);
    expect(written.stdout).toBe(`[+] Wrote Rijndael and HMAC keys to: ${file}\n`);
    expect(readFileSync(file, 'utf8')).toMatch(/^KEY_BASE64: \S+\nHMAC_KEY_BASE64: \S+\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('writes a stanza with --save-rc-stanza and sends with it through -n', async () => {
    const path = rcFile('saved.rc', '# mine\n[default]\nVERBOSE N\n');
    const udp = await udpReceiver();
    try {
      const saved = await sesame(
        'spa',
        '--rc-file',
        path,
        '--save-rc-stanza',
        '-n',
        'door',
        '-A',
        'tcp/22',
        '-a',
        '203.0.113.5',
        '-D',
        '127.0.0.1',
        '-p',
        String(udp.port),
        '-U',
        'alice',
        ...KEYS,
        '--test',
      );
      expect(saved.status, saved.stderr).toBe(0);
      expect(saved.stdout.startsWith(`[+] Wrote the stanza [door] to ${path}\n`)).toBe(true);
      expect(
        readFileSync(path, 'utf8').startsWith('# mine\n[default]\nVERBOSE N\n\n[door]\n'),
      ).toBe(true);
      const sent = await sesame('spa', '--rc-file', path, '-n', 'door');
      expect(sent).toEqual({ status: 0, stdout: '', stderr: '' });
      const decoded = decodeSpaPacket(await udp.received, decodeKeys, { encryptionMode: 'cbc' });
      expect(decoded.fields).toMatchObject({ username: 'alice', message: '203.0.113.5,tcp/22' });
    } finally {
      udp.close();
    }
  });

  it('--key-gen --save-rc-stanza puts new keys into the stanza', async () => {
    const path = join(dir, 'keygen.rc');
    const result = await sesame(
      'spa',
      '--rc-file',
      path,
      '--key-gen',
      '--save-rc-stanza',
      '-A',
      'tcp/22',
      '-a',
      '203.0.113.5',
      '-D',
      'spa.example',
    );
    expect(result).toEqual({
      status: 0,
      stdout: `[+] Wrote the stanza [spa.example] to ${path}\n`,
      stderr: '',
    });
    expect(readFileSync(path, 'utf8')).toMatch(
      /^\[spa\.example\]\n(.+\n)*KEY_BASE64 +\S{44}\n(.+\n)*HMAC_KEY_BASE64 +\S{88}\n/,
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('the command line goes over the stanza, the stanza over [default]', async () => {
    const udp = await udpReceiver();
    const path = rcFile(
      'layers.rc',
      `[default]\nACCESS udp/53\nALLOW_IP 10.0.0.1\nKEY_BASE64 ${KEY}\nHMAC_KEY_BASE64 ${HMAC}\nSPOOF_USER carol\n[door]\nACCESS tcp/443\nSPA_SERVER 127.0.0.1\nSPA_SERVER_PORT ${udp.port}\n`,
    );
    try {
      const result = await sesame('spa', '--rc-file', path, '-n', 'door', '-a', '203.0.113.5');
      expect(result.status, result.stderr).toBe(0);
      const decoded = decodeSpaPacket(await udp.received, decodeKeys, { encryptionMode: 'cbc' });
      expect(decoded.fields).toMatchObject({ username: 'carol', message: '203.0.113.5,tcp/443' });
    } finally {
      udp.close();
    }
  });
});

describe('what the spa command loads', () => {
  it('never zod, which would cost about 130 ms at every start', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: ['src/cli/spa-command.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      write: false,
      logLevel: 'silent',
      // -R's resolver loads zod for its provider specs; the command imports it only for -R.
      plugins: [
        {
          name: 'on-use',
          setup: (b) =>
            b.onResolve({ filter: /spa-public-ip/ }, (a) => ({ path: a.path, external: true })),
        },
      ],
    });
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toContain('from "node:crypto"');
    expect(code).toContain('import("./spa-public-ip.js")');
    expect(code).not.toMatch(/from "zod|import\("zod|require\("zod/);
  });
});

describe('sesame spa --help', () => {
  it("lists fwknop's options by their names", async () => {
    const result = await sesame('spa', '--help');
    expect(result.status).toBe(0);
    for (const option of [
      '-A, --access',
      '-a, --allow-ip',
      '-s, --source-ip',
      '-R, --resolve-ip-https',
      '-D, --destination',
      '-n, --named-config',
      '--rc-file',
      '-N, --nat-access',
      '--nat-local',
      '--nat-port',
      '-f, --fw-timeout',
      '--key-base64-rijndael',
      '--key-base64-hmac',
      '--key-rijndael',
      '--key-hmac',
      '--use-hmac',
      '--hmac-digest-type',
      '-m, --digest-type',
      '-M, --encryption-mode',
      '-p, --server-port',
      '-P, --server-proto',
      '-r, --rand-port',
      '--time-offset-plus',
      '--time-offset-minus',
      '-k, --key-gen',
      '-v, --verbose',
      '-T, --test',
      '--check',
    ]) {
      expect(result.stdout).toContain(option);
    }
  });
});
