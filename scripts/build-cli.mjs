// Builds the `sesame` command into out/cli/, so it starts fast and `npx sesame` works in the repo.
// One bundle split per command: `sesame knock host ports` loads a few kilobytes, while the
// settings, keychain and schema code (and conf's dependencies) load only for the commands that
// use them. Only native addons stay outside the bundle.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('out/cli', { recursive: true, force: true });
await build({
  entryPoints: { sesame: 'src/cli/sesame.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: {
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    js: "import { createRequire as __sesameRequire } from 'node:module';\nconst require = __sesameRequire(import.meta.url);",
  },
  define: { __SESAME_VERSION__: JSON.stringify(version) },
  external: ['@napi-rs/keyring', 'net-ping'],
  // Smaller files parse faster, and every command parses its chunks at start.
  minify: true,
  logLevel: 'warning',
});

// The entry gets the shebang; it must be executable for `npx sesame` and a global install.
const entry = 'out/cli/sesame.mjs';
writeFileSync(entry, `#!/usr/bin/env node\n${readFileSync(entry, 'utf8')}`);
chmodSync(entry, 0o755);
