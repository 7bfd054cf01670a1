import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LaunchError } from '../../../src/launch/launch-plan.js';
import {
  commandLineText,
  quotePosix,
  quoteWindows,
  sshCommand,
  type SshTarget,
} from '../../../src/launch/ssh-command.js';
import {
  expandTerminalTemplate,
  LINUX_TERMINALS,
  linuxTerminalOrder,
  TERMINAL_SCRIPT,
  terminalPlan,
} from '../../../src/launch/terminal.js';

const PLATFORMS = ['linux', 'darwin', 'win32'] as const;

function target(host: string, ssh: Partial<NonNullable<SshTarget['ssh']>> = {}): SshTarget {
  return { host, ssh: { port: 22, extraArgs: [], ...ssh } };
}

const HOSTILE = [
  'example.com; rm -rf ~',
  '$(touch /tmp/pwned)',
  '`id`',
  'two words',
  '-oProxyCommand=calc',
  '--',
  'host\nname',
  'a&b|c',
  '',
];

describe('the ssh command', () => {
  it('puts the options first and the host last, after --', () => {
    expect(sshCommand(target('db.example.com', { user: 'alice', port: 2222 }), 'linux')).toEqual([
      'ssh',
      '-p',
      '2222',
      '-l',
      'alice',
      '--',
      'db.example.com',
    ]);
  });

  it('uses ssh.exe on Windows and defaults to port 22 without SSH settings', () => {
    expect(sshCommand({ host: '203.0.113.7', ssh: undefined }, 'win32')).toEqual([
      'ssh.exe',
      '-p',
      '22',
      '--',
      '203.0.113.7',
    ]);
  });

  it('keeps an identity file and the extra options one argument each, before the host', () => {
    const argv = sshCommand(
      target('2001:db8::7', {
        identityFile: '/home/me/my keys/$(id);x',
        extraArgs: ['-o', 'ServerAliveInterval=30', '-oLocalCommand=a;b'],
      }),
      'darwin',
    );
    expect(argv).toEqual([
      'ssh',
      '-p',
      '22',
      '-i',
      '/home/me/my keys/$(id);x',
      '-o',
      'ServerAliveInterval=30',
      '-oLocalCommand=a;b',
      '--',
      '2001:db8::7',
    ]);
  });

  for (const platform of PLATFORMS) {
    it.each(HOSTILE)(`refuses the host %j on ${platform}`, (host) => {
      expect(() => sshCommand(target(host), platform)).toThrow(LaunchError);
    });

    it.each(['-oProxyCommand=calc', 'bob;id', '$(id)', 'a b', '-l'])(
      `refuses the user %j on ${platform}`,
      (user) => {
        expect(() => sshCommand(target('example.com', { user }), platform)).toThrow(LaunchError);
      },
    );
  }

  it.each([0, 65536, 22.5, Number.NaN, -22])('refuses the port %s', (port) => {
    expect(() => sshCommand(target('example.com', { port }), 'linux')).toThrow(LaunchError);
  });

  it('refuses an identity file that would read as an option, and control characters', () => {
    expect(() => sshCommand(target('h', { identityFile: '-oProxyCommand=x' }), 'linux')).toThrow(
      LaunchError,
    );
    expect(() => sshCommand(target('h', { extraArgs: ['-o\nx'] }), 'linux')).toThrow(LaunchError);
  });

  it('never lets any host or user through unless it is safe where it lands', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (host, user) => {
        let argv: string[];
        try {
          argv = sshCommand(target(host, { user }), 'linux');
        } catch (error) {
          expect(error).toBeInstanceOf(LaunchError);
          return;
        }
        expect(argv.at(-2)).toBe('--');
        expect(argv.at(-1)).toBe(host);
        expect(host).toMatch(/^[A-Za-z0-9_:.%]/);
        expect(argv[argv.indexOf('-l') + 1]).toBe(user);
        expect(user).toMatch(/^[A-Za-z0-9._@\\]/);
      }),
    );
  });
});

describe('the command line shown and copied', () => {
  it('quotes for a POSIX shell on macOS and Linux', () => {
    expect(quotePosix('plain-1.2_x@y:z/w')).toBe('plain-1.2_x@y:z/w');
    expect(quotePosix("it's $(here); `x`")).toBe(`'it'\\''s $(here); \`x\`'`);
    expect(quotePosix('')).toBe("''");
    expect(commandLineText(['ssh', '-i', '/my keys/id', '--', 'example.com'], 'linux')).toBe(
      "ssh -i '/my keys/id' -- example.com",
    );
  });

  it('quotes for Windows programs on Windows', () => {
    expect(quoteWindows('C:\\Users\\me\\id')).toBe('C:\\Users\\me\\id');
    expect(quoteWindows('C:\\My Keys\\')).toBe('"C:\\My Keys\\\\"');
    expect(quoteWindows('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteWindows('%PATH%')).toBe('"%PATH%"');
  });
});

describe('the terminal per platform', () => {
  const command = ['ssh', '-p', '22', '-o', 'X=a;b', '--', 'example.com'];

  it('Windows: Windows Terminal in a new tab, with ; escaped as wt.exe wants it', () => {
    expect(terminalPlan('win32', command, { windowsTerminal: true })).toEqual({
      file: 'wt.exe',
      args: ['new-tab', '--', 'ssh', '-p', '22', '-o', 'X=a\\;b', '--', 'example.com'],
    });
  });

  it('Windows: the console when Windows Terminal is missing, or the command has a quote', () => {
    expect(terminalPlan('win32', command, { windowsTerminal: false })).toEqual({
      file: 'conhost.exe',
      args: ['--', ...command],
    });
    const quoted = ['ssh.exe', '-o', 'RemoteCommand=echo "hi"', '--', 'h'];
    expect(terminalPlan('win32', quoted, { windowsTerminal: true })).toEqual({
      file: 'conhost.exe',
      args: ['--', ...quoted],
    });
  });

  it('macOS: Terminal through a fixed script, the words as its arguments', () => {
    const plan = terminalPlan('darwin', command, {});
    expect(plan.file).toBe('osascript');
    expect(plan.waitForExit).toBe(true);
    const scriptPart = plan.args.slice(0, TERMINAL_SCRIPT.length * 2);
    expect(scriptPart.filter((_, i) => i % 2 === 0).every((flag) => flag === '-e')).toBe(true);
    expect(scriptPart.filter((_, i) => i % 2 === 1)).toEqual(TERMINAL_SCRIPT);
    expect(plan.args.slice(TERMINAL_SCRIPT.length * 2)).toEqual(command);
    // Every word is quoted by AppleScript before Terminal's shell reads it.
    expect(TERMINAL_SCRIPT.join('\n')).toContain('quoted form of');
  });

  it('Linux: the desktop terminal, with its argument-list marker', () => {
    expect(terminalPlan('linux', command, { linuxTerminal: 'gnome-terminal' })).toEqual({
      file: 'gnome-terminal',
      args: ['--', ...command],
    });
    expect(terminalPlan('linux', command, { linuxTerminal: 'konsole' }).args[0]).toBe('-e');
    expect(terminalPlan('linux', command, { linuxTerminal: 'xfce4-terminal' }).args[0]).toBe('-x');
    expect(() => terminalPlan('linux', command, {})).toThrow(/no terminal was found/);
    expect(() => terminalPlan('linux', command, { linuxTerminal: 'tilix' })).toThrow(LaunchError);
  });

  it('Linux: the desktop decides which terminal comes first', () => {
    expect(linuxTerminalOrder('ubuntu:GNOME')[0]).toBe('gnome-terminal');
    expect(linuxTerminalOrder('KDE')[0]).toBe('konsole');
    expect(linuxTerminalOrder('XFCE')[0]).toBe('xfce4-terminal');
    expect(linuxTerminalOrder(undefined)[0]).toBe('x-terminal-emulator');
    const order = linuxTerminalOrder('KDE');
    expect(new Set(order).size).toBe(order.length);
    expect(order.every((name) => name in LINUX_TERMINALS)).toBe(true);
  });

  it.each(PLATFORMS)('%s: the person’s template wins, {command} spread as arguments', (p) => {
    const plan = terminalPlan(p, command, {
      template: ['/opt/term', '--hold', '-e', '{command}'],
      windowsTerminal: true,
      linuxTerminal: 'xterm',
    });
    expect(plan).toEqual({ file: '/opt/term', args: ['--hold', '-e', ...command] });
  });

  it('refuses a template that would need the command as one string, or lacks it', () => {
    expect(() => expandTerminalTemplate(['tilix', '-e', 'sh -c "{command}"'], command)).toThrow(
      /argument of its own/,
    );
    expect(() => expandTerminalTemplate(['xterm'], command)).toThrow(/needs \{command\}/);
  });
});
