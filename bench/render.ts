// How the window copes with 200 servers: the real renderer build in Debian's Chromium, through
// the preview bridge, with the real core behind it (servers on 127.0.0.1, secrets in memory).
//
//   npm run bench:render          (RUNS=10 for more rounds; PROFILE=1 prints where the page
//                                  spends its time during "Knock all")
//
// Measures, per round: the time from navigation to 200 rows on screen; one keystroke in the
// filter until the list shows the matches; and a "Knock all" over the 200 servers (about 1,000
// status events and 400 log events pushed to the window in a few hundred milliseconds): the
// longest gap between two frames and the long tasks (over 50 ms) while it runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createCore } from '../src/app/core.js';
import { previewLauncher } from '../src/preview/preview-launcher.js';
import { startPreviewServer } from '../src/preview/preview-server.js';
import { SettingsStore } from '../src/store/settings-store.js';
import { MemorySecrets } from '../test/helpers/memory-secrets.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/ui/browser.js';
import { ms, summary } from './lib/stats.js';

const SERVERS = 200;
const RUNS = Number(process.env.RUNS ?? 5);

const secrets = new MemorySecrets();

export async function benchRender(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-bench-render-'));
  // The watcher is never started: no IP provider is asked; this one would not answer anyway.
  SettingsStore.open(dir).update((s) => ({
    ...s,
    preferences: {
      ...s.preferences,
      ipProviders: [{ kind: 'http', name: 'none', format: 'text', ipv4: 'http://127.0.0.1:9/' }],
    },
  }));
  const core = createCore({
    dir,
    launcher: previewLauncher,
    appInfo: { version: 'bench', platform: process.platform },
    secrets,
  });
  for (let i = 0; i < SERVERS; i += 1) {
    const port = 20_000 + i * 3;
    await core.services.repository.add(
      { name: `srv-${i}`, host: '127.0.0.1', method: { kind: 'knock' }, tags: ['bench'] },
      { kind: 'knock', sequence: `${port},${port + 40_001},${port + 1}` },
    );
  }
  await core.services.engine.start();
  const server = await startPreviewServer({
    services: core.services,
    staticDir: join(import.meta.dirname, '..', 'out', 'renderer'),
  });
  const profile = mkdtempSync(join(tmpdir(), 'sesame-bench-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 800 },
    args: CHROMIUM_ARGS,
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.addInitScript({ path: join(import.meta.dirname, 'render-page.js') });

  const load: number[] = [];
  const filter: number[] = [];
  const knockAll: number[] = [];
  const worstFrame: number[] = [];
  const longTasks: number[] = [];
  try {
    for (let run = 0; run < RUNS; run += 1) {
      await page.goto(server.url);
      // Polled from here: the page's CSP forbids the eval that waitForFunction would use.
      let rowsAt: unknown;
      while ((rowsAt = await page.evaluate('window.sesameBench?.rowsAt')) === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      load.push(Number(rowsAt));
      await page.waitForTimeout(300);
      // "srv-1" matches srv-1, srv-10…19 and srv-100…199.
      filter.push(Number(await page.evaluate("window.sesameBench.filter('srv-1', 111)")));
      await page.waitForTimeout(300);
      const cdp = process.env.PROFILE ? await browser.newCDPSession(page) : undefined;
      await cdp?.send('Profiler.enable');
      await cdp?.send('Profiler.start');
      const storm = await page.evaluate<{ took: number; worst: number; long: number }>(
        `window.sesameBench.knockAll(${SERVERS})`,
      );
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        const self = new Map<string, number>();
        const byId = new Map(profile.nodes.map((n) => [n.id, n]));
        const dt = profile.timeDeltas ?? [];
        (profile.samples ?? []).forEach((id, i) => {
          const node = byId.get(id);
          const key = `${node?.callFrame.functionName || '(anon)'} ${node?.callFrame.url.split('/').pop()}:${node?.callFrame.lineNumber}:${node?.callFrame.columnNumber}`;
          self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
        });
        console.error(
          [...self]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 25)
            .map(([k, v]) => `${v.toFixed(1)} ms ${k}`)
            .join('\n'),
        );
      }
      knockAll.push(storm.took);
      worstFrame.push(storm.worst);
      longTasks.push(storm.long);
      await page.waitForTimeout(500);
    }
  } finally {
    await browser.close();
    await server.close();
    await core.services.engine.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
  const row = (what: string, samples: number[]) => {
    const s = summary(samples);
    return `| ${what} | ${ms(s.median)} | ${ms(s.p10)}–${ms(s.p90)} |`;
  };
  return [
    `${SERVERS} servers, ${RUNS} rounds`,
    '',
    '| what | median ms | p10–p90 ms |',
    '| --- | --- | --- |',
    row('navigation to 200 rows on screen', load),
    row('filter keystroke to 111 matching rows', filter),
    row('Knock all: click to 200 "Knocked" badges', knockAll),
    row('Knock all: longest gap between two frames', worstFrame),
    `| Knock all: long tasks (> 50 ms) | ${summary(longTasks).median} (median count) | ${Math.round(summary(longTasks).p10)}–${Math.round(summary(longTasks).p90)} |`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version}\n`,
  );
  console.log(await benchRender());
}
