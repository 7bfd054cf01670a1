import { execFileSync } from 'node:child_process';
import { setup as peersSetup } from '../peers/global-setup.js';

/**
 * Before the window's tests in Chromium: build the window as the tray app ships it (the preview
 * serves out/renderer), then what the peer tests need (the CLI, no stale namespaces).
 */
export async function setup(): Promise<() => Promise<void>> {
  execFileSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      stdio: 'inherit',
      // Vitest runs with NODE_ENV=test, which would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  return peersSetup();
}
