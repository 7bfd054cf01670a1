import { adviseSequence } from '../knock/sequence-advice.js';
import { formatSequence, type Hit, parseSequence } from '../knock/sequence.js';
import type { KnockMethod, ServerProfile } from '../servers/server-profile.js';
import type { KnockSecret } from '../servers/server-secret.js';
import type { SetupBlock } from './setup-types.js';

/**
 * The server side of a knock door: the knockd.conf door that fills an allow set, and the firewall
 * that drops the protected port for everyone else, with ipset and iptables (the article's way) or
 * with nftables, and the NAT variant that forwards the port to a LAN machine.
 */

export interface KnockSetupContext {
  readonly profile: ServerProfile & { method: KnockMethod };
  readonly secret: KnockSecret | undefined;
  readonly withSecrets: boolean;
  readonly slug: string;
  readonly set4: string;
  readonly set6: string;
  readonly v4: boolean;
  readonly v6: boolean;
  readonly port: number;
  readonly firewall: 'iptables' | 'nftables';
  readonly stopAfter?: number;
  readonly nat?: { host: string; port: number };
}

export const SEQUENCE_PLACEHOLDER = '<SEQUENCE>';
const IPSET = '/usr/sbin/ipset';
const NFT = '/usr/sbin/nft';

/** The nftables table of a door: `sesame_<slug>` (nft names take no "-"). */
export const nftTable = (slug: string): string => `sesame_${slug.replace(/-/g, '_')}`;

export function knockBlocks(context: KnockSetupContext): {
  blocks: SetupBlock[];
  warnings: string[];
} {
  const warnings: string[] = [];
  const { profile, secret, withSecrets } = context;
  const oneTime = profile.method.oneTime;
  let sequence = SEQUENCE_PLACEHOLDER;
  let list: string[] | undefined;
  if (secret === undefined) {
    if (withSecrets)
      warnings.push(
        `the sequence of "${profile.name}" is not in the keychain: fill in ${SEQUENCE_PLACEHOLDER}`,
      );
  } else if (withSecrets) {
    if (oneTime) list = secret.oneTimeSequences?.map((text) => formatSequence(parseSequence(text)));
    else if (secret.sequence !== undefined) {
      const hits: Hit[] = parseSequence(secret.sequence);
      sequence = formatSequence(hits);
      for (const advice of adviseSequence(hits)) warnings.push(`the sequence: ${advice.message}`);
    }
  }
  const blocks = [knockdDoor(context, sequence)];
  if (oneTime) blocks.push(oneTimeList(context, list));
  blocks.push(context.firewall === 'nftables' ? nftRules(context) : iptablesRules(context));
  if (context.nat !== undefined)
    blocks.push(
      context.firewall === 'nftables'
        ? nftNat(context, context.nat)
        : iptablesNat(context, context.nat),
    );
  return { blocks, warnings };
}

export const oneTimeFile = (slug: string): string => `/etc/knockd/${slug}.sequences`;

function knockdDoor(context: KnockSetupContext, sequence: string): SetupBlock {
  const { profile, slug, set4, set6, v4, v6, stopAfter } = context;
  const nft = context.firewall === 'nftables';
  const add = (family: 4 | 6): string =>
    nft
      ? `${NFT} add element inet ${nftTable(slug)} allowed${family} { %IP% }`
      : `${IPSET} add -exist ${family === 4 ? set4 : set6} %IP%`;
  const del = (family: 4 | 6): string =>
    nft
      ? `${NFT} delete element inet ${nftTable(slug)} allowed${family} { %IP% }`
      : `${IPSET} del -exist ${family === 4 ? set4 : set6} %IP%`;
  const lines: [string, string | number][] = [
    profile.method.oneTime ? ['one_time_sequences', oneTimeFile(slug)] : ['sequence', sequence],
    ['seq_timeout', profile.method.seqTimeoutSeconds],
    ['tcpflags', 'syn'],
  ];
  if (v4) lines.push(['start_command', add(4)]);
  if (v6) lines.push(['start_command_6', add(6)]);
  if (stopAfter !== undefined) {
    lines.push(['cmd_timeout', stopAfter]);
    if (v4) lines.push(['stop_command', del(4)]);
    if (v6) lines.push(['stop_command_6', del(6)]);
  }
  const text = `[${slug}]\n${lines.map(([key, value]) => `    ${key.padEnd(18)} = ${value}`).join('\n')}\n`;
  const where = nft
    ? `the nftables set${v4 && v6 ? 's' : ''} of table ${nftTable(slug)}`
    : `the ipset ${[v4 && set4, v6 && set6].filter(Boolean).join(' and ')}`;
  const stop = stopAfter === undefined ? '' : `, and takes it out again after ${stopAfter} seconds`;
  return {
    id: 'knockd-door',
    title: 'knockd door',
    file: '/etc/knockd.conf',
    explanation: `When an address sends these hits in order within ${profile.method.seqTimeoutSeconds} seconds (one SYN each, as Sesame sends them), knockd adds it to ${where}${stop}.`,
    language: 'knockd',
    text,
    secret: sequence !== SEQUENCE_PLACEHOLDER,
  };
}

function oneTimeList(context: KnockSetupContext, list: string[] | undefined): SetupBlock {
  const lines = list ?? [SEQUENCE_PLACEHOLDER];
  const secret = list !== undefined;
  return {
    id: 'one-time-list',
    title: 'one-time sequences',
    file: oneTimeFile(context.slug),
    explanation:
      'knockd takes the first unused line as the sequence and writes "#" over its first character once it is used, so each line starts with a space and the file must be writable by knockd.',
    language: 'knockd',
    text: `${lines.map((line) => ` ${line}`).join('\n')}\n`,
    secret,
  };
}

function iptablesRules(context: KnockSetupContext): SetupBlock {
  const { set4, set6, v4, v6, port } = context;
  const lines: string[] = [];
  if (v4) lines.push(`ipset create ${set4} hash:ip -exist`);
  if (v6) lines.push(`ipset create ${set6} hash:ip family inet6 -exist`);
  for (const [tool, set, on] of [
    ['iptables', set4, v4],
    ['ip6tables', set6, v6],
  ] as const) {
    if (!on) continue;
    lines.push(
      `${tool} -A INPUT -i lo -j ACCEPT`,
      `${tool} -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`,
      `${tool} -A INPUT -p tcp --dport ${port} -m set --match-set ${set} src -j ACCEPT`,
      `${tool} -A INPUT -p tcp --dport ${port} -j DROP`,
    );
  }
  return {
    id: 'ipset-iptables',
    title: 'ipset and iptables',
    explanation: `Creates the allow set and drops port ${port} for every address not in it, keeping loopback and connections already open; the rules are appended, so they must come before any rule that already accepts port ${port}.`,
    language: 'shell',
    text: `${lines.join('\n')}\n`,
    secret: false,
  };
}

function nftRules(context: KnockSetupContext): SetupBlock {
  const { slug, v4, v6, port } = context;
  const lines = [`table inet ${nftTable(slug)} {`];
  if (v4) lines.push('    set allowed4 { type ipv4_addr; }');
  if (v6) lines.push('    set allowed6 { type ipv6_addr; }');
  lines.push(
    '    chain input {',
    '        type filter hook input priority filter; policy accept;',
    '        iif "lo" accept',
    '        ct state established,related accept',
  );
  if (v4) lines.push(`        tcp dport ${port} ip saddr @allowed4 accept`);
  if (v6) lines.push(`        tcp dport ${port} ip6 saddr @allowed6 accept`);
  lines.push(`        tcp dport ${port} drop`, '    }', '}');
  return {
    id: 'nftables',
    title: 'nftables',
    file: `/etc/nftables.d/${slug}.nft`,
    explanation: `A table of its own with the allow set${v4 && v6 ? 's' : ''} and a chain that drops port ${port} for every address not in them, keeping loopback and connections already open; load it with nft -f FILE (or include it from /etc/nftables.conf).`,
    language: 'nft',
    text: `${lines.join('\n')}\n`,
    secret: false,
  };
}

function iptablesNat(context: KnockSetupContext, nat: { host: string; port: number }): SetupBlock {
  const { set4, port } = context;
  const text = [
    'sysctl -w net.ipv4.ip_forward=1',
    `iptables -t nat -A PREROUTING -p tcp --dport ${port} -m set --match-set ${set4} src -j DNAT --to-destination ${nat.host}:${nat.port}`,
    'iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    `iptables -A FORWARD -p tcp -d ${nat.host} --dport ${nat.port} -m set --match-set ${set4} src -j ACCEPT`,
    `iptables -A FORWARD -p tcp -d ${nat.host} --dport ${nat.port} -j DROP`,
  ];
  return {
    id: 'nat',
    title: 'NAT to a LAN machine',
    explanation: `Forwards port ${port} of this server to ${nat.host}:${nat.port} for the addresses in the allow set only, as in the article's RDP example; ${nat.host} must send its replies back through this server (its default gateway).`,
    language: 'shell',
    text: `${text.join('\n')}\n`,
    secret: false,
  };
}

function nftNat(context: KnockSetupContext, nat: { host: string; port: number }): SetupBlock {
  const { slug, port } = context;
  const text = [
    `table inet ${nftTable(slug)} {`,
    '    chain prerouting {',
    '        type nat hook prerouting priority dstnat; policy accept;',
    `        tcp dport ${port} ip saddr @allowed4 dnat ip to ${nat.host}:${nat.port}`,
    '    }',
    '    chain forward {',
    '        type filter hook forward priority filter; policy accept;',
    '        ct state established,related accept',
    `        ip daddr ${nat.host} tcp dport ${nat.port} ip saddr @allowed4 accept`,
    `        ip daddr ${nat.host} tcp dport ${nat.port} drop`,
    '    }',
    '}',
  ];
  return {
    id: 'nat',
    title: 'NAT to a LAN machine',
    file: `/etc/nftables.d/${slug}-nat.nft`,
    explanation: `Adds to the same table a forward of port ${port} to ${nat.host}:${nat.port} for the addresses in the allow set only (load it after the table, and turn on forwarding: sysctl -w net.ipv4.ip_forward=1); ${nat.host} must send its replies back through this server.`,
    language: 'nft',
    text: `${text.join('\n')}\n`,
    secret: false,
  };
}
