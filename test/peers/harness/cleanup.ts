import { execFileSync } from 'node:child_process';

type Step = () => Promise<void> | void;

/**
 * Everything a peer test creates registers how to undo it here. `run()` undoes it all in reverse
 * order, also when a test failed; `emergency` steps run synchronously when the process exits
 * without reaching `run()` (a crash, a timeout), so no namespace or daemon outlives the tests.
 */
export class Cleanup {
  private steps: { step: Step; emergency?: () => void }[] = [];
  private readonly onExit = (): void => this.runEmergency();

  constructor() {
    process.once('exit', this.onExit);
  }

  add(step: Step, emergency?: () => void): void {
    this.steps.push({ step, emergency });
  }

  async run(): Promise<void> {
    process.removeListener('exit', this.onExit);
    const errors: unknown[] = [];
    for (const { step } of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  }

  private runEmergency(): void {
    for (const { emergency } of this.steps.splice(0).reverse()) {
      try {
        emergency?.();
      } catch {
        // Best effort: the process is exiting.
      }
    }
  }
}

/** Kills a process by PID without waiting; for emergency cleanup. */
export function killNow(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function execQuiet(command: string, args: string[]): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    // Already gone.
  }
}
