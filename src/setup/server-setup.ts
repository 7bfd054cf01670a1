import type { ServerProfile } from '../servers/server-profile.js';
import type { ServerSecret } from '../servers/server-secret.js';
import { knockBlocks } from './knock-setup.js';
import {
  checkNat,
  checkPort,
  checkSeconds,
  checkSetName,
  type ServerSetup,
  SetupError,
  type SetupOptions,
  slugOf,
} from './setup-types.js';
import { spaBlocks } from './spa-setup.js';

export type { ServerSetup, SetupBlock, SetupOptions } from './setup-types.js';

/** fwknopd's default FW_ACCESS_TIMEOUT. */
const FWKNOPD_ACCESS_SECONDS = 30;

/**
 * What a server needs for a saved door, ready to paste, each part with a sentence that explains
 * it: for a knock door the knockd.conf door and the firewall (ipset + iptables, or nftables,
 * optionally with NAT to a LAN machine); for an SPA door the fwknopd access.conf stanza, the
 * fwknopd.conf lines it needs and the default-drop rules.
 */
export function serverSetup(
  profile: ServerProfile,
  secret: ServerSecret | undefined,
  options: SetupOptions = {},
): ServerSetup {
  const withSecrets = options.withSecrets ?? true;
  const stopAfter =
    options.stopAfterSeconds === undefined
      ? undefined
      : checkSeconds(options.stopAfterSeconds, '--stop-after');
  const method = profile.method;
  if (method.kind === 'spa') {
    if (options.firewall === 'nftables') {
      throw new SetupError(
        'fwknopd adds its rules with iptables, and a drop in an nftables table of its own would still apply to what fwknopd lets in: use the iptables rules for SPA doors',
      );
    }
    if (options.nat !== undefined) {
      throw new SetupError(
        "an SPA door forwards through fwknopd's own NAT (the door's -N option, ENABLE_IPT_FORWARDING on the server), not through these rules",
      );
    }
    return spaBlocks({
      profile: { ...profile, method },
      secret: secret?.kind === 'spa' ? secret : undefined,
      withSecrets,
      accessSeconds: stopAfter ?? FWKNOPD_ACCESS_SECONDS,
    });
  }
  // With NAT, the port forwarded is the one knocked open (the article forwards 3389 to 3389).
  const port =
    options.port ??
    options.nat?.port ??
    profile.checkPort ??
    profile.ssh?.port ??
    profile.rdp?.port ??
    undefined;
  if (port === undefined) {
    throw new SetupError(
      `say which port the door of "${profile.name}" protects (--port), or give the server a check port`,
    );
  }
  const slug = slugOf(profile.name);
  const set4 = checkSetName(options.setName ?? `sesame-${slug}`);
  const v4 = profile.family !== 'ipv6';
  const v6 = profile.family !== 'ipv4';
  const nat = options.nat === undefined ? undefined : checkNat(options.nat);
  if (nat !== undefined && !v4) {
    throw new SetupError('the NAT variant forwards IPv4: the server is set to IPv6 only');
  }
  return knockBlocks({
    profile: { ...profile, method },
    secret: secret?.kind === 'knock' ? secret : undefined,
    withSecrets,
    slug,
    set4,
    set6: `${set4}-6`,
    v4,
    v6,
    port: checkPort(port, '--port'),
    firewall: options.firewall ?? 'iptables',
    ...(stopAfter !== undefined && { stopAfter }),
    ...(nat !== undefined && { nat }),
  });
}
