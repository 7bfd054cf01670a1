// Builds the tray app's code into out/ (run: npm run build:electron; npm run build adds the
// command and the window's page):
//   out/main/main.cjs        the main process, electron/main.ts with the core, one CommonJS file
//   out/preload/preload.cjs  the preload bridge, self-contained: a sandboxed preload may load
//                            nothing but `electron`
//   out/tray/                the tray icons, from build/tray
// With --renderer it first builds the window's page (npm run build:renderer, renderer/ → out/
// renderer/) when the project has it, and checks the page's Content Security Policy.
import { type Metafile, build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Kept out of the bundle: Electron itself, and native addons (loaded from node_modules). */
export const MAIN_EXTERNALS = ['electron', '@napi-rs/keyring', 'net-ping'];

/** What each bundle imports from outside itself, for the tests. */
export type OutsideImports = { main: string[]; preload: string[] };

export async function buildShell(outDir = join(ROOT, 'out')): Promise<OutsideImports> {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  for (const part of ['main', 'preload', 'tray']) {
    rmSync(join(outDir, part), { recursive: true, force: true });
  }
  const main = await build({
    entryPoints: [join(ROOT, 'electron/main.ts')],
    outfile: join(outDir, 'main/main.cjs'),
    bundle: true,
    platform: 'node',
    // The Node inside Electron 39.
    target: 'node22',
    format: 'cjs',
    external: MAIN_EXTERNALS,
    define: {
      __SESAME_VERSION__: JSON.stringify(version),
      // The core is ES modules; in one CommonJS file import.meta.url is this file's URL.
      'import.meta.url': '__sesameImportMetaUrl',
    },
    banner: {
      js: "const __sesameImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    },
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  const preload = await build({
    entryPoints: [join(ROOT, 'electron/preload.ts')],
    outfile: join(outDir, 'preload/preload.cjs'),
    bundle: true,
    platform: 'browser',
    target: 'chrome142',
    format: 'cjs',
    external: ['electron'],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  cpSync(join(ROOT, 'build/tray'), join(outDir, 'tray'), { recursive: true });
  const outside = (meta: Metafile): string[] => [
    ...new Set(
      Object.values(meta.outputs).flatMap((output) =>
        output.imports.filter((i) => i.external).map((i) => i.path),
      ),
    ),
  ];
  return { main: outside(main.metafile), preload: outside(preload.metafile) };
}

/**
 * The window's page must carry Sesame's Content Security Policy in a meta tag: the header the
 * main process sets may not reach a file:// page. Returns what is wrong, or undefined.
 */
export function checkPagePolicy(html: string): string | undefined {
  const meta =
    /<meta\s(?:[^>"']|"[^"]*"|'[^']*')*http-equiv=["']Content-Security-Policy["'](?:[^>"']|"[^"]*"|'[^']*')*>/i.exec(
      html,
    )?.[0];
  const policy = meta && /content=(["'])(.*?)\1/is.exec(meta)?.[2];
  if (policy === undefined) {
    return 'it has no <meta http-equiv="Content-Security-Policy"> (see CONTENT_SECURITY_POLICY in electron/window.ts)';
  }
  const directives = new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = '', ...values]) => [name.toLowerCase(), values]),
  );
  const wanted: [string, string][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
  ];
  for (const [name, value] of wanted) {
    const values = directives.get(name);
    if (values?.length !== 1 || values[0] !== value) return `its policy needs "${name} ${value}"`;
  }
  if ([...directives.values()].flat().some((v) => /unsafe-(inline|eval)|^\*$|^https?:$/i.test(v))) {
    return 'its policy allows inline code, eval or any origin';
  }
  return undefined;
}

function buildRenderer(): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  if (pkg.scripts?.['build:renderer'] === undefined) {
    console.warn(
      "build: renderer/ is not in this checkout yet, so the window's page (out/renderer/) was not built; the tray app starts, its window stays empty.",
    );
    return;
  }
  // npm runs this script, so npm_execpath names npm's own CLI: no shell needed on any system.
  const npm = process.env.npm_execpath;
  const result =
    npm === undefined
      ? spawnSync('npm', ['run', 'build:renderer'], { stdio: 'inherit', cwd: ROOT })
      : spawnSync(process.execPath, [npm, 'run', 'build:renderer'], {
          stdio: 'inherit',
          cwd: ROOT,
        });
  if (result.status !== 0) throw new Error('npm run build:renderer failed');
  const page = join(ROOT, 'out/renderer/index.html');
  if (!existsSync(page)) throw new Error('npm run build:renderer made no out/renderer/index.html');
  const problem = checkPagePolicy(readFileSync(page, 'utf8'));
  if (problem !== undefined) throw new Error(`out/renderer/index.html: ${problem}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--renderer')) buildRenderer();
  await buildShell();
  console.log('built out/main, out/preload and out/tray');
}
