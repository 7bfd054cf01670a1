// Runs inside the client namespace (bench/engine.ts starts it there, beside `sesame watch`):
// moves the namespace to a new address, as a laptop moving to another network, and times how long
// until the door answers from the new address. Prints the samples (ms) as JSON.
import { execFileSync } from 'node:child_process';
import { waitUntilOpen } from './lib/door-prober.js';

interface RunnerConfig {
  readonly serverNs: string;
  readonly serverIp: string;
  readonly iface: string;
  readonly addresses: readonly string[];
  readonly start: string;
  readonly runs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;
const ip = (...args: string[]): void => void execFileSync('ip', args, { stdio: 'ignore' });

const samples: number[] = [];
let current = config.start;
for (let run = 0; run < config.runs; run += 1) {
  const next = config.addresses[run % config.addresses.length] ?? config.start;
  execFileSync('ip', ['netns', 'exec', config.serverNs, 'ipset', 'flush', 'whitelist']);
  // Let the watcher see a still network first, as a laptop would sit on one network a while.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  ip('addr', 'add', `${next}/24`, 'dev', config.iface);
  const changed = performance.now();
  ip('addr', 'del', `${current}/24`, 'dev', config.iface);
  current = next;
  const open = await waitUntilOpen(config.serverIp, 22, 30_000, 2, 200);
  samples.push(open - changed);
}
process.stdout.write(JSON.stringify(samples));
