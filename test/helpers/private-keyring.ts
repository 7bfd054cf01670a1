import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateKeyring {
  /** The environment a process needs to use this keyring (D-Bus address, a private HOME). */
  readonly env: { DBUS_SESSION_BUS_ADDRESS: string; HOME: string; XDG_DATA_HOME: string };
  stop(): Promise<void>;
  /** Ends the daemons at once, without waiting (for a process that is exiting). */
  killNow(): void;
}

/**
 * A real Secret Service for tests: a private D-Bus session bus with gnome-keyring-daemon on it,
 * its keyring files in a scratch HOME, unlocked with a throwaway password. Nothing touches the
 * keyring of the person running the tests.
 */
export async function startPrivateKeyring(): Promise<PrivateKeyring> {
  const home = mkdtempSync(join(tmpdir(), 'sesame-keyring-'));
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const bus = spawn(
      'dbus-daemon',
      ['--session', '--nofork', '--print-address=1', `--address=unix:path=${join(home, 'bus')}`],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    children.push(bus);
    const address = await firstLine(bus);
    const env = {
      DBUS_SESSION_BUS_ADDRESS: address,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
    };
    const keyring = spawn(
      'gnome-keyring-daemon',
      ['--foreground', '--unlock', '--components=secrets'],
      {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'ignore'],
      },
    );
    children.push(keyring);
    keyring.stdin?.end('sesame-test-password');
    // The daemon prints its control socket once it has claimed the Secret Service name.
    await firstLine(keyring);
    const killNow = (): void => {
      for (const child of children) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    };
    return { env, stop, killNow };
  } catch (error) {
    await stop();
    throw error;
  }
}

function firstLine(child: ChildProcess, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`no output from ${child.spawnfile} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline !== -1) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
  });
}
