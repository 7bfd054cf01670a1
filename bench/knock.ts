// Benchmark: time from start to the door answering, `sesame knock` against Debian's `knock`,
// both as whole processes, and the knock engine in-process; on real knockd in namespaces.
// Run as root: npm run bench:knock   (RUNS=50 to change the number of runs)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from '../test/peers/harness/cleanup.js';
import { guardPort } from '../test/peers/harness/firewall.js';
import { startKnockd } from '../test/peers/harness/knockd.js';
import { createLab } from '../test/peers/harness/netns.js';
import { SESAME_CLI } from '../test/peers/harness/sesame-cli.js';
import { startTcpService } from '../test/peers/harness/tcp-service.js';
import { runInNamespace } from './lib/run-client.js';
import { markdownTable, ms, summary } from './lib/stats.js';

const SEQUENCES = {
  '3 hits': '7000,8000,9000',
  '8 hits': '7101,7202,7303,7404,7505,7606,7707,7808',
};
const RUNS = Number(process.env.RUNS ?? 30);
const OPEN = 'ipset add -exist whitelist %IP%';

export async function benchKnock(): Promise<string> {
  const cleanup = new Cleanup();
  const work = mkdtempSync(join(tmpdir(), 'sesame-bench-'));
  cleanup.add(() => rmSync(work, { recursive: true, force: true }));
  try {
    const lab = await createLab(cleanup);
    await startTcpService(lab.server, cleanup, 22);
    await guardPort(lab.server, { port: 22 });
    await startKnockd(
      lab,
      cleanup,
      work,
      Object.entries(SEQUENCES).map(([label, sequence]) => ({
        name: label.replace(' ', ''),
        sequence,
        tcpflags: 'syn',
        startCommand: OPEN,
      })),
    );
    const config = {
      serverNs: lab.server.name,
      serverIp: lab.serverIp,
      port: 22,
      sesameCli: SESAME_CLI,
      runs: RUNS,
      sequences: SEQUENCES,
    };
    const results = await runInNamespace<Record<string, Record<string, number[]>>>(
      lab.client.name,
      'bench/knock-runner.ts',
      config,
      'knock',
    );
    return report(results);
  } finally {
    await cleanup.run();
  }
}

function report(results: Record<string, Record<string, number[]>>): string {
  const rows: string[][] = [];
  for (const [label, samples] of Object.entries(results)) {
    const get = (key: string) => summary(samples[key] ?? []);
    const sesame = get('sesameProcess');
    const knock = get('knockProcess');
    const row = (what: string, s: ReturnType<typeof summary>, ratio: string) => [
      label,
      what,
      ms(s.median),
      `${ms(s.p10)}–${ms(s.p90)}`,
      ratio,
    ];
    rows.push(row("Debian's `knock` (process)", knock, '1.00'));
    rows.push(row('`sesame knock` (process)', sesame, (sesame.median / knock.median).toFixed(2)));
    rows.push(
      row(
        'engine in-process, same prober',
        get('inProcess'),
        (get('inProcess').median / knock.median).toFixed(2),
      ),
    );
    rows.push(row('engine in-process + its own `--check`', get('inProcessWithCheck'), '–'));
    rows.push(row('`knock` process alone (start to exit)', get('knockProcessOnly'), '–'));
    rows.push(row('`sesame knock` process alone (start to exit)', get('sesameProcessOnly'), '–'));
  }
  return markdownTable(['sequence', 'client', 'median ms', 'p10–p90 ms', 'ratio to knock'], rows);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`knock benchmark, ${RUNS} runs each, 0 ms delay\n`);
  console.log(await benchKnock());
}
