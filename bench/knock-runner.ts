// Runs inside the client namespace (bench/knock.ts starts it there): times each client from its
// start to the door answering, and the knock engine called in-process. Prints JSON on stdout.
import { spawn } from 'node:child_process';
import { knock } from '../src/knock/knocker.js';
import { parseSequence } from '../src/knock/sequence.js';
import { waitForOpen } from '../src/probe/tcp-probe.js';
import { waitUntilOpen } from './lib/door-prober.js';

interface RunnerConfig {
  readonly serverNs: string;
  readonly serverIp: string;
  readonly port: number;
  readonly sesameCli: string;
  readonly runs: number;
  readonly sequences: Record<string, string>;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;

/**
 * The clients run with only PATH set, as from a person's shell: variables of this machine such as
 * NODE_EXTRA_CA_CERTS (which makes every Node process parse a CA bundle, about 40 ms) would
 * otherwise be charged to Sesame.
 */
const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

function runProcess(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', env: CLEAN_ENV });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

/** Shuts the door again: empties the server's whitelist and checks the port is dropped. */
async function closeDoor(): Promise<void> {
  await runProcess('ip', ['netns', 'exec', config.serverNs, 'ipset', 'flush', 'whitelist']);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

async function timeProcess(
  command: string,
  args: string[],
): Promise<{ total: number; process: number }> {
  await closeDoor();
  const started = performance.now();
  await runProcess(command, args);
  const exited = performance.now();
  const open = await waitUntilOpen(config.serverIp, config.port);
  return { total: open - started, process: exited - started };
}

async function timeInProcess(sequence: string, check: 'prober' | 'engine'): Promise<number> {
  await closeDoor();
  const started = performance.now();
  await knock({ host: config.serverIp, hits: parseSequence(sequence) });
  if (check === 'engine') {
    const result = await waitForOpen(config.serverIp, config.port, { timeoutMs: 3000 });
    if (result.state !== 'open') throw new Error(`door stayed ${result.state}`);
    return performance.now() - started;
  }
  return (await waitUntilOpen(config.serverIp, config.port)) - started;
}

const results: Record<string, Record<string, number[]>> = {};
for (const [label, sequence] of Object.entries(config.sequences)) {
  const words = sequence.split(',');
  const samples: Record<string, number[]> = {
    sesameProcess: [],
    sesameProcessOnly: [],
    knockProcess: [],
    knockProcessOnly: [],
    inProcess: [],
    inProcessWithCheck: [],
  };
  for (let i = 0; i < config.runs; i += 1) {
    // Interleaved, so a slow moment of the machine hits every client alike.
    const sesame = await timeProcess(process.execPath, [
      config.sesameCli,
      'knock',
      config.serverIp,
      ...words,
    ]);
    samples.sesameProcess?.push(sesame.total);
    samples.sesameProcessOnly?.push(sesame.process);
    const knockd = await timeProcess('knock', [config.serverIp, ...words]);
    samples.knockProcess?.push(knockd.total);
    samples.knockProcessOnly?.push(knockd.process);
    samples.inProcess?.push(await timeInProcess(sequence, 'prober'));
    samples.inProcessWithCheck?.push(await timeInProcess(sequence, 'engine'));
  }
  results[label] = samples;
}
process.stdout.write(JSON.stringify(results));
