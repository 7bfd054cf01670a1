import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { Cleanup } from './harness/cleanup.js';
import { type Fwknopd, startFwknopd } from './harness/fwknopd.js';
import { addInnerHost, type InnerHost } from './harness/inner-host.js';
import { createLab, type Lab, type Namespace, tcpState } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import { mustRun, type RunResult } from './harness/run.js';
import { SESAME_CLI, sesameIn } from './harness/sesame-cli.js';
import { startTcpService } from './harness/tcp-service.js';

const PROGRAMS = ['ip', 'iptables-nft', 'fwknopd', 'fwknop', 'bash', 'timeout'];
const SSH = 22;
const LOCAL_NAT_PORT = 2222;
const FORWARD_NAT_PORT = 5022;

/**
 * One fwknopd, one stanza per configuration; each stanza answers only packets sent to its own
 * address of the server (DESTINATION), so a test reaches exactly the configuration it means.
 */
const ADDRESS = {
  main: '10.200.0.2', // CBC, HMAC-SHA256, keys made by `sesame spa --key-gen`
  sha512: '10.200.0.3', // CBC, HMAC-SHA512, keys made by Debian's `fwknop --key-gen`, -s allowed
  legacy: '10.200.0.4', // legacy mode, a passphrase, no HMAC
  nat: '10.200.0.5', // NAT to the inner host and to the server itself
};
const LEGACY_KEY = 'legacypass';

interface KeyPair {
  readonly key: string;
  readonly hmac: string;
}

function parseKeyGen(text: string): KeyPair {
  const key = /^KEY_BASE64: (\S+)$/m.exec(text)?.[1];
  const hmac = /^HMAC_KEY_BASE64: (\S+)$/m.exec(text)?.[1];
  if (!key || !hmac) throw new Error(`no keys in ${text}`);
  return { key, hmac };
}

/** What a TCP connection from `ns` reads first: the banner tells which service answered. */
async function banner(ns: Namespace, host: string, port: number): Promise<string> {
  const result = await ns.run('timeout', [
    '1',
    'bash',
    '-c',
    `exec 3<>/dev/tcp/${host}/${port}; head -c 40 <&3`,
  ]);
  return result.stdout.trim();
}

describePeers('SPA against a real fwknopd', PROGRAMS, () => {
  const cleanup = new Cleanup();
  let lab: Lab;
  let inner: InnerHost;
  let fwknopd: Fwknopd;
  let work: string;
  let fwHome: string;
  let main: KeyPair;
  let sha512: KeyPair;

  /** Debian's fwknop client, with a scratch HOME for its ~/.fwknoprc and ~/.fwknop.run. */
  const fwknop = (args: string[]) =>
    lab.client.run('fwknop', args, { env: { PATH: process.env.PATH, HOME: fwHome } });
  const sesame = (args: string[]) =>
    sesameIn(lab.client, ['spa', ...args], { PATH: process.env.PATH, HOME: fwHome });
  const mainKeys = () => ['--key-base64-rijndael', main.key, '--key-base64-hmac', main.hmac];
  const sha512Keys = () => [
    ...['--key-base64-rijndael', sha512.key, '--key-base64-hmac', sha512.hmac],
    ...['--hmac-digest-type', 'sha512'],
  ];
  /** An access request for tcp/22 to the main stanza; the keys and the rest are the test's. */
  const toMain = (...args: string[]) =>
    sesame(['-A', 'tcp/22', '-a', lab.clientIp, '-D', ADDRESS.main, ...args]);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sesame-spa-'));
    cleanup.add(() => rmSync(work, { recursive: true, force: true }));
    fwHome = join(work, 'home');
    mkdirSync(fwHome, { mode: 0o700 });
    main = parseKeyGen((await mustRun(process.execPath, [SESAME_CLI, 'spa', '--key-gen'])).stdout);
    const debianKeys = await mustRun('fwknop', ['--key-gen', '--hmac-digest-type', 'sha512'], {
      env: { PATH: process.env.PATH, HOME: fwHome },
    });
    sha512 = parseKeyGen(debianKeys.stdout);

    lab = await createLab(cleanup);
    for (const address of [ADDRESS.sha512, ADDRESS.legacy, ADDRESS.nat]) {
      await mustRun('ip', [
        '-n',
        lab.server.name,
        'addr',
        'add',
        `${address}/24`,
        'dev',
        lab.serverIf,
      ]);
    }
    inner = await addInnerHost(lab, cleanup);
    await startTcpService(lab.server, cleanup, SSH, 'SSH-2.0-sesame-server');
    await startTcpService(inner.ns, cleanup, SSH, 'SSH-2.0-sesame-inner');
    // Default drop for the guarded ports; fwknopd puts its own chains in front of these rules.
    const rule = (...args: string[]) => lab.server.mustRun('iptables-nft', args);
    await rule('-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT');
    await rule(
      '-A',
      'INPUT',
      '-p',
      'tcp',
      '-m',
      'multiport',
      '--dports',
      `${SSH},${LOCAL_NAT_PORT},${FORWARD_NAT_PORT}`,
      '-j',
      'DROP',
    );
    await rule(
      '-A',
      'FORWARD',
      '-d',
      inner.address,
      '-p',
      'tcp',
      '--dport',
      String(SSH),
      '-j',
      'DROP',
    );

    fwknopd = await startFwknopd(
      lab,
      cleanup,
      work,
      [
        {
          destination: ADDRESS.main,
          openPorts: 'tcp/22',
          keyBase64: main.key,
          hmacKeyBase64: main.hmac,
        },
        {
          destination: ADDRESS.sha512,
          openPorts: 'tcp/22',
          keyBase64: sha512.key,
          hmacKeyBase64: sha512.hmac,
          hmacDigestType: 'SHA512',
          requireSourceAddress: false,
        },
        {
          destination: ADDRESS.legacy,
          openPorts: 'tcp/22',
          key: LEGACY_KEY,
          encryptionMode: 'legacy',
        },
        {
          destination: ADDRESS.nat,
          openPorts: `tcp/${LOCAL_NAT_PORT},tcp/${FORWARD_NAT_PORT}`,
          keyBase64: main.key,
          hmacKeyBase64: main.hmac,
        },
      ],
      {
        // UDP on 62201 and the --rand-port range, TCP for the TCP and HTTP transports.
        pcapFilter: 'udp dst portrange 10000-65535 or tcp dst port 62201',
        extra: {
          ENABLE_TCP_SERVER: 'Y',
          TCPSERV_PORT: '62201',
          ENABLE_SPA_OVER_HTTP: 'Y',
          ENABLE_IPT_FORWARDING: 'Y',
          ENABLE_IPT_LOCAL_NAT: 'Y',
        },
      },
    );
  });

  afterAll(() => cleanup.run());

  beforeEach(async () => {
    await fwknopd.closeDoors();
    expect(await tcpState(lab.client, lab.serverIp, SSH)).toBe('filtered');
  });

  /**
   * Sends with `send`, then proves the door opened: fwknopd logs the rule it added (by default
   * the access rule for tcp/22), and the rule is in its chain.
   */
  async function expectOpens(
    send: () => Promise<RunResult>,
    rule: { log: string; chain: string; table?: string } = {
      log: 'access rule to FWKNOP_INPUT',
      chain: 'FWKNOP_INPUT',
    },
    ports = 'tcp/22',
  ) {
    const since = fwknopd.mark();
    const result = await send();
    expect(result.code, result.stderr + result.stdout).toBe(0);
    await fwknopd.waitForLog(
      new RegExp(`Added ${rule.log} for ${lab.clientIp} -> 0\\.0\\.0\\.0/0 ${ports}`),
      { since },
    );
    expect(await fwknopd.rules(rule.chain, rule.table)).toContain(`-s ${lab.clientIp}/32`);
    return result;
  }

  /** Sends, waits for fwknopd's reason to refuse, then proves the door stayed shut. */
  async function expectRefused(send: () => Promise<RunResult>, reason: RegExp) {
    const since = fwknopd.mark();
    const result = await send();
    const line = await fwknopd.waitForLog(reason, { since });
    expect(fwknopd.log().slice(since)).not.toMatch(/Added access rule/);
    expect(await fwknopd.rules('FWKNOP_INPUT')).not.toContain(lab.clientIp);
    expect(await tcpState(lab.client, lab.serverIp, SSH)).toBe('filtered');
    return { result, line };
  }

  it('opens the door for an access packet with HMAC-SHA256 (keys from sesame --key-gen)', async () => {
    const result = await expectOpens(() => toMain(...mainKeys(), '--check', '22'));
    expect(result.stdout).toMatch(/^10\.200\.0\.2:22 is open \(answered after \d+ ms\)\n$/);
    expect(await banner(lab.client, lab.serverIp, SSH)).toBe('SSH-2.0-sesame-server');
  });

  it.each(['sha512', 'sha3_256', 'md5'])(
    'opens the door with a %s digest inside the packet',
    async (digest) => {
      await expectOpens(() => toMain(...mainKeys(), '-m', digest));
    },
  );

  it('opens the door with HMAC-SHA512 (keys from Debian fwknop --key-gen), and for -s', async () => {
    await expectOpens(() => sesame(['-A', 'tcp/22', '-s', '-D', ADDRESS.sha512, ...sha512Keys()]));
  });

  it('opens the door in legacy mode without HMAC, for a server before fwknop 2.5', async () => {
    await expectOpens(() =>
      sesame([
        '-A',
        'tcp/22',
        '-a',
        lab.clientIp,
        '-D',
        ADDRESS.legacy,
        '--key-rijndael',
        LEGACY_KEY,
        '-M',
        'legacy',
      ]),
    );
  });

  it.each([
    ['TCP', 'tcp'],
    ['HTTP', 'http'],
  ])('opens the door over %s', async (_name, proto) => {
    await expectOpens(() => toMain(...mainKeys(), '-P', proto));
  });

  it('opens the door through a random UDP port (--rand-port)', async () => {
    const result = await expectOpens(() => toMain(...mainKeys(), '-r', '-v'));
    const port = Number(/destination port: (\d+)/.exec(result.stdout)?.[1]);
    expect(port).toBeGreaterThanOrEqual(10_000);
    expect(port).not.toBe(62201);
  });

  it('asks for a client timeout, and fwknopd closes the door after it', async () => {
    const since = fwknopd.mark();
    await expectOpens(() => toMain(...mainKeys(), '-f', '2'));
    // fwknopd's default is 30 s; the rule it added must end within the 2 s asked for.
    await fwknopd.waitForLog(/Removed rule \d+ from FWKNOP_INPUT/, { since, timeoutMs: 8000 });
    expect(await tcpState(lab.client, lab.serverIp, SSH)).toBe('filtered');
  });

  const DNAT = { log: 'DNAT rule to FWKNOP_PREROUTING', chain: 'FWKNOP_PREROUTING', table: 'nat' };
  const natRequest = (nat: string[]) =>
    sesame(['-A', 'tcp/22', '-a', lab.clientIp, '-D', ADDRESS.nat, ...mainKeys(), ...nat]);

  it('opens a door through NAT to a host behind the server (-N, --nat-port)', async () => {
    expect(await tcpState(lab.client, ADDRESS.nat, FORWARD_NAT_PORT)).toBe('filtered');
    await expectOpens(
      () => natRequest(['-N', `${inner.address}:22`, '--nat-port', String(FORWARD_NAT_PORT)]),
      DNAT,
      `tcp/${FORWARD_NAT_PORT}`,
    );
    expect(await fwknopd.rules('FWKNOP_PREROUTING', 'nat')).toContain(
      `--to-destination ${inner.address}:22`,
    );
    expect(await fwknopd.rules('FWKNOP_FORWARD')).toContain(`-s ${lab.clientIp}/32`);
    // The connection to the server's NAT port is answered by the inner host's service.
    expect(await banner(lab.client, ADDRESS.nat, FORWARD_NAT_PORT)).toBe('SSH-2.0-sesame-inner');
  });

  it('opens a door through NAT to another port of the server itself (--nat-local)', async () => {
    expect(await tcpState(lab.client, ADDRESS.nat, LOCAL_NAT_PORT)).toBe('filtered');
    await expectOpens(
      () => natRequest(['--nat-local', '--nat-port', String(LOCAL_NAT_PORT)]),
      DNAT,
      `tcp/${LOCAL_NAT_PORT}`,
    );
    expect(await fwknopd.rules('FWKNOP_PREROUTING', 'nat')).toContain(
      `--to-destination ${ADDRESS.nat}:22`,
    );
    expect(await banner(lab.client, ADDRESS.nat, LOCAL_NAT_PORT)).toBe('SSH-2.0-sesame-server');
  });

  it('is refused with a wrong encryption key, and the door stays shut', async () => {
    const wrong = Buffer.alloc(32, 7).toString('base64');
    await expectRefused(
      () => toMain('--key-base64-rijndael', wrong, '--key-base64-hmac', main.hmac),
      /\[10\.200\.0\.1\] \(stanza #1\) Error creating fko context: Decryption failed or decrypted data is invalid/,
    );
  });

  it('is refused with a wrong HMAC key, and the door stays shut', async () => {
    const wrong = Buffer.alloc(64, 9).toString('base64');
    await expectRefused(
      () => toMain('--key-base64-rijndael', main.key, '--key-base64-hmac', wrong),
      /\[10\.200\.0\.1\] \(stanza #1\) Error creating fko context: .*FKO_ERROR_INVALID_DATA_HMAC_COMPAREFAIL/,
    );
  });

  it('is refused when replayed, and the door stays shut', async () => {
    const sent = await expectOpens(() => toMain(...mainKeys(), '-v'));
    const wire = /Final SPA Data: (\S+)/.exec(sent.stdout)?.[1] ?? '';
    expect(wire).not.toBe('');
    await fwknopd.closeDoors();
    const replay = `require('dgram').createSocket('udp4').send(${JSON.stringify(wire)}, 62201, ${JSON.stringify(ADDRESS.main)}, function () { this.close(); })`;
    await expectRefused(
      () => lab.client.run(process.execPath, ['-e', replay]),
      new RegExp(`Replay detected from source IP: ${lab.clientIp.replaceAll('.', '\\.')}`),
    );
  });

  it('is refused when the packet is too old (--time-offset-minus applied)', async () => {
    await expectRefused(
      () => toMain(...mainKeys(), '--time-offset-minus', '10min'),
      /\(stanza #1\) SPA data time difference is too great \(6\d\d seconds\)/,
    );
  });

  it('is refused for -s where the stanza requires a source address', async () => {
    await expectRefused(
      () => sesame(['-A', 'tcp/22', '-s', '-D', ADDRESS.main, ...mainKeys()]),
      /Got 0\.0\.0\.0 when valid source IP was required/,
    );
  });

  it('says so when the TCP connection is never accepted (a dropped port)', async () => {
    const result = await sesame([
      '-A',
      'tcp/22',
      '-a',
      lab.clientIp,
      '-D',
      lab.serverIp,
      ...mainKeys(),
      '-P',
      'tcp',
      '-p',
      String(SSH),
    ]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `sesame: ${lab.serverIp}:22/tcp did not accept the connection within 5000 ms: is fwknopd's TCP server on (ENABLE_TCP_SERVER)?\n`,
    });
  });

  it("reads a ~/.fwknoprc stanza written by Debian's fwknop (sesame spa -n)", async () => {
    const rcFile = join(fwHome, '.fwknoprc');
    rmSync(rcFile, { force: true });
    const saved = await fwknop([
      '--save-rc-stanza',
      '-n',
      'debiandoor',
      '-A',
      'tcp/22',
      '-a',
      lab.clientIp,
      '-D',
      ADDRESS.main,
      ...mainKeys(),
      '--test',
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(readFileSync(rcFile, 'utf8')).toMatch(/^\[debiandoor\]$/m);
    await expectOpens(() => sesame(['-n', 'debiandoor']));
  });

  it("writes a stanza that Debian's fwknop -n reads and opens the door with", async () => {
    const rcFile = join(fwHome, 'sesame.fwknoprc');
    rmSync(rcFile, { force: true });
    const written = await sesame([
      '--rc-file',
      rcFile,
      '--save-rc-stanza',
      '-n',
      'sesamedoor',
      '-A',
      'tcp/22',
      '-a',
      lab.clientIp,
      '-D',
      ADDRESS.sha512,
      ...sha512Keys(),
      '-m',
      'sha384',
      '--test',
    ]);
    expect(written.code, written.stderr).toBe(0);
    await expectOpens(() => fwknop(['--rc-file', rcFile, '-n', 'sesamedoor', '--no-save-args']));
  });

  it('lets in the public IP a resolver reports (-R --resolve-url)', async () => {
    const script = `require('node:http').createServer((q, r) => r.end(q.socket.remoteAddress.replace('::ffff:', '') + '\\n')).listen(8080, () => console.log('ready'))`;
    const child = lab.server.start(cleanup, process.execPath, ['-e', script]);
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    await expectOpens(() =>
      sesame([
        '-A',
        'tcp/22',
        '-R',
        '--resolve-url',
        `http://${lab.serverIp}:8080/`,
        '-D',
        ADDRESS.main,
        ...mainKeys(),
      ]),
    );
  });
});
