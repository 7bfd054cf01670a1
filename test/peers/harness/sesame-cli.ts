import { fileURLToPath } from 'node:url';
import type { Namespace } from './netns.js';
import type { RunResult } from './run.js';

/** The built `sesame` command (test/peers/global-setup.ts builds it before the peer tests). */
export const SESAME_CLI = fileURLToPath(new URL('../../../out/cli/sesame.mjs', import.meta.url));

/** Runs `sesame ARGS...` as its own process inside the namespace, as a person would. */
export function sesameIn(
  ns: Namespace,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): Promise<RunResult> {
  return ns.run(process.execPath, [SESAME_CLI, ...args], { env });
}

/**
 * `sesame servers add NAME` for the lab's knockd door (sequence 7000,8000,9000, seq_timeout 5,
 * checked on port 22) at `host`; the same door the peer tests, the soak and the benchmarks set up.
 */
export function addLabDoorArgs(name: string, host: string): string[] {
  return [
    'servers',
    'add',
    name,
    '--host',
    host,
    '--sequence',
    '7000,8000,9000',
    '--check',
    '22',
    '--seq-timeout',
    '5',
  ];
}
