// Bundles the `sesame` command into one file, so it starts fast and `npx sesame` works in the repo.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/sesame.ts'],
  outfile: 'out/cli/sesame.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: '#!/usr/bin/env node' },
  define: { __SESAME_VERSION__: JSON.stringify(version) },
  // Native addons and packages that load files at run time stay outside the bundle.
  packages: 'external',
  logLevel: 'warning',
});
