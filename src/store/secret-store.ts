import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';

/** Where secrets live: the OS keychain in Sesame; nothing else implements it outside tests. */
export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** Resolves true when there was something to delete. */
  delete(account: string): Promise<boolean>;
  /** Every account that has a secret: one question to the keychain instead of one per server. */
  accounts(): Promise<Set<string>>;
}

export class KeychainUnavailableError extends Error {
  constructor(platform: NodeJS.Platform = process.platform) {
    super(`no keychain is available: ${howToFix(platform)}`);
    this.name = 'KeychainUnavailableError';
  }
}

function howToFix(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Sesame keeps sequences and keys in the macOS Keychain; unlock your login keychain (Keychain Access) and try again';
    case 'win32':
      return 'Sesame keeps sequences and keys in the Windows Credential Manager; check that it runs for your account and try again';
    default:
      return (
        'Sesame keeps sequences and keys only in the desktop keyring (Secret Service). ' +
        'Install and unlock one (GNOME Keyring or KWallet) in your session, then try again'
      );
  }
}

/**
 * Every keychain question of this process, one after another. gnome-keyring-daemon (42.1 in
 * Debian 12) aborts on a GLib assertion when one client sends it many questions at once: in the
 * tests twenty in parallel took it down, and a "Knock all" reads every server's secret. On a
 * desktop that would end the person's keyring for the session (it comes back locked). One at a
 * time costs little: a question takes about 10 ms here, and a start-up asks once for every
 * server's state.
 */
let keychainQueue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(operation: () => Promise<T>): Promise<T> {
  const result = keychainQueue.then(operation, operation);
  keychainQueue = result.catch(() => undefined);
  return result;
}

/**
 * The OS keychain (Keychain, Credential Manager, Secret Service) through @napi-rs/keyring.
 * Every entry is under the service "Sesame", one account per server.
 */
export class OsKeychain implements SecretStore {
  constructor(private readonly service = 'Sesame') {}

  async get(account: string): Promise<string | undefined> {
    const value = await this.call(() => new AsyncEntry(this.service, account).getPassword());
    if (value !== null) return value;
    // The library answers "nothing stored" also when there is no keychain at all; listing the
    // service's entries tells the two apart (it fails without a keychain).
    await this.call(() => findCredentialsAsync(this.service));
    return undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    await this.call(() => new AsyncEntry(this.service, account).setPassword(secret));
  }

  async delete(account: string): Promise<boolean> {
    return this.call(() => new AsyncEntry(this.service, account).deletePassword());
  }

  async accounts(): Promise<Set<string>> {
    // The listing carries the secrets too; only the account names are kept.
    const credentials = await this.call(() => findCredentialsAsync(this.service));
    return new Set(credentials.map((credential) => credential.account));
  }

  /** Turns the library's errors into one that says what to do, without any secret in it. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await oneAtATime(operation);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (
        /platform storage|NoStorageAccess|PlatformFailure|no such interface|ServiceUnknown|d?bus error|failed to connect/i.test(
          message,
        )
      ) {
        throw new KeychainUnavailableError();
      }
      throw new Error(`the keychain refused: ${message.split('\n')[0] ?? 'unknown error'}`);
    }
  }
}
