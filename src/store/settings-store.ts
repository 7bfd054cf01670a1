import Conf from 'conf';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { describeIssues } from '../lib/describe-issues.js';
import { type SettingsLoad, loadSettings } from './settings-loader.js';
import { SETTINGS_FILE_NAME } from './settings-dir.js';
import { type Settings, settingsSchema } from './settings-schema.js';

/** The part of conf (and of electron-store, which extends it) that Sesame uses. */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
  onDidAnyChange(callback: () => void): () => void;
}

export interface ConfOptions {
  readonly cwd: string;
  readonly configName: string;
  readonly configFileMode: number;
  readonly clearInvalidConfig: false;
  readonly accessPropertiesByDotNotation: false;
  readonly watch: boolean;
}

/** The options both conf (the CLI) and electron-store (the tray app) open the one file with. */
export function confOptions(dir: string, watch = false): ConfOptions {
  return {
    cwd: dir,
    configName: SETTINGS_FILE_NAME,
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    watch,
  };
}

/** A write killed half-way (power loss, kill -9) leaves its temporary file; the settings file is intact. */
const STALE_TEMPORARY_MS = 60_000;

function removeStaleTemporaryFiles(dir: string, now: Date): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`${SETTINGS_FILE_NAME}.json.tmp`) && !/^\..*\.tmp$/.test(name)) continue;
    const path = join(dir, name);
    try {
      // Younger ones may belong to a write of another Sesame process happening right now.
      if (now.getTime() - statSync(path).mtimeMs > STALE_TEMPORARY_MS)
        rmSync(path, { force: true });
    } catch {
      // Gone already.
    }
  }
}

export class SettingsWriteError extends Error {
  constructor(path: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOSPC'
        ? 'the disk is full; free some space'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'the folder cannot be written to; check its permissions'
          : `${(cause as Error).message}`;
    super(
      `could not save the settings to ${path}: ${why}. Your change was not saved; the file is as it was.`,
      { cause },
    );
    this.name = 'SettingsWriteError';
  }
}

export class SettingsValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsValueError';
  }
}

/**
 * Sesame's settings: one JSON file, read and written through conf (atomic writes), checked
 * against the schema on the way in and on the way out. Changes go through `update`, which
 * either writes the whole new state or leaves file and memory as they were.
 */
export class SettingsStore {
  private current: Settings;
  private writing = false;
  private readonly listeners = new Set<(settings: Settings) => void>();

  private constructor(
    private readonly conf: ConfLike,
    readonly load: SettingsLoad,
  ) {
    this.current = load.settings;
    conf.onDidAnyChange(() => this.reloadFromDisk());
  }

  /**
   * Opens the settings in `dir`. `createConf` makes the underlying store: conf in plain Node,
   * electron-store in the tray app; both get the same options and so the same file.
   */
  static open(
    dir: string,
    options: { now?: Date; watch?: boolean; createConf?: (options: ConfOptions) => ConfLike } = {},
  ): SettingsStore {
    const path = join(dir, `${SETTINGS_FILE_NAME}.json`);
    const now = options.now ?? new Date();
    removeStaleTemporaryFiles(dir, now);
    const load = loadSettings(path, now);
    // conf refuses to open a file that does not parse, so what was salvaged is written first.
    if (load.needsWrite) {
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(path, JSON.stringify(load.settings, undefined, '\t'));
    }
    const createConf =
      options.createConf ??
      ((confOpts: ConfOptions) => new Conf<Record<string, unknown>>(confOpts));
    return new SettingsStore(createConf(confOptions(dir, options.watch ?? false)), load);
  }

  get path(): string {
    return this.conf.path;
  }

  get(): Settings {
    return this.current;
  }

  /** Applies a change; validates the result; writes it atomically. Throws and changes nothing on failure. */
  update(change: (settings: Settings) => Settings): Settings {
    const next = settingsSchema.safeParse(change(structuredClone(this.current)));
    if (!next.success) throw new SettingsValueError(describeIssues(next.error));
    this.write(next.data);
    return next.data;
  }

  /** Called with the new settings after every change, ours or another process's. */
  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(settings: Settings): void {
    this.writing = true;
    try {
      this.conf.store = settings;
    } catch (error) {
      throw new SettingsWriteError(this.conf.path, error);
    } finally {
      this.writing = false;
    }
    this.current = settings;
    this.emit();
  }

  /** Another process (the `sesame` command, the tray app) changed the file. */
  private reloadFromDisk(): void {
    if (this.writing) return; // Our own write: `write` updates memory itself.
    let parsed;
    try {
      parsed = settingsSchema.safeParse(this.conf.store);
    } catch {
      return; // Unreadable mid-change; the next change event brings the finished file.
    }
    if (!parsed.success || JSON.stringify(parsed.data) === JSON.stringify(this.current)) return;
    this.current = parsed.data;
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.current);
  }
}
