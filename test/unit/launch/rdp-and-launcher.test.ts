import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn as nodeSpawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerProfile } from '../../../src/servers/server-profile.js';
import { LaunchError } from '../../../src/launch/launch-plan.js';
import {
  expandRdpTemplate,
  type RdpChoice,
  rdpPlan,
  type RdpTarget,
} from '../../../src/launch/rdp-command.js';
import {
  createSystemLauncher,
  onPath,
  type Spawn,
  start,
} from '../../../src/launch/system-launcher.js';

const PLATFORMS = ['linux', 'darwin', 'win32'] as const;

function rdp(host: string, user?: string, port = 3389): RdpTarget {
  return { host, rdp: { port, ...(user !== undefined && { user }) } };
}

describe('the RDP client per platform', () => {
  it('Windows: mstsc /v:host:port', () => {
    expect(rdpPlan('win32', rdp('pc.example.com', 'bob', 3390), {})).toEqual({
      file: 'mstsc.exe',
      args: ['/v:pc.example.com:3390'],
    });
    expect(rdpPlan('win32', rdp('2001:db8::5'), {}).args).toEqual(['/v:[2001:db8::5]:3389']);
  });

  it('macOS: an rdp:// URL for Microsoft’s client, opened by open', () => {
    expect(rdpPlan('darwin', rdp('pc.example.com', 'DOMAIN\\bob'), {})).toEqual({
      file: 'open',
      args: ['rdp://full%20address=s%3Apc.example.com%3A3389&username=s%3ADOMAIN%5Cbob'],
      waitForExit: true,
    });
  });

  it('Linux: xfreerdp with /v and /u, or Remmina with a URL', () => {
    expect(rdpPlan('linux', rdp('10.0.0.5', 'bob'), { linuxClient: 'xfreerdp' })).toEqual({
      file: 'xfreerdp',
      args: ['/v:10.0.0.5:3389', '/u:bob'],
    });
    expect(rdpPlan('linux', rdp('10.0.0.5'), { linuxClient: 'xfreerdp3' }).args).toEqual([
      '/v:10.0.0.5:3389',
    ]);
    expect(rdpPlan('linux', rdp('h.example', 'b@corp'), { linuxClient: 'remmina' })).toEqual({
      file: 'remmina',
      args: ['-c', 'rdp://b%40corp@h.example:3389'],
    });
    expect(() => rdpPlan('linux', rdp('h.example'), {})).toThrow(/no RDP client was found/);
  });

  it.each(PLATFORMS)('%s: the person’s template, each element one argument', (platform) => {
    const template = ['/opt/rdp', '/v:{host}:{port}', '/u:{user}', '+clipboard'];
    expect(rdpPlan(platform, rdp('2001:db8::9', 'bob', 3390), { template })).toEqual({
      file: '/opt/rdp',
      args: ['/v:[2001:db8::9]:3390', '/u:bob', '+clipboard'],
    });
    // Without a user, the element that names it goes away whole.
    expect(rdpPlan(platform, rdp('h.example'), { template }).args).toEqual([
      '/v:h.example:3389',
      '+clipboard',
    ]);
  });

  for (const platform of PLATFORMS) {
    it.each(['h; calc', '$(id)', 'a b', '-admin', '/v:evil'])(
      `refuses the host %j on ${platform}`,
      (host) => {
        expect(() => rdpPlan(platform, rdp(host), { linuxClient: 'xfreerdp' })).toThrow(
          LaunchError,
        );
      },
    );
    it.each(['-u', 'bob;calc', '$(id)', 'a b', 'x/u:admin'])(
      `refuses the user %j on ${platform}`,
      (user) => {
        expect(() =>
          rdpPlan(platform, rdp('h.example', user), {
            linuxClient: 'remmina',
            template: platform === 'linux' ? undefined : ['x', '{user}'],
          }),
        ).toThrow(LaunchError);
      },
    );
  }

  it('refuses an empty template', () => {
    expect(() => expandRdpTemplate(['/u:{user}'], 'h', 1, undefined)).toThrow(/empty/);
  });
  it("builds every platform's command from any host, user and port, or refuses them", () => {
    const user = fc.option(
      fc.oneof(fc.string(), fc.constantFrom('-x', 'a b', '$(id)', 'DOM\\bob')),
      {
        nil: undefined,
      },
    );
    const port = fc.oneof(fc.integer({ min: -10, max: 70_000 }), fc.double());
    const client = fc.constantFrom<RdpChoice['linuxClient']>('xfreerdp', 'remmina');
    fc.assert(
      fc.property(
        fc.constantFrom(...PLATFORMS),
        fc.string(),
        user,
        port,
        client,
        (platform, host, name, number, linuxClient) => {
          let plan;
          try {
            plan = rdpPlan(platform, rdp(host, name, number), { linuxClient });
          } catch (error) {
            expect(error).toBeInstanceOf(LaunchError);
            return;
          }
          // Whatever was typed lands inside one argument, never as an option of its own.
          for (const arg of plan.args) {
            expect(arg).not.toMatch(/[\n\r\0]/);
          }
          // The only arguments that start with "-" are Sesame's own (Remmina's -c).
          for (const arg of plan.args.filter((a) => a.startsWith('-'))) expect(arg).toBe('-c');
          expect(Number.isInteger(number) && number >= 1 && number <= 65_535).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

interface Recorded {
  file: string;
  args: readonly string[];
  options: SpawnOptions;
}

/** Records what would be started and runs a harmless process in its place. */
function recordingSpawn(log: Recorded[], replacement: readonly string[] = ['-e', '']): Spawn {
  return (file, args, options) => {
    log.push({ file, args, options });
    return nodeSpawn(process.execPath, replacement, { ...options, detached: false });
  };
}

const server = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'db',
  host: 'db.example.com',
  family: 'auto',
  method: { kind: 'knock', delayMs: 0, seqTimeoutSeconds: 25, oneTime: false },
  checkTimeoutMs: 3000,
  ssh: { port: 2222, user: 'alice', extraArgs: [] },
  rdp: { port: 3389, user: 'bob' },
  auto: { onIpChange: true, atStart: false, keepAliveMinutes: 0 },
  tags: [],
} satisfies ServerProfile;

describe('the system launcher', () => {
  it('starts the desktop terminal detached, without a shell, and says what it ran', async () => {
    const log: Recorded[] = [];
    const launcher = createSystemLauncher({
      preferences: () => ({}),
      platform: 'linux',
      env: { XDG_CURRENT_DESKTOP: 'KDE' },
      spawn: recordingSpawn(log),
      hasProgram: (name) => name === 'konsole' || name === 'xfreerdp',
    });
    await expect(launcher.openSsh(server)).resolves.toEqual({
      command: 'konsole -e ssh -p 2222 -l alice -- db.example.com',
    });
    await launcher.openRdp(server);
    expect(log.map(({ file, args }) => [file, ...args])).toEqual([
      ['konsole', '-e', 'ssh', '-p', '2222', '-l', 'alice', '--', 'db.example.com'],
      ['xfreerdp', '/v:db.example.com:3389', '/u:bob'],
    ]);
    for (const { options } of log) {
      expect(options).toMatchObject({ detached: true, shell: false, stdio: 'ignore' });
    }
  });

  it('reads the person’s terminal and RDP command at each launch', async () => {
    const log: Recorded[] = [];
    let terminalCommand: string[] | undefined = undefined;
    const launcher = createSystemLauncher({
      preferences: () => ({ terminalCommand, rdpCommand: ['rdp', '{host}'] }),
      platform: 'win32',
      spawn: recordingSpawn(log),
      hasProgram: (name) => name === 'wt.exe',
    });
    await launcher.openSsh(server);
    terminalCommand = ['alacritty', '-e', '{command}'];
    await launcher.openSsh(server);
    await launcher.openRdp(server);
    expect(log.map(({ file }) => file)).toEqual(['wt.exe', 'alacritty', 'rdp']);
    expect(launcher.sshCommand(server)).toBe('ssh.exe -p 2222 -l alice -- db.example.com');
  });

  it('says what to do when the program is missing', async () => {
    await expect(
      start((file, args, options) => nodeSpawn(file, args, options), {
        file: 'sesame-no-such-terminal',
        args: [],
      }),
    ).rejects.toThrow(/sesame-no-such-terminal was not found: install it/);
    const launcher = createSystemLauncher({
      preferences: () => ({}),
      platform: 'linux',
      env: {},
      hasProgram: () => false,
    });
    await expect(launcher.openSsh(server)).rejects.toThrow(/no terminal was found/);
  });

  it('waits for a hand-off program and reports its failure with its first line', async () => {
    const spawn: Spawn = (_file, _args, options): ChildProcess =>
      nodeSpawn(
        process.execPath,
        ['-e', 'process.stderr.write("not allowed to send Apple events\\nmore"); process.exit(1)'],
        { ...options, detached: false },
      );
    await expect(start(spawn, { file: 'osascript', args: [], waitForExit: true })).rejects.toThrow(
      'osascript failed (exit 1): not allowed to send Apple events',
    );
    const ok: Spawn = (_f, _a, options) =>
      nodeSpawn(process.execPath, ['-e', ''], { ...options, detached: false });
    await expect(start(ok, { file: 'open', args: [], waitForExit: true })).resolves.toBe(undefined);
  });
});

describe('finding a program on the PATH', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-path-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds files, not folders, in every PATH folder', () => {
    writeFileSync(join(dir, 'konsole'), '');
    mkdirSync(join(dir, 'xterm'));
    const env = { PATH: ['/nonexistent', dir].join(':') };
    expect(onPath('konsole', env, 'linux')).toBe(true);
    expect(onPath('xterm', env, 'linux')).toBe(false);
    expect(onPath('gnome-terminal', env, 'linux')).toBe(false);
    expect(onPath('konsole', { Path: `C:\\nowhere;${dir}` }, 'win32')).toBe(true);
    expect(onPath('konsole', {}, 'linux')).toBe(false);
  });
});
