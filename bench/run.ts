// Runs every benchmark, one after another, and prints their tables (root needed: they use
// network namespaces; the window's needs Debian's chromium). `npm run bench` builds the command
// and the window first. Copy the tables into docs/benchmarks.md with the date and the machine.
//
//   sudo npm run bench            every benchmark
//   sudo npm run bench -- knock   only those whose name starts with "knock"
import { cpus, totalmem } from 'node:os';
import { benchBundle } from './bundle.js';
import { benchEngine } from './engine.js';
import { benchKnock } from './knock.js';
import { benchLoad } from './load.js';
import { benchRender } from './render.js';
import { benchSpa } from './spa.js';
import { benchWatcherIdle } from './watcher-idle.js';

const benches: Record<string, () => Promise<string>> = {
  'knock: start to door answering': benchKnock,
  'spa: packets built, and start to door answering': benchSpa,
  'watcher: idle cost': benchWatcherIdle,
  'engine: IP change to door open, idle cost, 100 servers': benchEngine,
  'load: 500 servers': benchLoad,
  'window: 200 servers in Chromium': benchRender,
  'bundle: what Sesame ships': benchBundle,
};

const only = process.argv[2];
console.log(
  `${new Date().toISOString()} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} · ${Math.round(totalmem() / 2 ** 30)} GiB · Node ${process.version}\n`,
);
for (const [name, bench] of Object.entries(benches)) {
  if (only && !name.startsWith(only)) continue;
  console.log(`## ${name}\n`);
  try {
    console.log(`${await bench()}\n`);
  } catch (error) {
    // One benchmark that cannot run here does not stop the others; the run still fails.
    console.log(`**Failed:** ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
