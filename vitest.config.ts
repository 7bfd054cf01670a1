import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The layers, one command: `npm test` runs them all.
//  - unit: pure logic and loopback-only tests; run anywhere, in parallel.
//  - integration: the core against real local things: a private gnome-keyring on its own D-Bus,
//    real settings folders, servers on 127.0.0.1, the public-IP resolver against HTTP, HTTPS
//    and DNS stand-ins on 127.0.0.1 and ::1; no root needed.
//  - peers: real knockd/fwknopd/iptables in network namespaces; need root; one file at a time,
//    because they share the machine's process table and take seconds each, and after the other
//    two layers (groupOrder), so that no CPU-heavy test (the export's scrypt, bundling) starves
//    the packets they time on a two-core machine.
//  - shell: the Electron main process (electron/) with the real core behind it and a recording
//    stand-in for the `electron` module, whose binary cannot run here; run anywhere.
//  - renderer: the window's components and forms in jsdom (Testing Library); run anywhere.
//  - ui: the built window in Debian's Chromium through the preview bridge, with the real core,
//    a real knockd and stand-in IP providers in network namespaces; root, one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/peers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: {
          alias: [
            {
              find: /^electron$/,
              replacement: fileURLToPath(
                new URL('./test/shell/electron-stand-in.ts', import.meta.url),
              ),
            },
          ],
        },
        test: {
          name: 'shell',
          include: ['test/shell/**/*.test.ts'],
          // electron-store imports `electron` itself: it must go through the alias too.
          server: { deps: { inline: ['electron-store'] } },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'peers',
          include: ['test/peers/**/*.test.ts'],
          globalSetup: ['test/peers/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
      {
        test: {
          name: 'ui',
          include: ['test/ui/**/*.test.ts'],
          globalSetup: ['test/ui/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
