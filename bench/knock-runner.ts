// Runs inside the client namespace (bench/knock.ts starts it there): times each client from its
// start to the door answering, and the knock engine called in-process. Prints JSON on stdout.
import { knock } from '../src/knock/knocker.js';
import { parseSequence } from '../src/knock/sequence.js';
import { waitForOpen } from '../src/probe/tcp-probe.js';
import { waitUntilOpen } from './lib/door-prober.js';
import { runClient, timeClientToOpen } from './lib/run-client.js';

interface RunnerConfig {
  readonly serverNs: string;
  readonly serverIp: string;
  readonly port: number;
  readonly sesameCli: string;
  readonly runs: number;
  readonly sequences: Record<string, string>;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;

/** Only PATH, as from a person's shell (see runClient). */
const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const runProcess = (command: string, args: string[]) => runClient(command, args, CLEAN_ENV);

/** Shuts the door again: empties the server's whitelist and checks the port is dropped. */
async function closeDoor(): Promise<void> {
  await runProcess('ip', ['netns', 'exec', config.serverNs, 'ipset', 'flush', 'whitelist']);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

function timeProcess(command: string, args: string[]): Promise<{ total: number; process: number }> {
  return timeClientToOpen(
    closeDoor,
    { command, args, env: CLEAN_ENV },
    { address: config.serverIp, port: config.port },
  );
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
