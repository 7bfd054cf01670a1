import type { Launcher } from '../api/core-services.js';
import type { ServerProfile } from '../servers/server-profile.js';

/**
 * The launcher of `npm run preview`: it says which command the tray app would start, and starts
 * nothing. A browser tab has no terminal to open, and a preview must not spawn programs on the
 * developer's machine behind their back; the window shows the command in a message instead.
 */
export const previewLauncher: Launcher = {
  openSsh: (server) => Promise.resolve({ command: sshCommand(server) }),
  openRdp: (server) => Promise.resolve({ command: rdpCommand(server) }),
  sshCommand,
};

function sshCommand(server: ServerProfile): string {
  const ssh = server.ssh;
  const target = ssh?.user === undefined ? server.host : `${ssh.user}@${server.host}`;
  const words = [
    'ssh',
    ...(ssh !== undefined && ssh.port !== 22 ? ['-p', String(ssh.port)] : []),
    ...(ssh?.identityFile !== undefined ? ['-i', ssh.identityFile] : []),
    ...(ssh?.extraArgs ?? []),
    '--',
    target,
  ];
  return words.map(quote).join(' ');
}

function rdpCommand(server: ServerProfile): string {
  const rdp = server.rdp;
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  const words = [
    'xfreerdp',
    `/v:${host}:${rdp?.port ?? 3389}`,
    ...(rdp?.user !== undefined ? [`/u:${rdp.user}`] : []),
  ];
  return words.map(quote).join(' ');
}

/** Quotes a word the way a POSIX shell would need it, only for showing. */
function quote(word: string): string {
  return /^[\w@%+=:,./[\]-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
