import { z } from 'zod';
import { EVENT_KINDS } from '../engine/event-log.js';
import { preferencesSchema } from '../store/settings-schema.js';
import {
  exportInputSchema,
  exportResultSchema,
  fwknopQrInputSchema,
  fwknopQrSchema,
  importInputSchema,
  importPreviewSchema,
  importResultSchema,
  setupInputSchema,
  setupSchema,
  shareLinkInputSchema,
  shareLinkSchema,
} from './transfer-schemas.js';
import {
  launchResultSchema,
  logEventViewSchema,
  networkStateSchema,
  saveResultSchema,
  serverStatusSchema,
  serverViewSchema,
} from './view-schemas.js';

/**
 * The one contract between the window and the core: every call the window may make, with a
 * schema for what it sends and what it gets back, and every event the core pushes. The Electron
 * main process and the preview bridge both check each call's input against it before anything
 * runs; the preload script and the window's types are derived from it.
 *
 * Inputs are strict objects: an unknown key (`__proto__`, a typo) is refused, not ignored.
 */

const none = z.undefined();
const byId = z.strictObject({ id: z.string().min(1).max(64) });
/** A server as the window's form sends it; the server schema checks it in the handler. */
const draftInput = z.record(z.string(), z.unknown());
/** The secret typed in the form: sent once, stored in the keychain, never sent back. */
const secretInput = z.record(z.string(), z.unknown()).optional();

export const calls = {
  'app.info': { input: none, output: z.object({ version: z.string(), platform: z.string() }) },
  'servers.list': { input: none, output: z.array(serverViewSchema) },
  'servers.add': {
    input: z.strictObject({ draft: draftInput, secret: secretInput }),
    output: saveResultSchema,
  },
  'servers.update': {
    input: z.strictObject({ id: byId.shape.id, draft: draftInput, secret: secretInput }),
    output: saveResultSchema,
  },
  'servers.remove': { input: byId, output: z.object({ secretWarning: z.string().optional() }) },
  'servers.knock': { input: byId, output: serverStatusSchema },
  'servers.knockAll': { input: none, output: z.array(serverStatusSchema) },
  'servers.cancel': { input: byId, output: z.object({}) },
  'servers.openSsh': { input: byId, output: launchResultSchema },
  'servers.openRdp': { input: byId, output: launchResultSchema },
  'servers.sshCommand': { input: byId, output: z.object({ command: z.string() }) },
  'network.state': { input: none, output: networkStateSchema },
  'network.checkNow': { input: none, output: networkStateSchema },
  'log.recent': {
    input: z
      .strictObject({
        limit: z.number().int().min(1).max(1000).optional(),
        serverId: z.string().max(64).optional(),
        kinds: z.array(z.enum(EVENT_KINDS)).max(EVENT_KINDS.length).optional(),
      })
      .optional(),
    output: z.array(logEventViewSchema),
  },
  'settings.get': { input: none, output: preferencesSchema },
  'settings.update': {
    input: z.strictObject({ patch: z.record(z.string(), z.unknown()) }),
    output: preferencesSchema,
  },
  /** A file or link read and checked: what would be imported, and what stops it. Saves nothing. */
  'import.preview': { input: importInputSchema, output: importPreviewSchema },
  /** The same input again: saves every chosen server, or none (an error says why). */
  'import.apply': { input: importInputSchema, output: importResultSchema },
  /** A Sesame export of the servers; secrets only with withSecrets, sealed with the passphrase. */
  'export.servers': { input: exportInputSchema, output: exportResultSchema },
  /** A sesame:// link and its QR code; the secret only with withSecrets, sealed. */
  'share.link': { input: shareLinkInputSchema, output: shareLinkSchema },
  /** fwknop's mobile QR code of an SPA door's keys, in clear: only with keysInClear: true. */
  'share.fwknopQr': { input: fwknopQrInputSchema, output: fwknopQrSchema },
  /** What the server needs for a door, in explained blocks; the secrets only with withSecrets. */
  'setup.generate': { input: setupInputSchema, output: setupSchema },
} as const;

export const events = {
  /** A server's door state changed (knocking progress included). */
  status: serverStatusSchema,
  /** The list of servers changed (added, edited, removed, here or by the `sesame` command). */
  servers: z.array(serverViewSchema),
  /** Something happened worth showing in the log. */
  log: logEventViewSchema,
  /** The public IP, or what the providers said, changed. */
  network: networkStateSchema,
  /** The preferences changed. */
  settings: preferencesSchema,
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
export type CallOutput<K extends CallName> = z.output<(typeof calls)[K]['output']>;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const CALL_NAMES = Object.keys(calls) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** What a call returns over IPC: the value, or an error the window can show as it is. */
export type CallResult<T> =
  { ok: true; value: T } | { ok: false; error: { message: string; kind: ErrorKind } };
export type ErrorKind = 'invalid-input' | 'not-found' | 'failed' | 'keychain';

/**
 * The API the window gets as `window.sesame`: `invoke` for the calls, `on` for the events
 * (it returns the function that unsubscribes). Nothing else of Electron or Node is exposed.
 */
export interface SesameApi {
  invoke<K extends CallName>(
    name: K,
    ...input: undefined extends CallInput<K> ? [CallInput<K>?] : [CallInput<K>]
  ): Promise<CallOutput<K>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}
