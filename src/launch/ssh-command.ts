import type { ServerProfile } from '../servers/server-profile.js';
import { extraArgumentSchema, filePathSchema } from '../servers/field-schemas.js';
import { checkedValue, launchHost, launchPort, launchUser } from './launch-plan.js';

export type SshTarget = Pick<ServerProfile, 'host' | 'ssh'>;

/**
 * The ssh command for a server, as an argument list: `ssh -p PORT [-l USER] [-i FILE]
 * [extra…] -- HOST`. Sesame's own options come first (ssh keeps the first -p and -l it sees),
 * the person's extra options after them, and the host last, after `--`, so no value can be read
 * as an option.
 */
export function sshCommand(server: SshTarget, platform: NodeJS.Platform): string[] {
  const host = launchHost(server.host);
  const ssh = server.ssh;
  const argv = [
    platform === 'win32' ? 'ssh.exe' : 'ssh',
    '-p',
    String(launchPort(ssh?.port ?? 22)),
  ];
  if (ssh?.user !== undefined) argv.push('-l', launchUser(ssh.user));
  if (ssh?.identityFile !== undefined) {
    argv.push('-i', checkedValue(filePathSchema, ssh.identityFile, 'identity file'));
  }
  // The extra arguments are ssh options the person chose (`-o ServerAliveInterval=30`), so they
  // may start with "-"; each stays one argument.
  for (const extra of ssh?.extraArgs ?? []) {
    argv.push(checkedValue(extraArgumentSchema, extra, 'extra ssh argument'));
  }
  argv.push('--', host);
  return argv;
}

const POSIX_PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;
// cmd.exe expands %NAME% even inside quotes, so % is not plain there.
const WINDOWS_PLAIN = /^[A-Za-z0-9_@+=:,./\\-]+$/;

/**
 * A command as one line a person can read or paste into a terminal: POSIX shell quoting on macOS
 * and Linux, the quoting of Windows programs (cmd.exe, PowerShell) on Windows. Only for showing
 * and copying: Sesame itself starts programs from the argument list.
 */
export function commandLineText(argv: readonly string[], platform: NodeJS.Platform): string {
  return argv.map((arg) => (platform === 'win32' ? quoteWindows(arg) : quotePosix(arg))).join(' ');
}

export function quotePosix(arg: string): string {
  if (POSIX_PLAIN.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function quoteWindows(arg: string): string {
  if (WINDOWS_PLAIN.test(arg)) return arg;
  // The rules of CommandLineToArgvW: backslashes double only before a quote or the end.
  const escaped = arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1');
  return `"${escaped}"`;
}
