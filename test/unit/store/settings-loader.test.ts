import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NewerSettingsError } from '../../../src/store/migrations.js';
import { loadSettings } from '../../../src/store/settings-loader.js';
import { settingsSchema } from '../../../src/store/settings-schema.js';
import { SettingsStore, SettingsValueError } from '../../../src/store/settings-store.js';

const NOW = new Date('2026-11-25T10:20:30.456Z');
const KEPT = 'config.json.corrupt-2026-11-25T10-20-30-456Z';

const server = (name: string, extra: Record<string, unknown> = {}) => ({
  id: `6f1c2b1e-0d4f-4a7b-9c3e-${String(name.length).padStart(12, '0')}`,
  name,
  host: 'door.example.com',
  method: { kind: 'knock' },
  ...extra,
});

describe('loading the settings file', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sesame-settings-'));
    path = join(dir, 'config.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts empty when there is no file, and writes nothing', () => {
    const load = loadSettings(path, NOW);
    expect(load).toMatchObject({
      problems: [],
      needsWrite: false,
      settings: { version: 1, servers: [] },
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a file that is not JSON aside, says where, and starts empty', () => {
    writeFileSync(path, '{"version": 1, "servers": [');
    const load = loadSettings(path, NOW);
    expect(load.keptAs).toBe(join(dir, KEPT));
    expect(load.problems).toHaveLength(1);
    expect(load.problems[0]).toMatch(
      new RegExp(
        `^the settings file is not valid JSON \\(.+\\); it was kept as ${join(dir, KEPT)}$`,
      ),
    );
    expect(readFileSync(join(dir, KEPT), 'utf8')).toBe('{"version": 1, "servers": [');
    expect(load.settings.servers).toEqual([]);
  });

  it('keeps every valid server and reports each one that fails the schema', () => {
    const good = server('office', { checkPort: 22 });
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        servers: [
          good,
          server('bad host', { host: 'a b' }),
          server('bad port', { checkPort: 70000 }),
          { name: 'no id' },
        ],
      }),
    );
    const load = loadSettings(path, NOW);
    expect(load.settings.servers.map((s) => s.name)).toEqual(['office']);
    expect(load.problems).toEqual([
      'server 2 ("bad host") was left out: host: "a b" is not a host name or an IP address (letters, digits, "-" and "." only; no spaces)',
      'server 3 ("bad port") was left out: checkPort: a port is a number from 1 to 65535',
      expect.stringMatching(/^server 4 \("no id"\) was left out: id: /),
      `the original file was kept as ${join(dir, KEPT)}`,
    ]);
    expect(load.needsWrite).toBe(true);
  });

  it('resets invalid preferences and says so, keeping the servers', () => {
    writeFileSync(
      path,
      JSON.stringify({ version: 1, servers: [server('office')], preferences: { theme: 'neon' } }),
    );
    const load = loadSettings(path, NOW);
    expect(load.settings.servers).toHaveLength(1);
    expect(load.settings.preferences.theme).toBe('system');
    expect(load.problems[0]).toMatch(/^the preferences were reset to their defaults: theme: /);
  });

  it('reads a file without a version number as the first layout', () => {
    writeFileSync(path, JSON.stringify({ servers: [server('office')] }));
    const load = loadSettings(path, NOW);
    expect(load).toMatchObject({ problems: [], needsWrite: true });
    expect(load.settings.servers[0]?.name).toBe('office');
  });

  it('refuses a file from a newer Sesame and leaves it untouched', () => {
    writeFileSync(path, JSON.stringify({ version: 99, servers: [] }));
    expect(() => loadSettings(path, NOW)).toThrow(NewerSettingsError);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('refuses two servers with one name', () => {
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        servers: [
          server('office'),
          { ...server('Office'), id: '6f1c2b1e-0d4f-4a7b-9c3e-999999999999' },
        ],
      }),
    );
    const load = loadSettings(path, NOW);
    expect(load.settings.servers).toHaveLength(1);
    expect(load.problems[0]).toBe(
      'server 2 ("Office") was left out: another server has the same name or id',
    );
  });
});

describe('SettingsStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sesame-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the salvaged settings over a damaged file, keeping the original aside', () => {
    writeFileSync(join(dir, 'config.json'), 'not json');
    const store = SettingsStore.open(dir, { now: NOW });
    expect(store.load.problems).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({
      version: 1,
      servers: [],
    });
    expect(readFileSync(join(dir, KEPT), 'utf8')).toBe('not json');
  });

  it('validates every change and leaves file and memory alone when it is invalid', () => {
    const store = SettingsStore.open(dir);
    store.update((s) => ({ ...s, preferences: { ...s.preferences, theme: 'dark' } }));
    const before = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(() =>
      store.update((s) => ({ ...s, preferences: { ...s.preferences, ipCheckIntervalMinutes: 0 } })),
    ).toThrow(SettingsValueError);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before);
    expect(store.get().preferences).toMatchObject({ theme: 'dark', ipCheckIntervalMinutes: 5 });
  });

  it('tells listeners about each change and writes the file 0600', () => {
    const store = SettingsStore.open(dir);
    const seen: string[] = [];
    store.onChange((s) => seen.push(s.preferences.theme));
    store.update((s) => ({ ...s, preferences: { ...s.preferences, theme: 'light' } }));
    expect(seen).toEqual(['light']);
    expect(SettingsStore.open(dir).get().preferences.theme).toBe('light');
  });
});

describe('loading any file at all', () => {
  it('never throws but for a newer layout, and always yields settings that pass the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sesame-settings-fuzz-'));
    const path = join(dir, 'config.json');
    try {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            fc.json(),
            fc.record({
              version: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.string()),
              servers: fc.anything(),
              preferences: fc.anything(),
              memory: fc.anything(),
            }),
            fc.record({
              servers: fc.array(
                fc.record({
                  id: fc.uuid(),
                  name: fc.string(),
                  host: fc.string(),
                  method: fc.record({ kind: fc.constantFrom('knock', 'spa', 'x') }),
                }),
              ),
            }),
          ),
          (content) => {
            writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
            try {
              const load = loadSettings(path, NOW);
              expect(settingsSchema.safeParse(load.settings).success).toBe(true);
            } catch (error) {
              expect(error).toBeInstanceOf(NewerSettingsError);
            }
          },
        ),
        { numRuns: 300 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
