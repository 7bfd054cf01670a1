import { z } from 'zod';
import { MAX_PASSPHRASE_LENGTH, MIN_PASSPHRASE_LENGTH } from '../formats/passphrase-rules.js';
import { serverProfileSchema } from '../servers/server-profile.js';

/**
 * The calls of the contract that bring servers in and out: import (preview, then apply), export,
 * share links and QR codes, and the server setup helper. Inputs are strict and bounded (a file
 * of at most 1 MiB); outputs hold no secret, except where the person explicitly asked for one:
 * an export with secrets (sealed with their passphrase), fwknop's key QR code, and the server
 * setup with secrets (the sequence or keys the server needs).
 */

export const MAX_IMPORT_TEXT = 1024 * 1024;
const id = z.string().min(1).max(64);
const port = z.number().int().min(1).max(65535);
const passphrase = z.string().min(1, 'the passphrase is empty').max(MAX_PASSPHRASE_LENGTH);
/** A passphrase that seals secrets now: long enough to resist guessing. */
const sealingPassphrase = z
  .string()
  .min(MIN_PASSPHRASE_LENGTH, `the passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`)
  .max(MAX_PASSPHRASE_LENGTH);
/** withSecrets needs a passphrase: a secret never leaves unsealed. */
const sealedWhenSecret = (message: string) =>
  [
    (input: { withSecrets?: boolean | undefined; passphrase?: string | undefined }) =>
      !input.withSecrets || input.passphrase !== undefined,
    { message, path: ['passphrase'] },
  ] satisfies [unknown, { message: string; path: PropertyKey[] }];

export const importInputSchema = z.strictObject({
  /** The file's text, or a sesame:// link, as picked or pasted. */
  text: z
    .string()
    .max(MAX_IMPORT_TEXT, 'the file is larger than 1 MiB: that is no file Sesame reads'),
  format: z.enum(['auto', 'knockd', 'fwknoprc', 'sesame']).optional(),
  /** The host for doors and stanzas that do not name one. */
  host: z.string().max(253).optional(),
  checkPort: port.optional(),
  /** The doors, stanzas or servers to import, by their `source` in the preview; all if absent. */
  only: z.array(z.string().max(128)).max(1000).optional(),
  /** The contents of knockd one_time_sequences files, by door name. */
  oneTimeLists: z
    .record(z.string().max(128), z.string().max(256 * 1024))
    .refine((lists) => Object.keys(lists).length <= 64, 'at most 64 one-time lists')
    .optional(),
  passphrase: passphrase.optional(),
  /** "rename": a server whose name is taken is saved as "name (2)"; default "refuse". */
  onClash: z.enum(['refuse', 'rename']).optional(),
});

const issueSchema = z.object({
  line: z.number().optional(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});

export const importPreviewSchema = z.object({
  format: z.enum(['knockd', 'fwknoprc', 'sesame']),
  /** Export files: no secrets, secrets still locked (no or a wrong passphrase), or opened. */
  secrets: z.enum(['none', 'locked', 'opened']),
  /** Nothing stops the chosen servers: import.apply with the same input will save them. */
  ready: z.boolean(),
  /** Problems of the file as a whole (errors stop the import). */
  issues: z.array(issueSchema),
  servers: z.array(
    z.object({
      /** The name in the file: what `only` picks. */
      source: z.string(),
      line: z.number().optional(),
      /** The name it will be saved under. */
      name: z.string(),
      method: z.enum(['knock', 'spa']).optional(),
      host: z.string().optional(),
      selected: z.boolean(),
      /** A sequence or keys come with it (never sent here). */
      hasSecret: z.boolean(),
      /** The server as it would be saved, for the form (no secret in it). */
      profile: z.record(z.string(), z.unknown()).optional(),
      warnings: z.array(z.string()),
      /** What stops this one, each with what to do. */
      problems: z.array(z.string()),
    }),
  ),
});

export const importResultSchema = z.object({ servers: z.array(serverProfileSchema) });

export const exportInputSchema = z
  .strictObject({
    ids: z.array(id).min(1, 'choose at least one server').max(1000),
    withSecrets: z.boolean(),
    passphrase: sealingPassphrase.optional(),
  })
  .refine(...sealedWhenSecret('secrets are exported only sealed with a passphrase: give one'));

export const exportResultSchema = z.object({
  /** A name to offer in the save dialog. */
  fileName: z.string(),
  text: z.string(),
  count: z.number(),
  secretsIncluded: z.boolean(),
  /** Servers exported without a secret because none is in the keychain. */
  withoutSecret: z.array(z.string()),
});

export const shareLinkInputSchema = z
  .strictObject({
    id,
    withSecrets: z.boolean().optional(),
    passphrase: sealingPassphrase.optional(),
  })
  .refine(...sealedWhenSecret('a secret goes into a link only sealed with a passphrase: give one'));

export const shareLinkSchema = z.object({
  link: z.string(),
  /** The link as a QR code: an SVG document (no script, no external reference). */
  qrSvg: z.string(),
});

/** fwknop's key QR code: the keys in clear, so the window must say it wants exactly that. */
export const fwknopQrInputSchema = z.strictObject({
  id,
  keysInClear: z.literal(true, { error: 'this QR code shows the keys in clear: confirm it' }),
});
export const fwknopQrSchema = z.object({ qrSvg: z.string() });

export const setupInputSchema = z.strictObject({
  id,
  firewall: z.enum(['iptables', 'nftables']).optional(),
  nat: z.strictObject({ host: z.string().max(64), port }).optional(),
  setName: z.string().max(64).optional(),
  stopAfterSeconds: z.number().int().min(1).max(86_400).optional(),
  port: port.optional(),
  /** False: the sequence and keys are placeholders (to show the setup before revealing them). */
  withSecrets: z.boolean(),
});

export const setupSchema = z.object({
  blocks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      file: z.string().optional(),
      explanation: z.string(),
      language: z.enum(['knockd', 'shell', 'nft', 'fwknopd']),
      text: z.string(),
      /** This block holds the sequence or keys. */
      secret: z.boolean(),
    }),
  ),
  warnings: z.array(z.string()),
});
