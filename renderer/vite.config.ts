import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
  version: string;
};

// The window: one build for Electron (loadFile, so relative asset paths) and for the preview
// bridge (served from out/renderer on 127.0.0.1). No inline script or style anywhere, so the
// page runs under `script-src 'self'; style-src 'self'`.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  define: { __SESAME_VERSION__: JSON.stringify(pkg.version) },
  build: {
    outDir: join(import.meta.dirname, '..', 'out', 'renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
