// Bundles the `sesame` command into one file, so it starts fast and `npx sesame` works in the repo.
// CommonJS on purpose: Node 20 loads a CommonJS file about 9 ms faster than the same code as ESM,
// and a command people run in scripts should start as fast as Node allows.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/sesame.ts'],
  outfile: 'out/cli/sesame.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  define: { __SESAME_VERSION__: JSON.stringify(version) },
  // Native addons and packages that load files at run time stay outside the bundle.
  packages: 'external',
  logLevel: 'warning',
});

// The bin must be executable for `npx sesame` and for a global install.
chmodSync('out/cli/sesame.cjs', 0o755);
