import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverProfileSchema } from '../../../src/servers/server-profile.js';
import type { ServerSecret } from '../../../src/servers/server-secret.js';
import { serverSetup } from '../../../src/setup/server-setup.js';
import { parseNatTarget, SetupError, slugOf } from '../../../src/setup/setup-types.js';

const ID = '0b0f8c3e-4c55-4f0e-9a43-0c5d8f1e2a11';
const profile = (fields: Record<string, unknown>) =>
  serverProfileSchema.parse({ id: ID, name: 'Office', host: 'office.example.com', ...fields });
const knock = profile({ method: { kind: 'knock', seqTimeoutSeconds: 10 }, checkPort: 22 });
const knockSecret: ServerSecret = { kind: 'knock', sequence: '31877,12034,48211,22950' };
const spa = profile({
  name: 'db',
  method: { kind: 'spa', access: [{ protocol: 'tcp', port: 22 }] },
  checkPort: 22,
});
const spaSecret: ServerSecret = {
  kind: 'spa',
  encryptionKeyBase64: '8DnfL6iab0fXan3BOSgvRdQP+lye4ccQsnaB+OogrEs=',
  hmacKeyBase64: 'P+IdohJrPyYvPWo72vGN4TFic1Y8S0ZuYxMuxJuFAhpKt4DKEu5Pj991qurqQe7JOpzVgs9MMGk=',
};
const block = (setup: ReturnType<typeof serverSetup>, id: string) =>
  setup.blocks.find((b) => b.id === id);

describe('the setup of a knock door', () => {
  it('gives the knockd door, then ipset and iptables, each explained', () => {
    const setup = serverSetup(knock, knockSecret, { stopAfterSeconds: 3600 });
    expect(setup.warnings).toEqual([]);
    expect(setup.blocks.map((b) => [b.id, b.secret])).toEqual([
      ['knockd-door', true],
      ['ipset-iptables', false],
    ]);
    expect(block(setup, 'knockd-door')).toEqual({
      id: 'knockd-door',
      title: 'knockd door',
      file: '/etc/knockd.conf',
      explanation:
        'When an address sends these hits in order within 10 seconds (one SYN each, as Sesame sends them), knockd adds it to the ipset sesame-office and sesame-office-6, and takes it out again after 3600 seconds.',
      language: 'knockd',
      secret: true,
      text: `[office]
    sequence           = 31877,12034,48211,22950
    seq_timeout        = 10
    tcpflags           = syn
    start_command      = /usr/sbin/ipset add -exist sesame-office %IP%
    start_command_6    = /usr/sbin/ipset add -exist sesame-office-6 %IP%
    cmd_timeout        = 3600
    stop_command       = /usr/sbin/ipset del -exist sesame-office %IP%
    stop_command_6     = /usr/sbin/ipset del -exist sesame-office-6 %IP%
`,
    });
    expect(block(setup, 'ipset-iptables')?.text).toBe(`ipset create sesame-office hash:ip -exist
ipset create sesame-office-6 hash:ip family inet6 -exist
iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -m set --match-set sesame-office src -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j DROP
ip6tables -A INPUT -i lo -j ACCEPT
ip6tables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip6tables -A INPUT -p tcp --dport 22 -m set --match-set sesame-office-6 src -j ACCEPT
ip6tables -A INPUT -p tcp --dport 22 -j DROP
`);
  });

  it('leaves IPv6 out for an IPv4-only server, and takes the set name given', () => {
    const setup = serverSetup({ ...knock, family: 'ipv4' }, knockSecret, { setName: 'allow' });
    const text = setup.blocks.map((b) => b.text).join('');
    expect(text).not.toMatch(/ip6tables|inet6|_6|allow-6/);
    expect(text).toContain('start_command      = /usr/sbin/ipset add -exist allow %IP%');
  });

  it('writes the same firewall in nftables, with knockd filling its sets', () => {
    const setup = serverSetup(knock, knockSecret, { firewall: 'nftables' });
    expect(block(setup, 'knockd-door')?.text).toContain(
      'start_command      = /usr/sbin/nft add element inet sesame_office allowed4 { %IP% }\n',
    );
    expect(block(setup, 'nftables')?.text).toBe(`table inet sesame_office {
    set allowed4 { type ipv4_addr; }
    set allowed6 { type ipv6_addr; }
    chain input {
        type filter hook input priority filter; policy accept;
        iif "lo" accept
        ct state established,related accept
        tcp dport 22 ip saddr @allowed4 accept
        tcp dport 22 ip6 saddr @allowed6 accept
        tcp dport 22 drop
    }
}
`);
  });

  it("forwards RDP to a LAN machine as in the article's example", () => {
    const setup = serverSetup(knock, knockSecret, { nat: parseNatTarget('192.168.1.20:3389') });
    expect(block(setup, 'ipset-iptables')?.text).toContain('--dport 3389 -j DROP');
    expect(block(setup, 'nat')?.text).toBe(`sysctl -w net.ipv4.ip_forward=1
iptables -t nat -A PREROUTING -p tcp --dport 3389 -m set --match-set sesame-office src -j DNAT --to-destination 192.168.1.20:3389
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A FORWARD -p tcp -d 192.168.1.20 --dport 3389 -m set --match-set sesame-office src -j ACCEPT
iptables -A FORWARD -p tcp -d 192.168.1.20 --dport 3389 -j DROP
`);
    const nft = serverSetup(knock, knockSecret, {
      firewall: 'nftables',
      nat: { host: '192.168.1.20', port: 3389 },
    });
    expect(block(nft, 'nat')?.text).toContain(
      'tcp dport 3389 ip saddr @allowed4 dnat ip to 192.168.1.20:3389',
    );
  });

  it('gives the one-time list as a file of its own, each line starting with a space', () => {
    const oneTime = profile({ method: { kind: 'knock', oneTime: true }, checkPort: 22 });
    const setup = serverSetup(oneTime, {
      kind: 'knock',
      oneTimeSequences: ['31877,12034,48211', '40123:udp,22871,51234'],
    });
    expect(block(setup, 'knockd-door')?.text).toContain(
      'one_time_sequences = /etc/knockd/office.sequences\n',
    );
    expect(block(setup, 'one-time-list')?.text).toBe(
      ' 31877,12034,48211\n 40123:udp,22871,51234\n',
    );
  });

  it('leaves the sequence out when asked, and says what is weak about it otherwise', () => {
    const hidden = serverSetup(knock, knockSecret, { withSecrets: false });
    const text = JSON.stringify(hidden);
    expect(text).not.toContain('31877');
    expect(block(hidden, 'knockd-door')).toMatchObject({ secret: false });
    expect(block(hidden, 'knockd-door')?.text).toContain('sequence           = <SEQUENCE>\n');
    const weak = serverSetup(knock, { kind: 'knock', sequence: '20,80,443' });
    expect(weak.warnings).toEqual([
      'the sequence: port 20, 80, 443 are well-known ports (below 1024): scanners and ordinary traffic reach them all the time',
      'the sequence: the ports only go up, the order in which a port scanner sends them (like "20, 80, 443"): mix them',
    ]);
  });

  it.each([
    [
      { setName: 'a b' },
      '"a b" cannot be an ipset name: 1-29 letters, digits, "-" and "_", starting with a letter or digit',
    ],
    [
      { nat: { host: 'lan.example', port: 3389 } },
      'the LAN machine "lan.example" must be an IPv4 address, e.g. 192.168.1.20',
    ],
    [{ stopAfterSeconds: 0 }, '--stop-after is a whole number of seconds from 1 to 86400'],
    [{ port: 70000 }, '--port is a port from 1 to 65535'],
  ])('refuses %j', (options, message) => {
    expect(() => serverSetup(knock, knockSecret, options)).toThrow(message);
  });

  it('needs to know which port the door protects', () => {
    const bare = profile({ method: { kind: 'knock' } });
    expect(() => serverSetup(bare, knockSecret)).toThrow(
      'say which port the door of "Office" protects (--port), or give the server a check port',
    );
    expect(() => parseNatTarget('192.168.1.20')).toThrow(
      '--nat "192.168.1.20" is not LANHOST:PORT, e.g. 192.168.1.20:3389',
    );
  });

  it('reads --nat LANHOST:PORT or says what is wrong, whatever is typed', () => {
    expect(parseNatTarget(' 192.168.1.20:3389 ')).toEqual({ host: '192.168.1.20', port: 3389 });
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          const { host, port } = parseNatTarget(text);
          expect(`${host}:${port}`).toBe(text.trim().replace(/:0+(?=\d)/, ':'));
        } catch (error) {
          expect(error).toBeInstanceOf(SetupError);
        }
      }),
    );
  });

  it('never puts what a person typed into a shell line: the name becomes a slug', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (name) => {
        const parsed = serverProfileSchema.safeParse({ ...knock, name });
        if (!parsed.success) return;
        for (const firewall of ['iptables', 'nftables'] as const) {
          const setup = serverSetup(parsed.data, knockSecret, {
            firewall,
            stopAfterSeconds: 60,
            nat: { host: '192.168.1.20', port: 3389 },
          });
          for (const { text, language } of setup.blocks) {
            // Letters, digits and the punctuation of the commands themselves: no $ ` | & \ ' and,
            // outside nftables' own syntax (read by nft -f, never a shell), no ;.
            const pattern =
              language === 'nft'
                ? /^[A-Za-z0-9 \n._\-/:,=%{}@!";]*$/
                : /^[A-Za-z0-9 \n._\-/:,=%{}@![\]<>]*$/;
            expect(text).toMatch(pattern);
          }
        }
        expect(slugOf(name)).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the setup of an SPA door', () => {
  it('gives the access.conf stanza with the keys and the default drop', () => {
    const setup = serverSetup(spa, spaSecret);
    expect(setup.blocks.map((b) => [b.id, b.secret])).toEqual([
      ['fwknopd-access', true],
      ['spa-iptables', false],
    ]);
    expect(block(setup, 'fwknopd-access')?.text).toBe(`SOURCE                    ANY
OPEN_PORTS                tcp/22
REQUIRE_SOURCE_ADDRESS    Y
KEY_BASE64                8DnfL6iab0fXan3BOSgvRdQP+lye4ccQsnaB+OogrEs=
HMAC_KEY_BASE64           P+IdohJrPyYvPWo72vGN4TFic1Y8S0ZuYxMuxJuFAhpKt4DKEu5Pj991qurqQe7JOpzVgs9MMGk=
HMAC_DIGEST_TYPE          SHA256
FW_ACCESS_TIMEOUT         30
`);
    expect(block(setup, 'spa-iptables')?.text).toBe(`iptables -A INPUT -i lo -j ACCEPT
iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A INPUT -p tcp --dport 22 -j DROP
`);
  });

  it('matches the door: source address, SHA-512, legacy mode, TCP transport and NAT', () => {
    const door = profile({
      name: 'desk',
      method: {
        kind: 'spa',
        access: [{ protocol: 'tcp', port: 3389 }],
        allowIp: { mode: 'source' },
        hmacDigestType: 'sha512',
        transport: 'tcp',
        serverPort: 40001,
        nat: { mode: 'forward', host: '192.168.10.20', port: 3389 },
        natPort: 13389,
      },
    });
    const setup = serverSetup(door, spaSecret, { stopAfterSeconds: 120 });
    expect(block(setup, 'fwknopd-access')?.text).toContain('OPEN_PORTS                tcp/13389\n');
    expect(block(setup, 'fwknopd-access')?.text).toContain('REQUIRE_SOURCE_ADDRESS    N\n');
    expect(block(setup, 'fwknopd-access')?.text).toContain('HMAC_DIGEST_TYPE          SHA512\n');
    expect(block(setup, 'fwknopd-access')?.text).toContain('FW_ACCESS_TIMEOUT         120\n');
    expect(block(setup, 'fwknopd-conf')?.text).toBe(`PCAP_FILTER               tcp dst port 40001;
ENABLE_TCP_SERVER         Y;
TCPSERV_PORT              40001;
ENABLE_IPT_FORWARDING     Y;
`);
    expect(block(setup, 'spa-iptables')?.text).toContain(
      'iptables -A FORWARD -d 192.168.10.20 -p tcp --dport 3389 -j DROP\n',
    );
    const legacy = serverSetup(
      profile({
        method: { kind: 'spa', access: [{ protocol: 'tcp', port: 22 }], encryptionMode: 'legacy' },
      }),
      { kind: 'spa', encryptionKeyBase64: 'bGVnYWN5cGFzcw==' },
    );
    expect(block(legacy, 'fwknopd-access')?.text).toContain('ENCRYPTION_MODE           legacy\n');
    expect(block(legacy, 'fwknopd-access')?.text).not.toContain('HMAC');
  });

  it('leaves the keys out when asked', () => {
    const setup = serverSetup(spa, spaSecret, { withSecrets: false });
    expect(JSON.stringify(setup)).not.toContain(spaSecret.encryptionKeyBase64);
    expect(block(setup, 'fwknopd-access')?.text).toContain(
      'KEY_BASE64                <KEY_BASE64>\n',
    );
  });

  it('refuses nftables and the knock NAT variant, saying why', () => {
    expect(() => serverSetup(spa, spaSecret, { firewall: 'nftables' })).toThrow(
      'fwknopd adds its rules with iptables',
    );
    expect(() => serverSetup(spa, spaSecret, { nat: { host: '192.168.1.2', port: 22 } })).toThrow(
      "an SPA door forwards through fwknopd's own NAT",
    );
  });
});
