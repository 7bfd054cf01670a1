import { z } from 'zod';
import { EVENT_KINDS } from '../engine/event-log.js';
import { preferencesSchema } from '../store/settings-schema.js';
import { serverProfileSchema } from '../servers/server-profile.js';

/**
 * What the window sees of the core. Built only from non-secret facts: a server's view says
 * whether its secret is stored, never what it is.
 */

export const secretStateSchema = z.enum(['stored', 'missing', 'unavailable']);

export const serverStatusSchema = z.object({
  serverId: z.string(),
  state: z.enum(['idle', 'knocking', 'open', 'knocked', 'closed', 'error']),
  progress: z.object({ sent: z.number(), total: z.number() }).optional(),
  reason: z.string().optional(),
  lastKnock: z
    .object({
      at: z.number(),
      trigger: z.enum(['manual', 'ip-change', 'start', 'keep-alive', 'retry']),
      publicIp: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  checkLatencyMs: z.number().optional(),
  secret: secretStateSchema,
  attempt: z.number().optional(),
  retryAt: z.number().optional(),
});

export const serverViewSchema = z.object({
  profile: serverProfileSchema,
  status: serverStatusSchema,
});

export const logEventViewSchema = z.object({
  id: z.number(),
  at: z.number(),
  kind: z.enum(EVENT_KINDS),
  serverId: z.string().optional(),
  serverName: z.string().optional(),
  message: z.string(),
});

export const providerReportSchema = z.object({
  provider: z.string(),
  family: z.union([z.literal(4), z.literal(6)]),
  ok: z.boolean(),
  /** The address it answered, or why it did not. */
  detail: z.string(),
});

export const familyStateSchema = z.object({
  address: z.string().optional(),
  /** When this address was first seen (ms since the epoch). */
  since: z.number().optional(),
  provider: z.string().optional(),
});

export const networkStateSchema = z.object({
  ipv4: familyStateSchema,
  ipv6: familyStateSchema,
  checkedAt: z.number().optional(),
  checking: z.boolean(),
  reports: z.array(providerReportSchema),
  autoReknock: z.boolean(),
});

export const saveResultSchema = z.object({
  server: serverProfileSchema,
  secretWarning: z.string().optional(),
});

export const launchResultSchema = z.object({
  /** The command that was started, as words a person can read (no secrets: none are involved). */
  command: z.string(),
});

export { preferencesSchema };

export type ServerView = z.output<typeof serverViewSchema>;
export type NetworkState = z.output<typeof networkStateSchema>;
export type ProviderReport = z.output<typeof providerReportSchema>;
export type SaveResultView = z.output<typeof saveResultSchema>;
export type LaunchResult = z.output<typeof launchResultSchema>;
