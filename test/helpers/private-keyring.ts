import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrivateKeyring {
  /** The environment a process needs to use this keyring (D-Bus address, a private HOME). */
  readonly env: { DBUS_SESSION_BUS_ADDRESS: string; HOME: string; XDG_DATA_HOME: string };
  stop(): Promise<void>;
  /** Ends the daemons at once, without waiting (for a process that is exiting). */
  killNow(): void;
  /** Kills the keyring daemon alone, as a crash would: the bus stays, the Secret Service goes. */
  crashSecretService(): Promise<void>;
  /** Starts the keyring daemon again on the same files, unlocked: the secrets come back. */
  restartSecretService(): Promise<void>;
  /** Locks the login keyring, as a screen lock or the person would: the keyring then refuses. */
  lock(): Promise<void>;
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
      ['--nofork', '--print-address=1', `--config-file=${writeBusConfig(home)}`],
      { env: { ...process.env, HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(bus);
    const address = await firstLine(bus);
    const env = {
      DBUS_SESSION_BUS_ADDRESS: address,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
    };
    let keyring = await startSecretService(env);
    children.push(keyring);
    const killNow = (): void => {
      for (const child of children) child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    };
    const crashSecretService = async (): Promise<void> => {
      const gone = new Promise((resolve) => keyring.once('exit', resolve));
      keyring.kill('SIGKILL');
      await gone;
    };
    const restartSecretService = async (): Promise<void> => {
      keyring = await startSecretService(env);
      children.push(keyring);
    };
    const lock = async (): Promise<void> => {
      await callBus(env.DBUS_SESSION_BUS_ADDRESS, [
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/collection/login',
      ]);
    };
    return { env, stop, killNow, crashSecretService, restartSecretService, lock };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A session bus that starts nothing by itself: the standard session bus would start a keyring
 * daemon on demand (D-Bus activation), with the real HOME, whenever ours is away. The limits are
 * the standard session bus's; dbus-daemon's built-in ones are a system bus's, and a test that
 * asks the keychain many times in a row runs into them.
 */
function writeBusConfig(home: string): string {
  const file = join(home, 'session-bus.conf');
  writeFileSync(
    file,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${join(home, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="max_incoming_bytes">1000000000</limit>
  <limit name="max_incoming_unix_fds">250000000</limit>
  <limit name="max_outgoing_bytes">1000000000</limit>
  <limit name="max_outgoing_unix_fds">250000000</limit>
  <limit name="max_message_size">1000000000</limit>
  <limit name="service_start_timeout">120000</limit>
  <limit name="auth_timeout">240000</limit>
  <limit name="pending_fd_timeout">150000</limit>
  <limit name="max_completed_connections">100000</limit>
  <limit name="max_incomplete_connections">10000</limit>
  <limit name="max_connections_per_user">100000</limit>
  <limit name="max_pending_service_starts">10000</limit>
  <limit name="max_names_per_connection">50000</limit>
  <limit name="max_match_rules_per_connection">50000</limit>
  <limit name="max_replies_per_connection">50000</limit>
</busconfig>
`,
  );
  return file;
}

/** gnome-keyring-daemon on the given bus, its login keyring unlocked with the test password. */
async function startSecretService(env: PrivateKeyring['env']): Promise<ChildProcess> {
  const log = join(env.HOME, 'keyring.log');
  const logFd = openSync(log, 'a');
  const keyring = spawn(
    'gnome-keyring-daemon',
    ['--foreground', '--unlock', '--components=secrets'],
    {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', logFd],
    },
  );
  closeSync(logFd); // the daemon has its own copy
  keyring.stdin?.end('sesame-test-password');
  // A keyring that dies under a test would otherwise show only as "no keychain is available".
  keyring.once('exit', (code, signal) => {
    if (keyring.killed) return; // stopped by the test, not by itself
    const said = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-5) : [];
    console.error(`the test keyring exited by itself (${code ?? signal}): ${said.join(' / ')}`);
  });
  try {
    await firstLine(keyring);
    // The daemon prints its control socket before it is on the bus: wait for the name itself.
    await waitForName(env.DBUS_SESSION_BUS_ADDRESS, 'org.freedesktop.secrets');
    return keyring;
  } catch (error) {
    keyring.kill('SIGKILL');
    throw error;
  }
}

async function waitForName(bus: string, name: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await callBus(bus, [
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      `string:${name}`,
    ]).catch(() => '');
    if (/boolean true/.test(reply)) return;
    if (Date.now() > deadline) throw new Error(`${name} did not appear on the test bus`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One method call on the test bus with dbus-send; resolves with its printed reply. */
function callBus(bus: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('dbus-send', [`--bus=${bus}`, '--print-reply', ...args], (error, stdout, stderr) =>
      error ? reject(new Error(`dbus-send ${args.join(' ')}: ${stderr.trim()}`)) : resolve(stdout),
    ),
  );
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
