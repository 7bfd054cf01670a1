import { serverDraftSchema, type ServerProfile } from '../servers/server-profile.js';
import type { ServerSecret } from '../servers/server-secret.js';
import { buildExport, canonicalJson, exportedProfile } from './sesame-export.js';

/**
 * A share link for one server: `sesame://add/<payload>`, where the payload is a Sesame export of
 * that one server (sesame-export.ts) as compact JSON in base64url, with every field that holds
 * its default value left out so the QR code stays small. Without a passphrase it holds no
 * secret: the person who adds it enters the sequence or keys; with one, the secret is sealed
 * exactly as in an export file. Importing a link goes through the export's importer.
 */

export const LINK_PREFIX = 'sesame://add/';
/** A payload longer than this is no link anyone should scan or paste. */
export const MAX_LINK_LENGTH = 8192;

export class ShareLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShareLinkError';
  }
}

export async function shareLink(
  profile: ServerProfile,
  secret: ServerSecret | undefined,
  passphrase?: string,
): Promise<string> {
  const compact = withoutDefaults(exportedProfile(profile));
  const document = await buildExport(
    [{ profile: compact as unknown as Omit<ServerProfile, 'id'>, secret }],
    passphrase === undefined ? {} : { passphrase },
  );
  return `${LINK_PREFIX}${Buffer.from(JSON.stringify(document), 'utf8').toString('base64url')}`;
}

export function isShareLink(text: string): boolean {
  return text.trim().toLowerCase().startsWith(LINK_PREFIX);
}

/** The export document inside a link, as JSON text for the export's importer. */
export function linkPayload(link: string): string {
  const trimmed = link.trim();
  if (!isShareLink(trimmed)) {
    throw new ShareLinkError(`this is not a Sesame link (it starts with ${LINK_PREFIX})`);
  }
  if (trimmed.length > MAX_LINK_LENGTH) {
    throw new ShareLinkError(`this link is too long (${MAX_LINK_LENGTH} characters at most)`);
  }
  const payload = trimmed.slice(LINK_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) {
    throw new ShareLinkError(
      'this link is damaged: after sesame://add/ come only letters, digits, "-" and "_" (was it cut or wrapped?)',
    );
  }
  return Buffer.from(payload, 'base64url').toString('utf8');
}

/**
 * A profile without the fields that hold their default: reading it back with the server schema
 * gives exactly the same server.
 */
export function withoutDefaults(profile: Record<string, unknown>): Record<string, unknown> {
  const full = canonicalJson(serverDraftSchema.parse(profile));
  const same = (candidate: Record<string, unknown>): boolean => {
    const parsed = serverDraftSchema.safeParse(candidate);
    return parsed.success && canonicalJson(parsed.data) === full;
  };
  const result = structuredClone(profile);
  for (const key of Object.keys(result)) {
    if (key === 'name' || key === 'host') continue;
    const value = result[key];
    if (key !== 'method') {
      delete result[key];
      if (same(result)) continue;
      result[key] = value;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const inner = value as Record<string, unknown>;
    for (const innerKey of Object.keys(inner)) {
      if (innerKey === 'kind') continue;
      const innerValue = inner[innerKey];
      delete inner[innerKey];
      if (!same(result)) inner[innerKey] = innerValue;
    }
  }
  return result;
}
