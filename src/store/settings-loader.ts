import { copyFileSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues } from '../lib/describe-issues.js';
import { serverProfileSchema } from '../servers/server-profile.js';
import { migrate } from './migrations.js';
import {
  preferencesSchema,
  serverMemorySchema,
  type Settings,
  settingsSchema,
  emptySettings,
} from './settings-schema.js';

export interface SettingsLoad {
  readonly settings: Settings;
  /** What was wrong with the file, in words a person can act on. Empty when all was well. */
  readonly problems: readonly string[];
  /** Where the damaged file was kept, when it was. */
  readonly keptAs?: string;
  /** True when `settings` differs from the file and must be written back. */
  readonly needsWrite: boolean;
}

/**
 * Reads the settings file and makes the best of it. A file that does not parse, or parts of it
 * that fail the schema, are never silently dropped: the original is copied aside as
 * `config.json.corrupt-<time>`, the problems are reported, and Sesame starts with everything
 * that was still good (every valid server, the preferences if valid).
 */
export function loadSettings(path: string, now: Date): SettingsLoad {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { settings: emptySettings(), problems: [], needsWrite: false };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const keptAs = keepAside(path, now);
    return {
      settings: emptySettings(),
      problems: [
        `the settings file is not valid JSON (${(error as Error).message}); it was kept as ${keptAs}`,
      ],
      keptAs,
      needsWrite: true,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const keptAs = keepAside(path, now);
    return {
      settings: emptySettings(),
      problems: [
        `the settings file does not hold settings (a JSON object); it was kept as ${keptAs}`,
      ],
      keptAs,
      needsWrite: true,
    };
  }
  const migrated = migrate(parsed as Record<string, unknown>);
  const whole = settingsSchema.safeParse(migrated.data);
  if (whole.success)
    return { settings: whole.data, problems: [], needsWrite: migrated.migratedFrom !== undefined };
  return salvage(path, now, migrated.data);
}

/** Keeps every part that is valid on its own; reports each part that is not. */
function salvage(path: string, now: Date, data: Record<string, unknown>): SettingsLoad {
  const problems: string[] = [];
  const settings = emptySettings();
  const servers = Array.isArray(data.servers) ? (data.servers as unknown[]) : [];
  if (data.servers !== undefined && !Array.isArray(data.servers))
    problems.push('"servers" is not a list; no server could be read');
  const names = new Set<string>();
  servers.forEach((raw, index) => {
    const label = serverLabel(raw, index);
    const server = serverProfileSchema.safeParse(raw);
    if (!server.success) {
      problems.push(`${label} was left out: ${describeIssues(server.error)}`);
    } else if (
      names.has(server.data.name.toLowerCase()) ||
      settings.servers.some((s) => s.id === server.data.id)
    ) {
      problems.push(`${label} was left out: another server has the same name or id`);
    } else {
      names.add(server.data.name.toLowerCase());
      settings.servers.push(server.data);
    }
  });
  const preferences = preferencesSchema.safeParse(data.preferences ?? {});
  if (preferences.success) settings.preferences = preferences.data;
  else
    problems.push(
      `the preferences were reset to their defaults: ${describeIssues(preferences.error)}`,
    );
  const memory = z.record(z.string(), z.unknown()).safeParse(data.memory ?? {});
  for (const [id, entry] of Object.entries(memory.success ? memory.data : {})) {
    const parsed = serverMemorySchema.safeParse(entry);
    if (parsed.success) settings.memory[id] = parsed.data;
    else problems.push(`what Sesame remembered about server ${id} was reset`);
  }
  const keptAs = keepAside(path, now);
  problems.push(`the original file was kept as ${keptAs}`);
  return { settings, problems, keptAs, needsWrite: true };
}

function serverLabel(raw: unknown, index: number): string {
  const name = (raw as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() !== ''
    ? `server ${index + 1} ("${name.slice(0, 64)}")`
    : `server ${index + 1}`;
}

/** Copies the damaged file aside; the copy is never overwritten (the time is in its name). */
function keepAside(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}`;
  copyFileSync(path, target);
  return target;
}
