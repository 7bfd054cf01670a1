import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/store/settings-loader.js';
import { SettingsStore } from '../../src/store/settings-store.js';

// A process that rewrites the settings as fast as it can, each time with different servers.
const WRITER = `
  import { SettingsStore } from ${JSON.stringify(new URL('../../src/store/settings-store.ts', import.meta.url).pathname)};
  const store = SettingsStore.open(process.argv[2]);
  const write = (round) =>
    store.update((s) => ({
      ...s,
      servers: Array.from({ length: 200 }, (_, i) => ({
        id: '00000000-0000-4000-8000-' + String(i).padStart(12, '0'),
        name: 'server ' + i + ' round ' + round,
        host: 'host' + i + '.example.com',
        method: { kind: 'knock' },
      })),
    }));
  // One whole write first: from then on the file must always hold 200 servers.
  write(0);
  process.stdout.write('ready\\n');
  for (let round = 1; ; round += 1) write(round);
`;

describe('a write killed half-way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sesame-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('never leaves a broken settings file, over many kills at random moments', async () => {
    const script = join(dir, 'writer.mts');
    writeFileSync(script, WRITER);
    for (let kill = 0; kill < 8; kill += 1) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 200));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const load = loadSettings(join(dir, 'config.json'), new Date());
      expect(load.problems).toEqual([]);
      expect(load.settings.servers).toHaveLength(200);
    }
    // Killed writes leave their temporary files; opening the settings later sweeps the stale ones.
    const stale = new Date(Date.now() - 5 * 60_000);
    for (const name of readdirSync(dir).filter((n) => n.startsWith('config.json.tmp')))
      utimesSync(join(dir, name), stale, stale);
    SettingsStore.open(dir);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'writer.mts']);
  });
});
