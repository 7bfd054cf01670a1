import type { SecretStore } from '../../src/store/secret-store.js';

/** Secrets in memory, for tests and benchmarks that are not about the keychain itself. */
export class MemorySecrets implements SecretStore {
  readonly entries = new Map<string, string>();

  get(account: string): Promise<string | undefined> {
    return Promise.resolve(this.entries.get(account));
  }

  set(account: string, secret: string): Promise<void> {
    this.entries.set(account, secret);
    return Promise.resolve();
  }

  delete(account: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(account));
  }

  accounts(): Promise<Set<string>> {
    return Promise.resolve(new Set(this.entries.keys()));
  }
}
