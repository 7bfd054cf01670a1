import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { bufferIo } from '../../helpers/buffer-io.js';
import { standInPool } from '../../helpers/stand-ins/stand-in-pool.js';

// Every run here names its providers: stand-ins on loopback. The public defaults are never asked.
const X = '81.2.69.142';
const Y = '81.2.69.160';
const pool = standInPool();
afterEach(() => pool.closeAll());

const work = mkdtempSync(join(tmpdir(), 'sesame-ip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

async function sesame(...argv: string[]) {
  const io = bufferIo();
  const status = await runCli(argv, io);
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}

describe('sesame ip: usage errors, each with a one-line reason and status 2', () => {
  it.each([
    [['-4', '-6'], '-4 and -6 exclude each other: pick one'],
    [['now'], 'sesame ip takes no arguments ("now"); see --help'],
    [['--timeout', '0'], '--timeout "0" is not a whole number from 1 to 600000'],
    [['--bogus'], 'unknown option "--bogus" (see --help)'],
    [['--provider'], 'option "--provider" needs a value'],
    [
      ['--provider', 'ftp://x.test/'],
      '--provider: "ftp://x.test/" is not a provider: give an http(s):// or dns:// URL, or a JSON spec',
    ],
    [['--provider', '{"kind":"http","name":"a"}'], '--provider: give a URL for ipv4, ipv6 or both'],
    [['--provider', '{"kind":'], '--provider: "{"kind":" is not valid JSON'],
    [
      ['--provider', 'dns://127.0.0.1/me.test?type=MX'],
      '--provider: type "MX" is not A, AAAA or TXT',
    ],
    [['-6', '--provider', 'http://127.0.0.1:9/'], 'no provider in the list answers IPv6'],
  ])('%j', async (args, message) => {
    expect(await sesame('ip', ...args)).toEqual({
      status: 2,
      stdout: '',
      stderr: `sesame: ${message}\n`,
    });
  });

  it('names the --providers file and what is wrong in it', async () => {
    const missing = join(work, 'missing.json');
    const notJson = file('not.json', 'providers: all');
    const empty = file('empty.json', '[]');
    const bad = file('bad.json', JSON.stringify([{ kind: 'http', name: 'a', ipv4: 'ftp://a/' }]));
    const twice = file(
      'twice.json',
      JSON.stringify([
        { kind: 'http', name: 'a', ipv4: 'http://a.test/' },
        { kind: 'http', name: 'a', ipv6: 'http://a.test/' },
      ]),
    );
    const cases = [
      [missing, `--providers: cannot read "${missing}" (ENOENT)`],
      [notJson, `--providers: "${notJson}" is not valid JSON`],
      [empty, `--providers: "${empty}": give at least one provider`],
      [bad, `--providers: "${bad}": 0.ipv4: must be an http:// or https:// URL`],
      [
        twice,
        `--providers: "${twice}": provider names must be unique (they key the backoff and the report)`,
      ],
    ];
    for (const [path, message] of cases) {
      expect(await sesame('ip', '--providers', path ?? '')).toEqual({
        status: 2,
        stdout: '',
        stderr: `sesame: ${message}\n`,
      });
    }
  });
});

describe('sesame ip: failures at run time have status 1 and say why, provider by provider', () => {
  it('a dead and a slow provider', async () => {
    const dead = await pool.http({ host: '127.0.0.1' });
    await dead.setMode({ kind: 'dead' });
    const slow = await pool.dns('127.0.0.1', { kind: 'slow', delayMs: 10_000 });
    const result = await sesame(
      'ip',
      '-4',
      '--timeout',
      '300',
      '--provider',
      dead.url,
      '--provider',
      `dns://${slow.server}/myip.test`,
    );
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr: `sesame: no provider answered for IPv4 (127.0.0.1:${dead.port}: connection refused; dns:${slow.server}: timeout after 300 ms)\n`,
    });
  });

  it('a loopback answer is not a public IP unless --accept-non-public', async () => {
    const echo = await pool.http({ host: '127.0.0.1' });
    expect(await sesame('ip', '-4', '--provider', echo.url)).toEqual({
      status: 1,
      stdout: '',
      stderr: `sesame: no provider answered for IPv4 (127.0.0.1:${echo.port}: answered a loopback address (127.0.0.1), not a public one)\n`,
    });
    const accepted = await sesame('ip', '-4', '--accept-non-public', '--provider', echo.url);
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toMatch(
      new RegExp(`^IPv4 127\\.0\\.0\\.1 from 127\\.0\\.0\\.1:${echo.port} \\(\\d+ ms\\)\\n$`),
    );
  });

  it('two providers that disagree', async () => {
    const a = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: X } });
    const b = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: Y } });
    expect(await sesame('ip', '-4', '--provider', a.url, '--provider', b.url)).toEqual({
      status: 1,
      stdout: '',
      stderr: `sesame: providers disagree about IPv4 (127.0.0.1:${a.port}: ${X}; 127.0.0.1:${b.port}: ${Y})\n`,
    });
  });

  it('both families failing: one line for each', async () => {
    const v4 = await pool.http({ host: '127.0.0.1', mode: { kind: 'garbage' } });
    const v6 = await pool.dns('::1', { kind: 'wrong-family' });
    const result = await sesame(
      'ip',
      '--provider',
      v4.url,
      '--provider',
      `dns://${v6.server}/me.test?type=TXT`,
    );
    expect(result).toEqual({
      status: 1,
      stdout: '',
      stderr:
        `sesame: no provider answered for IPv4 (127.0.0.1:${v4.port}: not an address: "<html><body><h1>Welcome to Hotel Wi-F...")\n` +
        `sesame: no provider answered for IPv6 (dns:${v6.server}: answered an IPv4 address (192.0.2.66) when asked for IPv6)\n`,
    });
  });
});

describe('sesame ip: answers', () => {
  it('prints both families, who answered, who said otherwise and who failed', async () => {
    const a = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: X } });
    const b = await pool.dns('127.0.0.1', { kind: 'fixed', address: X });
    const odd = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: Y } });
    const v6 = await pool.http({
      host: '::1',
      format: 'json',
      mode: { kind: 'fixed', address: '2a02:1388::7' },
    });
    const specs = file(
      'mixed.json',
      JSON.stringify([
        { kind: 'http', name: 'a', ipv4: a.url },
        { kind: 'dns', name: 'b', ipv4: { server: b.server, name: 'me.test', type: 'A' } },
        { kind: 'http', name: 'odd', ipv4: odd.url },
        { kind: 'http', name: 'v6', format: 'json', ipv6: v6.url },
      ]),
    );
    const result = await sesame('ip', '--providers', specs);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      new RegExp(
        `^IPv4 ${X} from a \\(\\d+ ms\\), b \\(\\d+ ms\\); odd said ${Y}\\n` +
          `IPv6 2a02:1388::7 from v6 \\(\\d+ ms\\)\\n$`,
      ),
    );
  });

  it('a missing IPv6 is no failure when neither -4 nor -6 was asked', async () => {
    const a = await pool.http({ host: '127.0.0.1', mode: { kind: 'fixed', address: X } });
    const v6 = await pool.http({ host: '::1' });
    await v6.setMode({ kind: 'dead' });
    const result = await sesame('ip', '--provider', a.url, '--provider', v6.url);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^IPv4 ${X} from .*\\nIPv6 unknown: \\[::1\\]:${v6.port}: connection refused\\n$`),
    );
  });

  it('--json prints the address, the answers and the failures of each family asked', async () => {
    const a = await pool.dns('::1', { kind: 'fixed', address: '2a02:1388::7' });
    const dead = await pool.http({ host: '::1' });
    await dead.setMode({ kind: 'dead' });
    const result = await sesame(
      'ip',
      '-6',
      '--json',
      '--provider',
      `dns://${a.server}/me.test?type=AAAA`,
      '--provider',
      dead.url,
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      ipv6: {
        address: '2a02:1388::7',
        provider: `dns:${a.server}`,
        disagreement: false,
        answers: [
          {
            provider: `dns:${a.server}`,
            address: '2a02:1388::7',
            ms: expect.any(Number) as unknown,
          },
        ],
        failures: [
          { provider: `[::1]:${dead.port}`, kind: 'network', reason: 'connection refused' },
        ],
      },
    });
  });

  it('--json on failure still prints JSON, and the reason on stderr', async () => {
    const dead = await pool.http({ host: '127.0.0.1' });
    await dead.setMode({ kind: 'dead' });
    const result = await sesame('ip', '-4', '--json', '--provider', dead.url);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, ipv4: { address: null } });
    expect(result.stderr).toBe(
      `sesame: no provider answered for IPv4 (127.0.0.1:${dead.port}: connection refused)\n`,
    );
  });

  it('--help lists the options, and the main help lists the command', async () => {
    const help = await sesame('ip', '--help');
    expect(help.status).toBe(0);
    for (const option of [
      '-4, --ipv4',
      '-6, --ipv6',
      '--provider',
      '--providers',
      '--timeout',
      '--json',
      '--accept-non-public',
    ]) {
      expect(help.stdout).toContain(option);
    }
    expect((await sesame('--help')).stdout).toMatch(
      /^ {2}ip +show this machine's public IPv4 and IPv6 addresses$/m,
    );
  });
});
