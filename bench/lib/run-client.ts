import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { mustRun } from '../../test/peers/harness/run.js';
import { waitUntilOpen } from './door-prober.js';

/**
 * Runs a client to completion as a benchmark times it: its output ignored, its environment only
 * what is given (PATH at least), as from a person's shell. Variables of this machine such as
 * NODE_EXTRA_CA_CERTS (which makes every Node process parse a CA bundle, about 40 ms) would
 * otherwise be charged to Sesame.
 */
export function runClient(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: 'ignore', env });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

/**
 * Runs a benchmark's runner script inside a namespace (where the client side lives), hands it
 * its configuration as JSON, and keeps the samples it prints in bench/results/<name>.json.
 */
export async function runInNamespace<T>(
  namespace: string,
  script: string,
  config: object,
  name: string,
): Promise<T> {
  const output = await mustRun(
    'ip',
    [
      'netns',
      'exec',
      namespace,
      process.execPath,
      '--import',
      'tsx',
      script,
      JSON.stringify(config),
    ],
    { timeoutMs: 30 * 60_000 },
  );
  const results = JSON.parse(output.stdout) as T;
  await mkdir('bench/results', { recursive: true });
  await writeFile(`bench/results/${name}.json`, JSON.stringify(results, null, 2));
  return results;
}

/**
 * Times one client run from its start: to its exit (`process`) and to the door answering
 * (`total`), found by the same 1 ms prober for every client. The door is shut first.
 */
export async function timeClientToOpen(
  shutDoor: () => Promise<void>,
  client: { command: string; args: readonly string[]; env: NodeJS.ProcessEnv },
  door: { address: string; port: number },
): Promise<{ total: number; process: number }> {
  await shutDoor();
  const started = performance.now();
  await runClient(client.command, client.args, client.env);
  const exited = performance.now();
  const open = await waitUntilOpen(door.address, door.port);
  return { total: open - started, process: exited - started };
}
