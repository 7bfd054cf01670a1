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
