import type { ServerProfile } from '../servers/server-profile.js';
import {
  LaunchError,
  type LaunchPlan,
  bracketed,
  hostAndPort,
  launchHost,
  launchPort,
  launchUser,
} from './launch-plan.js';

export type RdpTarget = Pick<ServerProfile, 'host' | 'rdp'>;

/** Linux RDP clients Sesame knows, best first: FreeRDP 3, FreeRDP 2, Remmina. */
export const LINUX_RDP_CLIENTS = ['xfreerdp3', 'xfreerdp', 'remmina'] as const;
export type LinuxRdpClient = (typeof LINUX_RDP_CLIENTS)[number];

export interface RdpChoice {
  /** `preferences.rdpCommand`: the person's own client, with `{host}`, `{port}`, `{user}`. */
  readonly template?: readonly string[] | undefined;
  /** Linux: the client found on this machine. */
  readonly linuxClient?: LinuxRdpClient | undefined;
}

/**
 * The RDP client for a server:
 * - Windows: `mstsc.exe /v:HOST:PORT` (mstsc has no user option; it asks and remembers);
 * - macOS: `open rdp://full%20address=s:HOST:PORT&username=s:USER`, the URL form of Microsoft's
 *   client (Windows App, Microsoft Remote Desktop);
 * - Linux: `xfreerdp /v:HOST:PORT /u:USER`, or `remmina -c rdp://USER@HOST:PORT`.
 * The person's `rdpCommand` template wins everywhere.
 */
export function rdpPlan(
  platform: NodeJS.Platform,
  server: RdpTarget,
  choice: RdpChoice,
): LaunchPlan {
  const host = launchHost(server.host);
  const port = launchPort(server.rdp?.port ?? 3389);
  const user = server.rdp?.user === undefined ? undefined : launchUser(server.rdp.user);
  if (choice.template !== undefined) return expandRdpTemplate(choice.template, host, port, user);
  switch (platform) {
    case 'win32':
      return { file: 'mstsc.exe', args: [`/v:${hostAndPort(host, port)}`] };
    case 'darwin': {
      const fields = [`full address=s:${hostAndPort(host, port)}`];
      if (user !== undefined) fields.push(`username=s:${user}`);
      const query = fields.map((field) => {
        const [key = '', value = ''] = field.split(/=(.*)/s);
        return `${encodeURIComponent(key)}=${encodeURIComponent(value)}`;
      });
      return { file: 'open', args: [`rdp://${query.join('&')}`], waitForExit: true };
    }
    default:
      switch (choice.linuxClient) {
        case 'xfreerdp3':
        case 'xfreerdp':
          return {
            file: choice.linuxClient,
            args: [`/v:${hostAndPort(host, port)}`, ...(user === undefined ? [] : [`/u:${user}`])],
          };
        case 'remmina': {
          const who = user === undefined ? '' : `${encodeURIComponent(user)}@`;
          return { file: 'remmina', args: ['-c', `rdp://${who}${hostAndPort(host, port)}`] };
        }
        default:
          throw new LaunchError(
            'no RDP client was found: install FreeRDP (xfreerdp) or Remmina, or choose yours in Settings, e.g. ["xfreerdp", "/v:{host}:{port}", "/u:{user}"]',
          );
      }
  }
}

/**
 * The person's RDP client: `{host}` (an IPv6 address in brackets), `{port}` and `{user}` are
 * replaced inside each element, which stays one argument. Without a user, the elements that
 * mention `{user}` are left out (`/u:{user}` goes away whole).
 */
export function expandRdpTemplate(
  template: readonly string[],
  host: string,
  port: number,
  user: string | undefined,
): LaunchPlan {
  const argv = template
    .filter((part) => user !== undefined || !part.includes('{user}'))
    .map((part) =>
      part
        .replaceAll('{host}', bracketed(host))
        .replaceAll('{port}', String(port))
        .replaceAll('{user}', user ?? ''),
    );
  const [file, ...args] = argv;
  if (file === undefined || file === '') throw new LaunchError('the RDP command is empty');
  return { file, args };
}
