import { DIGEST_NAMES } from '../formats/fwknoprc-writer.js';
import { DEFAULT_SPA_PORT } from '../knock/spa/spa-option-rules.js';
import type { ServerProfile, SpaMethod } from '../servers/server-profile.js';
import type { SpaSecret } from '../servers/server-secret.js';
import type { SetupBlock } from './setup-types.js';

/**
 * The server side of an SPA door: the fwknopd access.conf stanza with the door's keys and
 * options, the fwknopd.conf lines its transport and NAT need, and the iptables rules that drop
 * the protected ports by default (fwknopd puts its own chain in front of them for each packet it
 * accepts).
 */

export interface SpaSetupContext {
  readonly profile: ServerProfile & { method: SpaMethod };
  readonly secret: SpaSecret | undefined;
  readonly withSecrets: boolean;
  readonly accessSeconds: number;
}

export const KEY_PLACEHOLDER = '<KEY_BASE64>';
export const HMAC_KEY_PLACEHOLDER = '<HMAC_KEY_BASE64>';

export function spaBlocks(context: SpaSetupContext): { blocks: SetupBlock[]; warnings: string[] } {
  const warnings: string[] = [];
  const { profile, secret, withSecrets } = context;
  const method = profile.method;
  if (secret === undefined && withSecrets) {
    warnings.push(
      `the keys of "${profile.name}" are not in the keychain: fill in ${KEY_PLACEHOLDER}`,
    );
  }
  const show = withSecrets && secret !== undefined;
  const hasHmac =
    secret === undefined ? method.encryptionMode !== 'legacy' : secret.hmacKeyBase64 !== undefined;
  const lines: [string, string][] = [['SOURCE', 'ANY']];
  const openPorts = messagePorts(method);
  if (openPorts === undefined) {
    warnings.push(
      'the NAT port is random: OPEN_PORTS is left out, so fwknopd opens whatever port a valid packet asks for',
    );
  } else lines.push(['OPEN_PORTS', openPorts]);
  lines.push(['REQUIRE_SOURCE_ADDRESS', method.allowIp.mode === 'source' ? 'N' : 'Y']);
  lines.push(['KEY_BASE64', show ? secret.encryptionKeyBase64 : KEY_PLACEHOLDER]);
  if (hasHmac) {
    lines.push([
      'HMAC_KEY_BASE64',
      show && secret.hmacKeyBase64 !== undefined ? secret.hmacKeyBase64 : HMAC_KEY_PLACEHOLDER,
    ]);
    lines.push(['HMAC_DIGEST_TYPE', DIGEST_NAMES[method.hmacDigestType]]);
  }
  if (method.encryptionMode !== 'cbc') {
    lines.push([
      'ENCRYPTION_MODE',
      method.encryptionMode === 'legacy' ? 'legacy' : method.encryptionMode.toUpperCase(),
    ]);
  }
  lines.push(['FW_ACCESS_TIMEOUT', String(context.accessSeconds)]);
  if (method.clientTimeout > 0) {
    warnings.push(
      `the door asks fwknopd for ${method.clientTimeout} seconds (--fw-timeout); fwknopd grants at most its MAX_FW_TIMEOUT`,
    );
  }
  const blocks: SetupBlock[] = [
    {
      id: 'fwknopd-access',
      title: 'fwknopd access.conf stanza',
      file: '/etc/fwknop/access.conf',
      explanation: `fwknopd opens ${openPorts ?? 'the asked port'} for ${context.accessSeconds} seconds to the address inside each packet it can decrypt and authenticate with these keys${method.allowIp.mode === 'source' ? " (or to the packet's source, which this door asks for)" : ''}.`,
      language: 'fwknopd',
      text: `${lines.map(([key, value]) => `${key.padEnd(26)}${value}`).join('\n')}\n`,
      secret: show,
    },
  ];
  const conf = fwknopdConf(method);
  if (conf.length > 0) {
    blocks.push({
      id: 'fwknopd-conf',
      title: 'fwknopd.conf',
      file: '/etc/fwknop/fwknopd.conf',
      explanation: `fwknopd listens for ${describeTransport(method)} and ${method.nat.mode === 'none' ? 'needs these settings for it' : 'may forward (NAT), which is off by default'}.`,
      language: 'fwknopd',
      text: `${conf.map(([key, value]) => `${key.padEnd(26)}${value};`).join('\n')}\n`,
      secret: false,
    });
  }
  blocks.push(firewall(method));
  return { blocks, warnings };
}

/** The ports the access message asks for: the access list, with --nat-port in place of its port. */
function messagePorts(method: SpaMethod): string | undefined {
  if (method.natRandPort) return undefined;
  return method.access
    .map(({ protocol, port }) => `${protocol}/${method.natPort ?? port}`)
    .join(',');
}

function describeTransport(method: SpaMethod): string {
  const port = method.randPort ? 'ports 10000-65535' : `port ${method.serverPort}`;
  return method.transport === 'http'
    ? `SPA over HTTP on TCP ${port}`
    : `SPA packets over ${method.transport.toUpperCase()} on ${port}`;
}

function fwknopdConf(method: SpaMethod): [string, string][] {
  const lines: [string, string][] = [];
  if (method.transport === 'udp') {
    if (method.randPort) lines.push(['PCAP_FILTER', 'udp dst portrange 10000-65535']);
    else if (method.serverPort !== DEFAULT_SPA_PORT)
      lines.push(['PCAP_FILTER', `udp dst port ${method.serverPort}`]);
  } else {
    lines.push(['PCAP_FILTER', `tcp dst port ${method.serverPort}`]);
    lines.push(['ENABLE_TCP_SERVER', 'Y'], ['TCPSERV_PORT', String(method.serverPort)]);
    if (method.transport === 'http') lines.push(['ENABLE_SPA_OVER_HTTP', 'Y']);
  }
  if (method.nat.mode !== 'none') lines.push(['ENABLE_IPT_FORWARDING', 'Y']);
  if (method.nat.mode === 'local') lines.push(['ENABLE_IPT_LOCAL_NAT', 'Y']);
  return lines;
}

function firewall(method: SpaMethod): SetupBlock {
  const ports = [
    ...new Set(
      method.access
        .filter((a) => a.protocol !== 'icmp')
        .map((a) => `${a.protocol}/${method.natPort ?? a.port}`),
    ),
  ];
  const lines = [
    'iptables -A INPUT -i lo -j ACCEPT',
    'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    ...ports.map((entry) => {
      const [protocol, port] = entry.split('/');
      return `iptables -A INPUT -p ${protocol} --dport ${port} -j DROP`;
    }),
  ];
  const nat = method.nat;
  if (nat.mode === 'forward' && /^\d+\.\d+\.\d+\.\d+$/.test(nat.host)) {
    for (const access of method.access.filter((a) => a.protocol !== 'icmp')) {
      lines.push(
        `iptables -A FORWARD -d ${nat.host} -p ${access.protocol} --dport ${nat.port ?? access.port} -j DROP`,
      );
    }
  }
  const list = ports.map((entry) => entry.replace('/', ' ')).join(', ');
  return {
    id: 'spa-iptables',
    title: 'iptables',
    explanation: `Drops ${list || 'the protected ports'} for everyone by default, keeping loopback and connections already open; fwknopd inserts its own chain at the top of INPUT and lets in each address it authenticated (use iptables, not a table of nftables: a drop there would still apply).`,
    language: 'shell',
    text: `${lines.join('\n')}\n`,
    secret: false,
  };
}
