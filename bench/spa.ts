// Benchmark: SPA packets built per second in-process, and time from start to the door answering
// for `sesame spa` against Debian's `fwknop`, both as whole processes, on a real fwknopd in
// network namespaces. Run as root: npm run bench:spa   (RUNS=50 to change the number of runs)
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EncryptionMode } from '../src/knock/spa/spa-cipher.js';
import { type DigestType } from '../src/knock/spa/spa-digest.js';
import { generateSpaKeys } from '../src/knock/spa/spa-keys.js';
import { buildSpaPacket } from '../src/knock/spa/spa-packet.js';
import { cryptoSpaRandom } from '../src/knock/spa/spa-random.js';
import { Cleanup } from '../test/peers/harness/cleanup.js';
import { startFwknopd } from '../test/peers/harness/fwknopd.js';
import { createLab } from '../test/peers/harness/netns.js';
import { SESAME_CLI } from '../test/peers/harness/sesame-cli.js';
import { startTcpService } from '../test/peers/harness/tcp-service.js';
import { runInNamespace } from './lib/run-client.js';
import { markdownTable, ms, summary } from './lib/stats.js';

const RUNS = Number(process.env.RUNS ?? 30);
const BUILD_MS = 2000;

/** Packets per second for one configuration, building for BUILD_MS with fresh randomness. */
function buildRate(digestType: DigestType, hmac: DigestType | undefined, mode: EncryptionMode) {
  const keys = generateSpaKeys();
  const packetKeys = hmac ? keys : { encryptionKey: keys.encryptionKey };
  let built = 0;
  const started = performance.now();
  while (performance.now() - started < BUILD_MS) {
    buildSpaPacket({
      fields: {
        randomValue: cryptoSpaRandom.randomValue(),
        username: 'alice',
        timestamp: Math.floor(Date.now() / 1000),
        version: '3.0.0',
        messageType: 1,
        message: '203.0.113.5,tcp/22',
      },
      keys: packetKeys,
      digestType,
      hmacDigestType: hmac ?? 'sha256',
      encryptionMode: mode,
      salt: cryptoSpaRandom.salt(),
    });
    built += 1;
  }
  return built / ((performance.now() - started) / 1000);
}

function buildTable(): string {
  const rows = (
    [
      ['CBC, SHA-256 digest, HMAC-SHA256 (the default)', 'sha256', 'sha256', 'cbc'],
      ['CBC, SHA-512 digest, HMAC-SHA512', 'sha512', 'sha512', 'cbc'],
      ['CBC, SHA3-256 digest, HMAC-SHA3-256', 'sha3_256', 'sha3_256', 'cbc'],
      ['legacy, SHA-256 digest, no HMAC', 'sha256', undefined, 'legacy'],
    ] as const
  ).map(([label, digest, hmac, mode]) => [
    label,
    Math.round(buildRate(digest, hmac, mode)).toLocaleString('en-US'),
  ]);
  return markdownTable(['packet', 'packets built per second (one core)'], rows);
}

async function doorTable(): Promise<string> {
  const cleanup = new Cleanup();
  const work = mkdtempSync(join(tmpdir(), 'sesame-bench-spa-'));
  cleanup.add(() => rmSync(work, { recursive: true, force: true }));
  try {
    const lab = await createLab(cleanup);
    const keys = generateSpaKeys();
    const key = Buffer.from(keys.encryptionKey).toString('base64');
    const hmac = Buffer.from(keys.hmacKey).toString('base64');
    await startTcpService(lab.server, cleanup, 22);
    await lab.server.mustRun('iptables-nft', ['-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT']);
    await lab.server.mustRun('iptables-nft', [
      '-A',
      'INPUT',
      '-p',
      'tcp',
      '--dport',
      '22',
      '-j',
      'DROP',
    ]);
    await startFwknopd(
      lab,
      cleanup,
      work,
      [{ openPorts: 'tcp/22', keyBase64: key, hmacKeyBase64: hmac }],
      {
        // fwknopd sleeps 100 ms between pcap reads by default; 10 ms lets the clients' own
        // differences show instead of that wait.
        extra: { PCAP_LOOP_SLEEP: '10000' },
      },
    );
    const home = join(work, 'home');
    await mkdir(home, { mode: 0o700 });
    const config = {
      serverNs: lab.server.name,
      serverIp: lab.serverIp,
      clientIp: lab.clientIp,
      port: 22,
      sesameCli: SESAME_CLI,
      home,
      runs: RUNS,
      key,
      hmac,
    };
    const samples = await runInNamespace<Record<string, number[]>>(
      lab.client.name,
      'bench/spa-runner.ts',
      config,
      'spa',
    );
    const get = (name: string) => summary(samples[name] ?? []);
    const fwknop = get('fwknopProcess');
    const row = (what: string, s: ReturnType<typeof summary>, ratio: string) => [
      what,
      ms(s.median),
      `${ms(s.p10)}–${ms(s.p90)}`,
      ratio,
    ];
    const ratio = (s: ReturnType<typeof summary>) => (s.median / fwknop.median).toFixed(2);
    return markdownTable(
      ['client', 'median ms', 'p10–p90 ms', 'ratio to fwknop'],
      [
        row("Debian's `fwknop` (process)", fwknop, '1.00'),
        row('`sesame spa` (process)', get('sesameProcess'), ratio(get('sesameProcess'))),
        row('engine in-process (`sendSpa`)', get('inProcess'), ratio(get('inProcess'))),
        row('`fwknop` process alone (start to exit)', get('fwknopProcessOnly'), '–'),
        row('`sesame spa` process alone (start to exit)', get('sesameProcessOnly'), '–'),
      ],
    );
  } finally {
    await cleanup.run();
  }
}

export async function benchSpa(): Promise<string> {
  const build = buildTable();
  const door = await doorTable();
  return `${build}\n\nfrom start to the door answering, ${RUNS} runs each:\n\n${door}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`SPA benchmark\n`);
  console.log(await benchSpa());
}
