import { execFileSync } from 'node:child_process';
import { removeStaleNamespaces } from './harness/netns.js';

/**
 * Before the peer tests: build the `sesame` command they run as a real process, and remove
 * namespaces that an earlier, killed run left behind. After them: the same sweep, which now finds
 * this run's own namespaces if a worker died before its cleanup.
 */
export async function setup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  if (process.getuid?.() === 0) await removeStaleNamespaces();
  return async () => {
    if (process.getuid?.() === 0) await removeStaleNamespaces();
  };
}
