// Runs inside the client namespace (bench/spa.ts starts it there): times `sesame spa` and Debian's
// `fwknop` as whole processes from their start to the door answering, and the SPA engine called
// in-process. Prints JSON on stdout.
import { keyFromBase64 } from '../src/knock/spa/spa-keys.js';
import { spaOptionsSchema } from '../src/knock/spa/spa-options.js';
import { sendSpa } from '../src/knock/spa/spa-sender.js';
import { waitUntilOpen } from './lib/door-prober.js';
import { runClient, timeClientToOpen } from './lib/run-client.js';

interface RunnerConfig {
  readonly serverNs: string;
  readonly serverIp: string;
  readonly clientIp: string;
  readonly port: number;
  readonly sesameCli: string;
  readonly home: string;
  readonly runs: number;
  readonly key: string;
  readonly hmac: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;

/** Only PATH and a scratch HOME (where fwknop would keep its files), as from a shell. */
const CLEAN_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: config.home };
const runProcess = (command: string, args: readonly string[]) =>
  runClient(command, args, CLEAN_ENV);

/** Shuts the door again: empties fwknopd's chain (fwknopd keeps running). */
async function closeDoor(): Promise<void> {
  await runProcess('ip', ['netns', 'exec', config.serverNs, 'iptables-nft', '-F', 'FWKNOP_INPUT']);
  await new Promise((resolve) => setTimeout(resolve, 20));
}

const request = ['-A', `tcp/${config.port}`, '-a', config.clientIp, '-D', config.serverIp];
const keys = ['--key-base64-rijndael', config.key, '--key-base64-hmac', config.hmac];
const CLIENTS: Record<string, readonly [string, readonly string[]]> = {
  sesame: [process.execPath, [config.sesameCli, 'spa', '--no-rc-file', ...request, ...keys]],
  fwknop: ['fwknop', ['--no-rc-file', '--no-save-args', ...request, ...keys]],
};

function timeProcess(name: string): Promise<{ total: number; process: number }> {
  const [command, args] = CLIENTS[name] ?? ['false', []];
  return timeClientToOpen(
    closeDoor,
    { command, args, env: CLEAN_ENV },
    { address: config.serverIp, port: config.port },
  );
}

const options = spaOptionsSchema.parse({
  access: [{ protocol: 'tcp', port: config.port }],
  allowIp: { mode: 'address', address: config.clientIp },
});
const engineKeys = {
  encryptionKey: keyFromBase64(config.key, 'key'),
  hmacKey: keyFromBase64(config.hmac, 'HMAC key'),
};

async function timeInProcess(): Promise<number> {
  await closeDoor();
  const started = performance.now();
  await sendSpa({ host: config.serverIp, keys: engineKeys, options });
  return (await waitUntilOpen(config.serverIp, config.port)) - started;
}

const samples: Record<string, number[]> = {
  sesameProcess: [],
  sesameProcessOnly: [],
  fwknopProcess: [],
  fwknopProcessOnly: [],
  inProcess: [],
};
for (let i = 0; i < config.runs; i += 1) {
  // Interleaved, so a slow moment of the machine hits every client alike.
  const sesame = await timeProcess('sesame');
  samples.sesameProcess?.push(sesame.total);
  samples.sesameProcessOnly?.push(sesame.process);
  const fwknop = await timeProcess('fwknop');
  samples.fwknopProcess?.push(fwknop.total);
  samples.fwknopProcessOnly?.push(fwknop.process);
  samples.inProcess?.push(await timeInProcess());
}
process.stdout.write(JSON.stringify(samples));
