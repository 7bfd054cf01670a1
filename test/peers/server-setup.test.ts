import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServerSetup } from '../../src/setup/server-setup.js';
import { type PrivateKeyring, startPrivateKeyring } from '../helpers/private-keyring.js';
import { Cleanup } from './harness/cleanup.js';
import { fwknopdConfig } from './harness/fwknopd.js';
import { addInnerHost, type InnerHost } from './harness/inner-host.js';
import { createLab, type Lab, tcpState } from './harness/netns.js';
import { describePeers } from './harness/requirements.js';
import { type RunResult, waitFor } from './harness/run.js';
import { sesameIn } from './harness/sesame-cli.js';
import { startTcpService } from './harness/tcp-service.js';

const PROGRAMS = [
  'ip',
  'iptables-nft',
  'ip6tables-nft',
  'ipset',
  'nft',
  'sysctl',
  'knockd',
  'fwknopd',
  'bash',
  'timeout',
  'dbus-daemon',
  'gnome-keyring-daemon',
];
const SSH = 22;
const NFT_PORT = 2222;
const RDP = 3389;
const SPA_PORT = 2022;

/**
 * The setup helper's output, used as it is: a real knockd loads the generated doors, the
 * generated ipset/iptables, nftables and NAT rules run in the server's namespace, a real fwknopd
 * loads the generated access.conf stanza, and `sesame knock NAME` then opens each door (which
 * was shut before) with the saved server the setup was generated from.
 */
describePeers('the generated server setup against real knockd and fwknopd', PROGRAMS, () => {
  const cleanup = new Cleanup();
  let lab: Lab;
  let inner: InnerHost;
  let keyring: PrivateKeyring;
  let work: string;
  let env: NodeJS.ProcessEnv;
  let knockdLog: string;
  let fwknopdLog = '';
  const setups = new Map<string, ServerSetup>();

  const sesame = async (args: string[]): Promise<RunResult> => {
    const result = await sesameIn(lab.client, args, env);
    if (result.code !== 0) throw new Error(`sesame ${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const block = (name: string, id: string): string => {
    const text = setups.get(name)?.blocks.find((b) => b.id === id)?.text;
    if (text === undefined) throw new Error(`no ${id} in the setup of ${name}`);
    return text;
  };
  /** Runs a generated shell block as root on the server, exactly as pasted. */
  const paste = (text: string) => lab.server.mustRun('bash', ['-e', '-c', text]);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sesame-setup-'));
    cleanup.add(() => rmSync(work, { recursive: true, force: true }));
    keyring = await startPrivateKeyring();
    cleanup.add(() => keyring.stop());
    env = { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: join(work, 'sesame') };
    lab = await createLab(cleanup);
    inner = await addInnerHost(lab, cleanup);
    for (const port of [SSH, NFT_PORT, SPA_PORT]) await startTcpService(lab.server, cleanup, port);
    await startTcpService(inner.ns, cleanup, RDP, 'RDP-sesame-inner');

    // The saved servers, each with a fresh sequence from sesame generate-sequence.
    const sequence = async () => (await sesame(['generate-sequence'])).stdout.trim();
    const add = async (name: string, host: string, check: number) =>
      sesame([
        ...['servers', 'add', name, '--host', host, '--check', String(check)],
        ...['--check-timeout', '1500', '--seq-timeout', '5', '--sequence', await sequence()],
      ]);
    await add('ssh door', lab.serverIp, SSH);
    await add('nft door', lab.serverIp6, NFT_PORT);
    await add('rdp door', lab.serverIp, RDP);
    const keys = (await sesame(['spa', '--key-gen'])).stdout;
    const key = /^KEY_BASE64: (\S+)$/m.exec(keys)?.[1] ?? '';
    const hmac = /^HMAC_KEY_BASE64: (\S+)$/m.exec(keys)?.[1] ?? '';
    await sesame([
      ...['servers', 'add', 'spa door', '--host', lab.serverIp, '--check', String(SPA_PORT)],
      ...['--check-timeout', '1500', '--spa', '--no-rc-file', '-A', `tcp/${SPA_PORT}`],
      ...['-a', lab.clientIp, '--key-base64-rijndael', key, '--key-base64-hmac', hmac],
    ]);

    const generate = async (name: string, ...options: string[]) => {
      const output = await sesame(['server-setup', name, '--json', ...options]);
      setups.set(name, JSON.parse(output.stdout) as ServerSetup);
    };
    await generate('ssh door', '--stop-after', '600');
    await generate('nft door', '--nft');
    await generate('rdp door', '--nat', `${inner.address}:${RDP}`);
    await generate('spa door');

    // The server side, from the generated blocks only.
    await paste(block('ssh door', 'ipset-iptables'));
    const nftFile = join(work, 'nft-door.nft');
    writeFileSync(nftFile, block('nft door', 'nftables'));
    await lab.server.mustRun('nft', ['-f', nftFile]);
    await paste(block('rdp door', 'ipset-iptables'));
    await paste(block('rdp door', 'nat'));
    await paste(block('spa door', 'spa-iptables'));

    knockdLog = join(work, 'knockd.log');
    writeFileSync(knockdLog, '');
    const conf = join(work, 'knockd.conf');
    writeFileSync(
      conf,
      [
        `[options]\n    LogFile = ${knockdLog}\n`,
        block('ssh door', 'knockd-door'),
        block('nft door', 'knockd-door'),
        block('rdp door', 'knockd-door'),
      ].join('\n'),
    );
    const knockd = lab.server.start(cleanup, 'knockd', ['-i', lab.serverIf, '-c', conf]);
    knockd.stdout?.resume();
    knockd.stderr?.resume();
    await waitFor(
      'knockd to listen',
      () => readFileSync(knockdLog, 'utf8').includes('listening'),
      10_000,
    );

    const runDir = join(work, 'fwknop-run');
    mkdirSync(runDir, { recursive: true, mode: 0o700 });
    const fwknopdConf = join(work, 'fwknopd.conf');
    writeFileSync(
      fwknopdConf,
      fwknopdConfig({
        PCAP_INTF: lab.serverIf,
        ENABLE_PCAP_PROMISC: 'N',
        FWKNOP_RUN_DIR: runDir,
        FIREWALL_EXE: '/usr/sbin/iptables-nft',
        LOCALE: 'C',
      }),
      { mode: 0o600 },
    );
    const access = join(work, 'access.conf');
    writeFileSync(access, block('spa door', 'fwknopd-access'), { mode: 0o600 });
    const fwknopd = lab.server.start(cleanup, 'fwknopd', [
      ...['-f', '-v', '-c', fwknopdConf, '-a', access, '-p', join(runDir, 'fwknopd.pid')],
    ]);
    const collect = (chunk: Buffer): void => void (fwknopdLog += chunk.toString());
    fwknopd.stdout?.on('data', collect);
    fwknopd.stderr?.on('data', collect);
    await waitFor('fwknopd to start', () => fwknopdLog.includes('main event loop'), 15_000);
  });
  afterAll(() => cleanup.run());

  it('a knock door with ipset and iptables: shut, then open for the knocking address', async () => {
    expect(await tcpState(lab.client, lab.serverIp, SSH)).toBe('filtered');
    const knocked = await sesameIn(lab.client, ['knock', 'ssh door'], env);
    expect(knocked.code, knocked.stderr).toBe(0);
    expect(knocked.stdout).toMatch(/^ssh door is open \(port 22 answered after \d+ ms\)\n$/);
    expect((await lab.server.run('ipset', ['test', 'sesame-ssh-door', lab.clientIp])).code).toBe(0);
    expect(await tcpState(lab.client, lab.serverIp, NFT_PORT)).toBe('filtered');
  });

  it('a knock door with nftables, knocked over IPv6', async () => {
    expect(await tcpState(lab.client, lab.serverIp6, NFT_PORT)).toBe('filtered');
    const knocked = await sesameIn(lab.client, ['knock', 'nft door'], env);
    expect(knocked.code, `${knocked.stderr}\n${readFileSync(knockdLog, 'utf8')}`).toBe(0);
    const set = await lab.server.run('nft', ['list', 'set', 'inet', 'sesame_nft_door', 'allowed6']);
    expect(set.stdout).toContain(lab.clientIp6);
  });

  it("the NAT variant: RDP forwarded to the LAN machine, as in the article's example", async () => {
    expect(await tcpState(lab.client, lab.serverIp, RDP)).toBe('filtered');
    const knocked = await sesameIn(lab.client, ['knock', 'rdp door'], env);
    expect(knocked.code, knocked.stderr).toBe(0);
    const banner = await lab.client.run('timeout', [
      '1',
      'bash',
      '-c',
      `exec 3<>/dev/tcp/${lab.serverIp}/${RDP}; head -c 16 <&3`,
    ]);
    expect(banner.stdout).toBe('RDP-sesame-inner');
  });

  it('an SPA door with the generated access.conf and rules', async () => {
    expect(await tcpState(lab.client, lab.serverIp, SPA_PORT)).toBe('filtered');
    const knocked = await sesameIn(lab.client, ['knock', 'spa door'], env);
    expect(knocked.code, `${knocked.stderr}\n${fwknopdLog}`).toBe(0);
    expect(fwknopdLog).toMatch(
      new RegExp(`Added access rule to FWKNOP_INPUT for ${lab.clientIp.replace(/\./g, '\\.')} `),
    );
  });
});
