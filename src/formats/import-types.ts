import type { ServerDraft } from '../servers/server-profile.js';

/**
 * What every importer (knockd.conf, .fwknoprc, Sesame's export) gives: candidates that become
 * servers, each with what stops it and what to know, and the problems of the file as a whole.
 * Nothing is saved from here; import-plan.ts checks everything, then saves all or nothing.
 */

export const IMPORT_FORMATS = ['knockd', 'fwknoprc', 'sesame'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportIssue {
  /** 1-based line in the file, when the issue has one. */
  readonly line?: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface ImportCandidate {
  /** The name in the file (door, stanza, or the exported server's name): what a person picks. */
  readonly source: string;
  readonly line?: number;
  /** The server to save, before the schema checks it; undefined when it cannot be built. */
  readonly draft?: ServerDraft;
  /** The secret to store with it (checked against the method when saved). */
  readonly secret?: unknown;
  readonly warnings: string[];
  /** What stops this one from being imported, each with what to do. */
  readonly problems: string[];
}

export interface Importer {
  readonly candidates: ImportCandidate[];
  readonly issues: ImportIssue[];
  /** Export files only: no secrets, secrets still locked (no or a wrong passphrase), or opened. */
  readonly secrets?: 'none' | 'locked' | 'opened';
}

/** What a person gives besides the file. */
export interface ImportInput {
  /** The host to knock on, for doors and stanzas that do not say (knockd.conf never does). */
  readonly host?: string;
  /** knockd doors with one_time_sequences: the contents of each door's file, by door name. */
  readonly oneTimeLists?: Readonly<Record<string, string>>;
  /** The port to check after opening, for every imported server. */
  readonly checkPort?: number;
  /** The passphrase of an export with secrets. */
  readonly passphrase?: string;
}
