import { z } from 'zod';
import { describeIssues } from '../lib/describe-issues.js';
import type { ServerProfile } from '../servers/server-profile.js';
import { type ServerSecret, serverSecretSchema } from '../servers/server-secret.js';
import { open, type Sealed, sealedSchema, seal } from './export-crypto.js';

/**
 * Sesame's own export: a versioned JSON file with saved servers, their secrets only when the
 * person asks, and then encrypted with a passphrase (export-crypto.ts).
 *
 *   { "format": "sesame-export", "version": 1, "servers": [profile without id, ...],
 *     "secrets": { kdf, cipher, check, data } }          (secrets only with --with-secrets)
 *
 * The sealed data is the JSON array of each server's secret (null where none is stored), in the
 * order of `servers`. Its additional data is the canonical JSON (keys sorted) of everything else
 * in the file, so changing a host, a port or the version of a file with secrets is refused, not
 * only changing the secrets. A file without secrets is plain JSON and has no such seal.
 */

export const EXPORT_FORMAT = 'sesame-export';
export const EXPORT_VERSION = 1;
export const MAX_EXPORTED_SERVERS = 1000;

export class ExportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFormatError';
  }
}

/** The envelope; each server is checked by the server schema when it is imported. */
const exportSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT, { error: 'this is not a Sesame export (format)' }),
  version: z.number().int().min(1),
  exportedAt: z.string().max(64).optional(),
  servers: z
    .array(z.record(z.string(), z.unknown()))
    .min(1, 'the export holds no server')
    .max(MAX_EXPORTED_SERVERS, `an export holds at most ${MAX_EXPORTED_SERVERS} servers`),
  secrets: sealedSchema.optional(),
});

export interface ExportDocument {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: number;
  readonly exportedAt?: string;
  readonly servers: readonly Record<string, unknown>[];
  readonly secrets?: Sealed;
}

export interface ExportEntry {
  readonly profile: ServerProfile | Omit<ServerProfile, 'id'>;
  readonly secret?: ServerSecret | undefined;
}

/** A server as it is exported: everything but its id, which is this installation's own. */
export function exportedProfile(
  profile: ServerProfile | Omit<ServerProfile, 'id'>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...profile };
  delete copy.id;
  return copy;
}

/** Builds an export; with a passphrase, the secrets go in, sealed. */
export async function buildExport(
  entries: readonly ExportEntry[],
  options: {
    passphrase?: string;
    exportedAt?: string;
    /** scrypt's cost; SCRYPT_DEFAULTS unless a test wants it cheaper (within what import takes). */
    kdf?: { N: number; r: number; p: number };
  } = {},
): Promise<ExportDocument> {
  const servers = entries.map((entry) => exportedProfile(entry.profile));
  const document: ExportDocument = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    ...(options.exportedAt !== undefined && { exportedAt: options.exportedAt }),
    servers,
  };
  if (options.passphrase === undefined) return document;
  const secrets = entries.map((entry) => entry.secret ?? null);
  const sealed = await seal(
    JSON.stringify(secrets),
    options.passphrase,
    additionalData(document),
    options.kdf,
  );
  return { ...document, secrets: sealed };
}

export function formatExport(document: ExportDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export interface OpenedExport {
  readonly version: number;
  /** The servers as the file has them (each still to be checked by the server schema). */
  readonly servers: readonly Record<string, unknown>[];
  /** True when the file holds sealed secrets. */
  readonly hasSecrets: boolean;
  /** The secrets, in the order of `servers`, once the passphrase opened them. */
  readonly secrets?: readonly (ServerSecret | undefined)[];
}

/** Reads the envelope of an export (no passphrase needed): a clear error if it is not one. */
export function readExport(text: string): ExportDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExportFormatError(
      `this is not a Sesame export: it is not JSON (${(error as Error).message})`,
    );
  }
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) {
    throw new ExportFormatError(
      `this is not a valid Sesame export: ${describeIssues(parsed.error)}`,
    );
  }
  if (parsed.data.version > EXPORT_VERSION) {
    throw new ExportFormatError(
      `this export is version ${parsed.data.version}, from a newer Sesame: update Sesame to import it`,
    );
  }
  return parsed.data;
}

/**
 * Opens an export: the envelope, and with a passphrase the secrets. A wrong passphrase or a
 * changed file is a SealError; nothing is returned half-checked.
 */
export async function openExport(text: string, passphrase?: string): Promise<OpenedExport> {
  const document = readExport(text);
  const base = { version: document.version, servers: document.servers };
  if (document.secrets === undefined) return { ...base, hasSecrets: false };
  if (passphrase === undefined) return { ...base, hasSecrets: true };
  const plaintext = await open(document.secrets, passphrase, additionalData(document));
  const secrets = z
    .array(z.union([serverSecretSchema, z.null()]))
    .length(document.servers.length)
    .safeParse(JSON.parse(plaintext));
  if (!secrets.success) {
    throw new ExportFormatError(
      `the secrets in this export are not valid: ${describeIssues(secrets.error)}`,
    );
  }
  return {
    ...base,
    hasSecrets: true,
    secrets: secrets.data.map((secret) => secret ?? undefined),
  };
}

/** What the seal binds besides the secrets: the whole document without them, canonically. */
function additionalData(document: ExportDocument): string {
  const rest: Record<string, unknown> = { ...document };
  delete rest.secrets;
  return canonicalJson(rest);
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
