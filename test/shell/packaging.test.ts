import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/window.js';
import {
  buildShell,
  checkPagePolicy,
  MAIN_EXTERNALS,
  type OutsideImports,
} from '../../scripts/build-electron.js';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  extraMetadata?: { main?: string };
  afterPack?: string;
  mac?: Record<string, unknown>;
  win?: Record<string, unknown>;
  linux?: Record<string, unknown>;
  [key: string]: unknown;
}

// electron-builder's own loading and checking of its configuration, as `npm run dist` does it.
const { getConfig, validateConfiguration } =
  require('app-builder-lib/out/util/config/config.js') as {
    getConfig: (
      projectDir: string,
      configPath: string | null,
      fromOptions: unknown,
    ) => Promise<BuilderConfig>;
    validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
  };
const { DebugLogger } = require('builder-util') as {
  DebugLogger: new (enabled: boolean) => unknown;
};
const validate = (config: unknown) => validateConfiguration(config, new DebugLogger(false));

describe('electron-builder.yml', () => {
  let config: BuilderConfig;
  beforeAll(async () => {
    config = await getConfig(ROOT, 'electron-builder.yml', null);
  });

  it('passes electron-builder’s configuration schema', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('fails it with a misspelt or misplaced option', async () => {
    await expect(
      validate({ ...config, mac: { ...config.mac, hardenedRuntim: true } }),
    ).rejects.toThrow(/configuration\.mac/);
    await expect(validate({ ...config, nsis: { title: 'x' } })).rejects.toThrow(/nsis/);
    await expect(validate({ ...config, productNmae: 'Sesame' })).rejects.toThrow(/productNmae/);
  });

  it('names Sesame, the targets, the agent-app key and files that exist', () => {
    expect(config).toMatchObject({
      appId: 'org.sesame.app',
      productName: 'Sesame',
      extraMetadata: { main: 'out/main/main.cjs' },
      mac: {
        target: ['dmg', 'zip'],
        hardenedRuntime: true,
        extendInfo: { LSUIElement: true },
      },
      win: { target: ['nsis', 'portable'] },
      linux: { target: ['AppImage', 'deb'], desktop: { entry: { Name: 'Sesame' } } },
    });
    const files = [
      config.afterPack,
      config.mac?.icon,
      config.mac?.entitlements,
      config.mac?.entitlementsInherit,
      config.win?.icon,
      config.linux?.icon,
    ];
    for (const file of files) {
      expect(typeof file).toBe('string');
      expect(existsSync(join(ROOT, file as string)), `${String(file)}`).toBe(true);
    }
  });
});

describe('the fuses flipped after packing', () => {
  const hook = require('../../build/after-pack.cjs') as {
    fuseConfig(platform: string): Record<string, unknown>;
    fusedBinary(context: unknown): string;
  };
  const { FuseV1Options } = require('@electron/fuses') as { FuseV1Options: Record<string, number> };
  const fuse = (name: string) => String(FuseV1Options[name]);

  it.each(['darwin', 'win32', 'linux'])(
    '%s: no RunAsNode, no NODE_OPTIONS, only the checked ASAR',
    (platform) => {
      const config = hook.fuseConfig(platform);
      expect(config[fuse('RunAsNode')]).toBe(false);
      expect(config[fuse('EnableNodeOptionsEnvironmentVariable')]).toBe(false);
      expect(config[fuse('EnableNodeCliInspectArguments')]).toBe(false);
      expect(config[fuse('EnableCookieEncryption')]).toBe(true);
      expect(config[fuse('OnlyLoadAppFromAsar')]).toBe(true);
      // Electron checks ASAR integrity on macOS and Windows only.
      expect(config[fuse('EnableEmbeddedAsarIntegrityValidation')]).toBe(platform !== 'linux');
      expect(config.resetAdHocDarwinSignature).toBe(platform === 'darwin');
    },
  );

  it('finds the binary on every platform', () => {
    const packager = { appInfo: { productFilename: 'Sesame' }, executableName: 'sesame' };
    const at = (electronPlatformName: string) =>
      hook.fusedBinary({ appOutDir: '/dist/x', electronPlatformName, packager });
    expect(at('darwin')).toBe(join('/dist/x', 'Sesame.app'));
    expect(at('win32')).toBe(join('/dist/x', 'Sesame.exe'));
    expect(at('linux')).toBe(join('/dist/x', 'sesame'));
  });
});

describe('the production build of main and preload', () => {
  const out = mkdtempSync(join(tmpdir(), 'sesame-build-'));
  let outside: OutsideImports;
  beforeAll(async () => {
    outside = await buildShell(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('makes one CommonJS main that loads only Node, Electron and the native addons', () => {
    const main = readFileSync(join(out, 'main', 'main.cjs'), 'utf8');
    // It parses (wrapped in a function that is never called: it needs Electron to run).
    expect(() => void runInNewContext(`(function(){${main}\n})`)).not.toThrow();
    const allowed = new Set([
      ...builtinModules,
      ...builtinModules.map((m) => `node:${m}`),
      ...MAIN_EXTERNALS,
    ]);
    expect(outside.main.filter((path) => !allowed.has(path))).toEqual([]);
    expect(outside.main).toContain('electron');
    expect(main).not.toContain('import.meta');
  });

  it('makes a preload that needs nothing but electron and exposes window.sesame', () => {
    expect(outside.preload).toEqual(['electron']);
    const exposed = new Map<string, unknown>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: () => Promise.resolve(),
        on: () => undefined,
        removeListener: () => undefined,
      },
    };
    const code = readFileSync(join(out, 'preload', 'preload.cjs'), 'utf8');
    const module = { exports: {} };
    runInNewContext(code, {
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot load ${name}`);
        return electron;
      },
      module,
      exports: module.exports,
    });
    expect([...exposed.keys()]).toEqual(['sesame']);
    expect(Object.keys(exposed.get('sesame') as object).sort()).toEqual(['invoke', 'on']);
  });

  it('copies the tray icons beside them', () => {
    expect(existsSync(join(out, 'tray', 'tray-openTemplate@2x.png'))).toBe(true);
    expect(existsSync(join(out, 'tray', 'tray-problem.ico'))).toBe(true);
  });
});

describe('the page’s Content Security Policy', () => {
  const page = (policy: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${policy}"></head></html>`;

  it('is accepted when it is Sesame’s', () => {
    expect(checkPagePolicy(page(CONTENT_SECURITY_POLICY))).toBeUndefined();
  });

  it.each([
    ['no meta', '<html><head></head></html>', /no <meta/],
    ['an open default', page("default-src 'self'; script-src 'self'"), /default-src 'none'/],
    [
      'inline scripts',
      page("default-src 'none'; script-src 'self' 'unsafe-inline'"),
      /script-src 'self'/,
    ],
    [
      'eval in styles',
      page("default-src 'none'; script-src 'self'; style-src 'unsafe-eval'"),
      /eval/,
    ],
    ['any origin', page("default-src 'none'; script-src 'self'; img-src *"), /any origin/],
  ])('is refused with %s', (_, html, why) => {
    expect(checkPagePolicy(html)).toMatch(why);
  });
});
