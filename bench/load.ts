// Benchmark with many servers: 500 saved servers (secrets in a private gnome-keyring), then the
// start-up of `sesame watch` (to its first event, and its memory), the start of the core
// in-process, and a full status sweep (`sesame status`, every door port and a ping each).
// Run: npm run bench:load   (SERVERS=500)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/app/core.js';
import { ServerRepository } from '../src/servers/server-repository.js';
import { OsKeychain } from '../src/store/secret-store.js';
import { SettingsStore } from '../src/store/settings-store.js';
import { listen } from '../test/helpers/loopback.js';
import { type PrivateKeyring, startPrivateKeyring } from '../test/helpers/private-keyring.js';
import { SESAME_CLI } from '../test/peers/harness/sesame-cli.js';
import { markdownTable, ms } from './lib/stats.js';

const SERVERS = Number(process.env.SERVERS ?? 500);
const NOBODY = [
  { kind: 'http' as const, name: 'nobody', format: 'text' as const, ipv4: 'http://127.0.0.1:9/' },
];

async function fill(dir: string, openPort: number): Promise<void> {
  const settings = SettingsStore.open(dir);
  settings.update((s) => ({
    ...s,
    preferences: { ...s.preferences, acceptPrivateIp: true, ipProviders: NOBODY },
  }));
  const repository = new ServerRepository(settings, new OsKeychain());
  for (let i = 0; i < SERVERS; i += 1) {
    await repository.add(
      // Every other server's door is open (a listener), the others refuse.
      {
        name: `server ${i}`,
        host: '127.0.0.1',
        method: { kind: 'knock' },
        checkPort: i % 2 === 0 ? openPort : 9,
      },
      { kind: 'knock', sequence: `${7000 + (i % 1000)},${8000 + (i % 1000)},${9000 + (i % 1000)}` },
    );
  }
}

function untilLine(args: string[], env: NodeJS.ProcessEnv, match: (line: string) => boolean) {
  const started = performance.now();
  const child = spawn(process.execPath, [SESAME_CLI, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<{ ms: number; pid: number; stop: () => void }>((resolve, reject) => {
    let text = '';
    child.once('exit', (code) => reject(new Error(`sesame ${args.join(' ')} exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.split('\n').some(match)) {
        child.removeAllListeners('exit');
        resolve({
          ms: performance.now() - started,
          pid: child.pid ?? 0,
          stop: () => child.kill('SIGTERM'),
        });
      }
    });
  });
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [SESAME_CLI, ...args], { env, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', () => resolve(performance.now() - started)));
}

export async function benchLoad(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-bench-load-'));
  const keyring: PrivateKeyring = await startPrivateKeyring();
  const { server: door, port } = await listen(createServer((socket) => socket.destroy()));
  try {
    Object.assign(process.env, keyring.env);
    await fill(dir, port);
    const env = { PATH: process.env.PATH, ...keyring.env, SESAME_CONFIG_DIR: dir };
    const watch = await untilLine(['watch', '--json'], env, (line) =>
      line.includes(`watching ${SERVERS} server`),
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rss =
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${watch.pid}/status`, 'utf8'))?.[1]) / 1024;
    watch.stop();
    const list = await timeProcess(['servers', 'list'], env);
    const status = await timeProcess(['status', '--json', '--timeout', '1000'], env);
    const core = createCore({
      dir,
      launcher: {
        openSsh: () => Promise.reject(new Error()),
        openRdp: () => Promise.reject(new Error()),
        sshCommand: () => '',
      },
      appInfo: { version: 'bench', platform: process.platform },
    });
    const started = performance.now();
    await core.start();
    const coreStart = performance.now() - started;
    const heap = process.memoryUsage().heapUsed / 2 ** 20;
    await core.stop();
    return markdownTable(
      ['with 500 servers', 'result'],
      [
        [
          '`sesame watch`: start to its first event (settings, keychain states, engine)',
          `${ms(watch.ms)} ms`,
        ],
        ['`sesame watch`: resident memory after start', `${rss.toFixed(1)} MiB`],
        [
          'core start in-process (engine + every secret state read from the keychain)',
          `${ms(coreStart)} ms`,
        ],
        ['heap in use in-process after start', `${heap.toFixed(1)} MiB`],
        ['`sesame servers list` (whole process)', `${ms(list)} ms`],
        [
          '`sesame status`: every door port checked and every host pinged (whole process)',
          `${ms(status)} ms`,
        ],
      ].map(([what = '', value = '']) => [what.replace('500', String(SERVERS)), value]),
    );
  } finally {
    door.close();
    await keyring.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchLoad());
}
