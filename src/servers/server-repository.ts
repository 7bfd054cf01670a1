import { randomUUID } from 'node:crypto';
import { describeIssues } from '../lib/describe-issues.js';
import type { SecretStore } from '../store/secret-store.js';
import type { SettingsStore } from '../store/settings-store.js';
import { type ServerProfile, serverDraftSchema } from './server-profile.js';
import { type ServerSecret, serverSecretSchema } from './server-secret.js';
import { spaKeysOf } from './spa-secret-keys.js';

export class ServerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerInputError';
  }
}

export type SecretState = 'stored' | 'missing' | 'unavailable';

export interface SaveResult {
  readonly server: ServerProfile;
  /** Set when the server was saved but its secret could not be: says why and what to do. */
  readonly secretWarning?: string;
}

/** The keychain account of a server's secret. */
export const secretAccount = (id: string): string => `server:${id}`;

/**
 * Saved servers: profiles in the settings file, secrets in the keychain, kept together. A server
 * is always saved even when the keychain is unavailable; it is then marked "secret missing" and
 * the caller gets a warning to show, so nothing typed is lost without a word.
 */
export class ServerRepository {
  private readonly secretListeners = new Set<(serverId: string) => void>();

  constructor(
    private readonly settings: SettingsStore,
    private readonly secrets: SecretStore,
    private readonly newId: () => string = randomUUID,
  ) {}

  list(): readonly ServerProfile[] {
    return this.settings.get().servers;
  }

  get(id: string): ServerProfile | undefined {
    return this.list().find((server) => server.id === id);
  }

  /** By id, or by name without regard to case. */
  find(nameOrId: string): ServerProfile | undefined {
    const key = nameOrId.trim().toLowerCase();
    return this.get(nameOrId) ?? this.list().find((server) => server.name.toLowerCase() === key);
  }

  async add(draft: unknown, secret: unknown): Promise<SaveResult> {
    const profile = this.checkDraft(draft);
    const checkedSecret = checkSecret(profile, secret);
    this.checkNameFree(profile.name);
    const server: ServerProfile = { ...profile, id: this.newId() };
    // The secret first, so that whoever sees the new server in the settings finds it stored.
    const stored = await this.storeSecret(server, checkedSecret);
    try {
      this.settings.update((settings) => ({ ...settings, servers: [...settings.servers, server] }));
    } catch (error) {
      await this.secrets.delete(secretAccount(server.id)).catch(() => false);
      throw error;
    }
    return { server, ...stored };
  }

  /**
   * Adds several servers at once, all or nothing (an import): every draft and secret is checked
   * and every name must be free before anything is written; the secrets are stored first, and if
   * the keychain refuses one, those already stored are removed and nothing is saved.
   */
  async addMany(
    entries: readonly { draft: unknown; secret?: unknown }[],
  ): Promise<ServerProfile[]> {
    const checked = entries.map(({ draft, secret }) => {
      const profile = this.checkDraft(draft);
      try {
        return { profile, secret: checkSecret(profile, secret) };
      } catch (error) {
        throw new ServerInputError(`"${profile.name}": ${(error as Error).message}`);
      }
    });
    const names = new Set<string>();
    for (const { profile } of checked) {
      const key = profile.name.toLowerCase();
      if (names.has(key))
        throw new ServerInputError(`"${profile.name}" comes twice: pick another name`);
      names.add(key);
      this.checkNameFree(profile.name);
    }
    const servers = checked.map(({ profile }) => ({ ...profile, id: this.newId() }));
    const stored: string[] = [];
    const undo = async (): Promise<void> => {
      for (const account of stored) await this.secrets.delete(account).catch(() => false);
    };
    try {
      for (const [index, { secret }] of checked.entries()) {
        const server = servers[index];
        if (secret === undefined || server === undefined) continue;
        await this.secrets.set(secretAccount(server.id), JSON.stringify(secret));
        stored.push(secretAccount(server.id));
      }
      this.settings.update((settings) => {
        for (const server of servers) {
          const clash = settings.servers.find(
            (s) => s.name.toLowerCase() === server.name.toLowerCase(),
          );
          if (clash)
            throw new ServerInputError(
              `a server named "${clash.name}" already exists: pick another name`,
            );
        }
        return { ...settings, servers: [...settings.servers, ...servers] };
      });
    } catch (error) {
      await undo();
      throw error;
    }
    return servers;
  }

  /** Replaces a server's profile; its secret too when one is given, else it is kept. */
  async update(id: string, draft: unknown, secret?: unknown): Promise<SaveResult> {
    const existing = this.requireServer(id);
    const profile = this.checkDraft(draft);
    const checkedSecret = secret === undefined ? undefined : checkSecret(profile, secret);
    this.checkNameFree(profile.name, id);
    const server: ServerProfile = { ...profile, id };
    const sequenceListChanged =
      checkedSecret?.kind === 'knock' && checkedSecret.oneTimeSequences !== undefined;
    this.settings.update((settings) => ({
      ...settings,
      servers: settings.servers.map((s) => (s.id === id ? server : s)),
      // A new list of one-time sequences starts from its first line.
      memory: sequenceListChanged ? withoutKey(settings.memory, id) : settings.memory,
    }));
    if (existing.method.kind !== server.method.kind && checkedSecret === undefined) {
      return {
        server,
        secretWarning:
          'the method changed: enter the new sequence or keys, the old ones do not apply',
      };
    }
    return checkedSecret === undefined
      ? { server }
      : { server, ...(await this.storeSecret(server, checkedSecret)) };
  }

  /** Removes a server and its secret. Resolves with a warning if the secret could not be removed. */
  async remove(id: string): Promise<{ removed: ServerProfile; secretWarning?: string }> {
    const removed = this.requireServer(id);
    this.settings.update((settings) => ({
      ...settings,
      servers: settings.servers.filter((s) => s.id !== id),
      memory: withoutKey(settings.memory, id),
    }));
    try {
      await this.secrets.delete(secretAccount(id));
      return { removed };
    } catch (error) {
      return {
        removed,
        secretWarning: `the server was removed, but its secret could not be removed from the keychain (${(error as Error).message}); remove the entry "${secretAccount(id)}" of service "Sesame" by hand`,
      };
    }
  }

  /** The server's secret, or undefined when none is stored. Throws when the keychain is unavailable. */
  async secretOf(server: ServerProfile): Promise<ServerSecret | undefined> {
    const stored = await this.secrets.get(secretAccount(server.id));
    if (stored === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored);
    } catch {
      return undefined;
    }
    const secret = serverSecretSchema.safeParse(parsed);
    return secret.success && secret.data.kind === server.method.kind ? secret.data : undefined;
  }

  /** Whether each server has a secret, asked of the keychain at once (start-up with many servers). */
  async secretStates(servers: readonly ServerProfile[]): Promise<Map<string, SecretState>> {
    let stored: Set<string>;
    try {
      stored = await this.secrets.accounts();
    } catch {
      return new Map(servers.map((server) => [server.id, 'unavailable']));
    }
    return new Map(
      servers.map((server) => [
        server.id,
        stored.has(secretAccount(server.id)) ? 'stored' : 'missing',
      ]),
    );
  }

  async secretState(server: ServerProfile): Promise<SecretState> {
    try {
      return (await this.secretOf(server)) === undefined ? 'missing' : 'stored';
    } catch {
      return 'unavailable';
    }
  }

  requireServer(nameOrId: string): ServerProfile {
    const server = this.find(nameOrId);
    if (!server)
      throw new ServerInputError(
        `no saved server is called "${nameOrId}" (sesame servers list shows them)`,
      );
    return server;
  }

  private checkDraft(draft: unknown) {
    const parsed = serverDraftSchema.safeParse(draft);
    if (!parsed.success) throw new ServerInputError(describeIssues(parsed.error));
    return parsed.data;
  }

  private checkNameFree(name: string, exceptId?: string): void {
    const clash = this.list().find(
      (s) => s.name.toLowerCase() === name.toLowerCase() && s.id !== exceptId,
    );
    if (clash)
      throw new ServerInputError(
        `a server named "${clash.name}" already exists: pick another name`,
      );
  }

  /** Called with a server's id after its secret was stored or replaced. */
  onSecretStored(listener: (serverId: string) => void): () => void {
    this.secretListeners.add(listener);
    return () => this.secretListeners.delete(listener);
  }

  private async storeSecret(
    server: ServerProfile,
    secret: ServerSecret | undefined,
  ): Promise<{ secretWarning?: string }> {
    if (secret === undefined) return {};
    try {
      await this.secrets.set(secretAccount(server.id), JSON.stringify(secret));
      for (const listener of this.secretListeners) listener(server.id);
      return {};
    } catch (error) {
      return {
        secretWarning: `"${server.name}" was saved without its secret: ${(error as Error).message}. Enter the sequence or keys again once the keychain works (sesame servers edit "${server.name}")`,
      };
    }
  }
}

/** Checks a secret against the server's method. `undefined` is allowed: a server can be saved first. */
export function checkSecret(
  profile: { method: ServerProfile['method'] },
  secret: unknown,
): ServerSecret | undefined {
  if (secret === undefined) return undefined;
  const parsed = serverSecretSchema.safeParse(secret);
  if (!parsed.success) throw new ServerInputError(describeIssues(parsed.error));
  const value = parsed.data;
  if (value.kind !== profile.method.kind) {
    throw new ServerInputError(
      `the secret is for the "${String(value.kind)}" method but the server uses "${String(profile.method.kind)}"`,
    );
  }
  if (value.kind === 'knock' && profile.method.kind === 'knock') {
    if (profile.method.oneTime && value.oneTimeSequences === undefined) {
      throw new ServerInputError('this door uses one-time sequences: give the list of sequences');
    }
    if (!profile.method.oneTime && value.sequence === undefined) {
      throw new ServerInputError('give the knock sequence, for example 7000,8000:udp,9000');
    }
  }
  if (value.kind === 'spa' && profile.method.kind === 'spa') {
    try {
      spaKeysOf(value, profile.method);
    } catch (error) {
      throw new ServerInputError((error as Error).message);
    }
  }
  return value;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
