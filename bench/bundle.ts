// What Sesame ships, in bytes: the window's page (the aim: under 150 kB of gzipped JavaScript),
// the tray app's main and preload bundles, and the `sesame` command. Reads the production build
// in out/ (`npm run build` makes it), so run that first.
//
//   npm run bench:bundle
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const OUT = join(import.meta.dirname, '..', 'out');
/** The window's gzipped JavaScript must stay under this (what a slow disk or VM loads at once). */
export const PAGE_JS_AIM_BYTES = 150_000;

interface Part {
  readonly what: string;
  readonly dir: string;
  readonly pattern: RegExp;
  /** The most gzipped bytes this part should have. */
  readonly aimBytes?: number;
}

const PARTS: readonly Part[] = [
  { what: 'window: JavaScript', dir: 'renderer', pattern: /\.js$/, aimBytes: PAGE_JS_AIM_BYTES },
  { what: 'window: CSS', dir: 'renderer', pattern: /\.css$/ },
  { what: 'tray app: main process', dir: 'main', pattern: /\.c?js$/ },
  { what: 'tray app: preload', dir: 'preload', pattern: /\.c?js$/ },
  { what: '`sesame` command (every chunk)', dir: 'cli', pattern: /\.mjs$/ },
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

export function benchBundle(): Promise<string> {
  const rows = PARTS.map(({ what, dir, pattern, aimBytes }) => {
    const files = filesUnder(join(OUT, dir)).filter((path) => pattern.test(path));
    if (files.length === 0)
      throw new Error(`nothing in ${relative(process.cwd(), join(OUT, dir))}: run npm run build`);
    let size = 0;
    let gzipped = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      size += bytes.length;
      gzipped += gzipSync(bytes, { level: 9 }).length;
    }
    const aim = aimBytes === undefined ? '' : ` (aim < ${kB(aimBytes)})`;
    return `| ${what} | ${files.length} | ${kB(size)} | ${kB(gzipped)}${aim} |`;
  });
  return Promise.resolve(
    ['| part | files | size | gzipped |', '| --- | --- | --- | --- |', ...rows].join('\n'),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchBundle());
}
