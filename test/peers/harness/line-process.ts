import { type ChildProcess, spawn } from 'node:child_process';
import { type Cleanup, killNow } from './cleanup.js';
import type { Namespace } from './netns.js';
import { stopProcess } from './run.js';

/** A process in a namespace whose stdout is read line by line as JSON (and stdin kept open). */
export interface LineProcess {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  /** What it wrote on stderr so far. */
  stderr(): string;
}

/** Starts `program args…` inside the namespace; its JSON lines collect in `lines`. */
export function startLineProcess(
  ns: Namespace,
  cleanup: Cleanup,
  program: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): LineProcess {
  const child = spawn('ip', ['netns', 'exec', ns.name, program, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(env && { env }),
  });
  cleanup.add(
    () => stopProcess(child),
    () => killNow(child.pid),
  );
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) lines.push({ event: 'exit', code, errors });
  });
  return { child, lines, stderr: () => errors };
}

/** Starts a TypeScript program of the tests (through tsx) inside the namespace. */
export function startTsLineProcess(
  ns: Namespace,
  cleanup: Cleanup,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): LineProcess {
  return startLineProcess(ns, cleanup, process.execPath, ['--import', 'tsx', ...args], env);
}
