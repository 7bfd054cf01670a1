import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';

const SEARCH_PATH = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];

export function hasProgram(name: string): boolean {
  return SEARCH_PATH.some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** What keeps the peer tests from running here, in words; empty when they can run. */
export function missingForPeers(programs: readonly string[]): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces and firewall rules)');
  const absent = programs.filter((name) => !hasProgram(name));
  if (absent.length > 0) missing.push(`programs ${absent.join(', ')} (bash .ci/run installs them)`);
  return missing;
}

/**
 * A describe block for tests against real peers. Where they cannot run (no root, a program
 * missing) they are skipped with the reason, except under CI, where that is a failure: a CI run
 * that silently skipped them would prove nothing.
 */
export function describePeers(name: string, programs: readonly string[], body: () => void): void {
  const missing = missingForPeers(programs);
  if (missing.length > 0 && process.env.CI) {
    throw new Error(`${name}: the peer tests cannot run in CI without ${missing.join('; ')}`);
  }
  if (missing.length > 0) console.warn(`skipping "${name}": needs ${missing.join('; ')}`);
  describe.skipIf(missing.length > 0)(name, body);
}

/**
 * Like describePeers, for tests that need programs but not root (the keychain tests need a
 * D-Bus daemon and gnome-keyring): skipped with the reason locally, a failure under CI.
 */
export function describeWithPrograms(
  name: string,
  programs: readonly string[],
  body: () => void,
): void {
  const absent = programs.filter((program) => !hasProgram(program));
  const missing =
    absent.length > 0 ? [`programs ${absent.join(', ')} (bash .ci/run installs them)`] : [];
  if (missing.length > 0 && process.env.CI)
    throw new Error(`${name}: cannot run in CI without ${missing.join('; ')}`);
  if (missing.length > 0) console.warn(`skipping "${name}": needs ${missing.join('; ')}`);
  describe.skipIf(missing.length > 0)(name, body);
}
