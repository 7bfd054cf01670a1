import { z } from 'zod';
import { MAX_DELAY_MS } from '../knock/sequence.js';
import { spaOptionsSchema } from '../knock/spa/spa-options.js';
import {
  accountSchema,
  extraArgumentSchema,
  familySchema,
  filePathSchema,
  hostSchema,
  portSchema,
  serverNameSchema,
  tagSchema,
} from './field-schemas.js';

/**
 * A saved server: everything Sesame needs to open its door and connect, except the secrets
 * (the knock sequence, one-time sequences, SPA keys), which live only in the OS keychain.
 */

export const knockMethodSchema = z.object({
  kind: z.literal('knock'),
  delayMs: z
    .number()
    .int()
    .min(0)
    .max(MAX_DELAY_MS, `the delay is at most ${MAX_DELAY_MS} ms`)
    .default(0),
  /**
   * knockd's seq_timeout for this door (default 25 s). A knock that did not open the door may
   * leave a live attempt on the server; a new knock during it would be taken as wrong hits, so
   * a retry waits this long.
   */
  seqTimeoutSeconds: z.number().int().min(1).max(3600).default(25),
  /** The door uses knockd's one_time_sequences: each knock uses the next sequence of a list. */
  oneTime: z.boolean().default(false),
});

/** fwknop Single Packet Authorization: fwknop's options, with fwknop's defaults. */
export const spaMethodSchema = spaOptionsSchema.safeExtend({ kind: z.literal('spa') });

export const methodSchema = z.discriminatedUnion('kind', [knockMethodSchema, spaMethodSchema], {
  error: 'the method is "knock" (a knockd sequence) or "spa" (fwknop)',
});

export const sshSchema = z.object({
  user: accountSchema.optional(),
  port: portSchema.default(22),
  identityFile: filePathSchema.optional(),
  extraArgs: z.array(extraArgumentSchema).max(32, 'at most 32 extra arguments').default([]),
});

export const rdpSchema = z.object({
  port: portSchema.default(3389),
  user: accountSchema.optional(),
});

export const automationSchema = z.object({
  /** Knock again when the public IP changes. */
  onIpChange: z.boolean().default(true),
  /** Knock when Sesame starts. */
  atStart: z.boolean().default(false),
  /** Knock again every N minutes while the door should stay open (0: never). */
  keepAliveMinutes: z
    .number()
    .int()
    .min(0)
    .max(1440, 'keep-alive is at most 1440 minutes (a day)')
    .default(0),
});

const serverFields = {
  name: serverNameSchema,
  host: hostSchema,
  family: familySchema.default('auto'),
  method: methodSchema,
  /** The port to check after knocking; without it a knock ends as "knocked", unconfirmed. */
  checkPort: portSchema.optional(),
  checkTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
  ssh: sshSchema.optional(),
  rdp: rdpSchema.optional(),
  auto: automationSchema.default({ onIpChange: true, atStart: false, keepAliveMinutes: 0 }),
  tags: z.array(tagSchema).max(16, 'at most 16 tags').default([]),
};

function oneTimeNeedsCheck(server: {
  method: { kind: string; oneTime?: boolean };
  checkPort?: number | undefined;
}): boolean {
  return !(
    server.method.kind === 'knock' &&
    server.method.oneTime &&
    server.checkPort === undefined
  );
}
const ONE_TIME_NEEDS_CHECK = {
  message:
    'one-time sequences need a check port: Sesame moves to the next sequence only once it sees the door open',
  path: ['checkPort'],
};

/** What a person fills in to add a server (no id yet). */
export const serverDraftSchema = z
  .object(serverFields)
  .refine(oneTimeNeedsCheck, ONE_TIME_NEEDS_CHECK);

/** A saved server, as stored in the settings file. */
export const serverProfileSchema = z
  .object({ id: z.uuid('the server id is not a UUID'), ...serverFields })
  .refine(oneTimeNeedsCheck, ONE_TIME_NEEDS_CHECK);

export type ServerDraft = z.input<typeof serverDraftSchema>;
export type ServerProfile = z.output<typeof serverProfileSchema>;
export type KnockMethod = z.output<typeof knockMethodSchema>;
export type SpaMethod = z.output<typeof spaMethodSchema>;
export type ServerMethod = ServerProfile['method'];
