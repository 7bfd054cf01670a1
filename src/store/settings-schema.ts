import { z } from 'zod';
import { ProviderListSchema } from '../net/public-ip/provider-spec.js';
import { serverProfileSchema } from '../servers/server-profile.js';

/** The version of the settings file's layout; migrations bring older files up to it. */
export const SETTINGS_VERSION = 1;

const argvTemplateSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(1024)
      .regex(/^\P{Cc}*$/u, 'no control characters'),
  )
  .min(1, 'give at least the program to run')
  .max(32);

export const preferencesSchema = z.object({
  /** The tray's "Re-knock when my network changes": the master switch over every server's own. */
  autoReknock: z.boolean().default(true),
  /** How often to ask the providers for the public IP when nothing local changed, in minutes. */
  ipCheckIntervalMinutes: z.number().int().min(1).max(1440).default(5),
  /** Custom public-IP providers (a company's own echo service); absent: the built-in list. */
  ipProviders: ProviderListSchema.optional(),
  /**
   * Take a private address (10.x, 192.168.x, fd00::/8…) as the "public" one: for doors inside a
   * company network or VPN, where the server sees the client's private address.
   */
  acceptPrivateIp: z.boolean().default(false),
  notifications: z
    .object({
      doorOpened: z.boolean().default(true),
      knockFailed: z.boolean().default(true),
      publicIpChanged: z.boolean().default(true),
    })
    .default({ doorOpened: true, knockFailed: true, publicIpChanged: true }),
  launchAtLogin: z.boolean().default(false),
  /** The terminal to open SSH in, as an argument list; `{command}` stands for the ssh command. */
  terminalCommand: argvTemplateSchema.optional(),
  /** The RDP client to start, as an argument list with `{host}`, `{port}`, `{user}`. */
  rdpCommand: argvTemplateSchema.optional(),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** How many knocks may run at once when many servers re-knock together. */
  maxParallelKnocks: z.number().int().min(1).max(64).default(8),
});

/** What Sesame remembers about a server between runs (not part of its profile). */
export const serverMemorySchema = z.object({
  /** Index of the next one-time sequence to use. */
  oneTimeCursor: z.number().int().min(0).default(0),
});

export const settingsSchema = z
  .object({
    version: z.literal(SETTINGS_VERSION),
    servers: z.array(serverProfileSchema).default([]),
    preferences: preferencesSchema.default(preferencesSchema.parse({})),
    memory: z.record(z.string(), serverMemorySchema).default({}),
  })
  .refine((settings) => unique(settings.servers.map((s) => s.name.toLowerCase())), {
    message: 'two servers have the same name',
    path: ['servers'],
  })
  .refine((settings) => unique(settings.servers.map((s) => s.id)), {
    message: 'two servers have the same id',
    path: ['servers'],
  });

function unique(values: readonly string[]): boolean {
  return new Set(values).size === values.length;
}

export type Settings = z.output<typeof settingsSchema>;
export type Preferences = z.output<typeof preferencesSchema>;
export type ServerMemory = z.output<typeof serverMemorySchema>;

export function emptySettings(): Settings {
  return settingsSchema.parse({ version: SETTINGS_VERSION });
}
