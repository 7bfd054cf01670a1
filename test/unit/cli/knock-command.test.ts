import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { bufferIo } from '../../helpers/buffer-io.js';
import { freePort, listen } from '../../helpers/loopback.js';

// Commands that look for saved servers read this scratch settings folder, never the real one.
let configDir: string;
beforeAll(() => {
  configDir = mkdtempSync(join(tmpdir(), 'sesame-cli-'));
  process.env.SESAME_CONFIG_DIR = configDir;
});
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

async function sesame(...argv: string[]) {
  const io = bufferIo();
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

/** A UDP socket on loopback that records the port each datagram came to, in order. */
async function udpReceivers(count: number) {
  const received: { port: number; payload: string }[] = [];
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      socket.on('message', (payload) =>
        received.push({ port: socket.address().port, payload: payload.toString('hex') }),
      );
      return socket;
    }),
  );
  return {
    ports: sockets.map((s) => s.address().port),
    received,
    close: () => sockets.forEach((s) => s.close()),
  };
}

describe('sesame knock: usage errors, each with a one-line reason and status 2', () => {
  it.each([
    [
      ['knock'],
      'sesame: give a host and at least one port: sesame knock <host> <port[:proto]> ...\n',
    ],
    [
      ['knock', 'host'],
      'sesame: no saved server is called "host": to knock on a host directly, give its ports (sesame knock host 7000 8000 9000)\n',
    ],
    [
      ['knock', '-u', 'office'],
      'sesame: a saved server knocks with its own settings: -u, -d, -4, -6 and --check apply to a host and ports\n',
    ],
    [['knock', 'host', '70000'], 'sesame: "70000" is not a port (1-65535)\n'],
    [['knock', 'host', '7000:icmp'], 'sesame: "icmp" is not a protocol (tcp or udp)\n'],
    [['knock', '-x', 'host', '1'], 'sesame: unknown option "-x" (see --help)\n'],
    [['knock', 'host', '1', '-d'], 'sesame: option "-d, --delay" needs a value\n'],
    [
      ['knock', '-d', 'soon', 'host', '1'],
      'sesame: -d: "soon" is not a delay in milliseconds (0-60000)\n',
    ],
    [
      ['knock', '-d', '-5', 'host', '1'],
      'sesame: option "-d" needs a value; to give one that starts with "-", write --delay=-…\n',
    ],
    [['knock', '-4', '-6', 'host', '1'], 'sesame: -4 and -6 exclude each other: pick one\n'],
    [
      ['knock', '--check', '0', 'host', '1'],
      'sesame: --check port "0" is not a whole number from 1 to 65535\n',
    ],
    [
      ['knock', '--timeout', '5', 'host', '1'],
      'sesame: --timeout applies to --check: add --check <port>\n',
    ],
    [
      ['knock', '--check', '22', '--timeout', 'x', 'h', '1'],
      'sesame: --timeout "x" is not a whole number from 1 to 600000\n',
    ],
    [['knock', '--json=1', 'host', '1'], 'sesame: option "--json" takes no value\n'],
    [
      ['frobnicate'],
      'sesame: unknown command "frobnicate" (commands: knock, servers, status, log, watch, ip, spa, import, export, share, server-setup, generate-sequence)\n',
    ],
  ])('%j', async (argv, stderr) => {
    const result = await sesame(...argv);
    expect(result).toEqual({ status: 2, stdout: '', stderr });
  });
});

describe('sesame knock: failures at run time have status 1', () => {
  it('names a host it cannot use', async () => {
    const result = await sesame('knock', '-6', '127.0.0.1', '1');
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: 'sesame: "127.0.0.1" is an IPv4 address, but IPv6 only was asked for\n',
    });
  });
});

describe('sesame knock on loopback', () => {
  it("sends one datagram per UDP hit, in order, with knock's one-byte payload", async () => {
    const udp = await udpReceivers(3);
    try {
      const words = udp.ports.map((port) => `${port}:udp`);
      const result = await sesame('knock', '-v', '127.0.0.1', ...words);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(
        udp.ports.map((port) => `hitting udp 127.0.0.1:${port}\n`).join(''),
      );
      await expect.poll(() => udp.received.length).toBe(3);
      expect(udp.received).toEqual(udp.ports.map((port) => ({ port, payload: '00' })));
    } finally {
      udp.close();
    }
  });

  it('-u makes every hit UDP, also the ones written as :tcp', async () => {
    const udp = await udpReceivers(2);
    try {
      const result = await sesame(
        'knock',
        '-u',
        '127.0.0.1',
        `${udp.ports[0]}:tcp,${udp.ports[1]}`,
      );
      expect(result.status).toBe(0);
      await expect.poll(() => udp.received.map((r) => r.port)).toEqual(udp.ports);
    } finally {
      udp.close();
    }
  });

  it('--json reports the hits and the check', async () => {
    const { server, port } = await listen(createServer((socket) => socket.destroy()));
    const udp = await udpReceivers(1);
    try {
      const result = await sesame(
        'knock',
        '--json',
        '--check',
        String(port),
        '127.0.0.1',
        `${udp.ports[0]}:udp`,
      );
      expect(result.status).toBe(0);
      const json = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(json).toMatchObject({
        ok: true,
        host: '127.0.0.1',
        address: '127.0.0.1',
        family: 4,
        hits: [{ port: udp.ports[0], protocol: 'udp' }],
        check: { port, state: 'open' },
      });
    } finally {
      udp.close();
      server.close();
    }
  });

  it('--check exits 0 and says so when the port answers', async () => {
    const { server, port } = await listen(createServer((socket) => socket.destroy()));
    try {
      const result = await sesame('knock', '--check', String(port), '127.0.0.1', '1:udp');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:${port} is open \\(answered after \\d+ ms\\)\\n$`),
      );
    } finally {
      server.close();
    }
  });

  it('--check exits 1 with the reason when the port does not answer', async () => {
    const port = await freePort();
    const result = await sesame(
      'knock',
      '--check',
      String(port),
      '--timeout',
      '200',
      '127.0.0.1',
      '1:udp',
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `sesame: 127.0.0.1:${port} is closed: the connection was refused (the door did not open, or nothing listens there)\n`,
    );
  });

  it('--help prints the options of knock', async () => {
    const result = await sesame('knock', '--help');
    expect(result.status).toBe(0);
    for (const option of [
      '-u, --udp',
      '-d, --delay',
      '-4, --ipv4',
      '-6, --ipv6',
      '-v, --verbose',
      '--check',
      '--timeout',
      '--json',
    ]) {
      expect(result.stdout).toContain(option);
    }
  });

  it('--version and no command', async () => {
    expect((await sesame('--version')).stdout).toMatch(/^sesame \S+\n$/);
    const bare = await sesame();
    expect(bare.status).toBe(2);
    expect(bare.stdout).toContain('usage: sesame <command>');
  });
});
