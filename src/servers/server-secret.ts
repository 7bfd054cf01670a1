import { z } from 'zod';
import { sequenceTextSchema } from './field-schemas.js';

/**
 * What of a server lives only in the OS keychain: the knock sequence or the list of one-time
 * sequences. Never written to the settings file, a log, an error or an event.
 */
export const knockSecretSchema = z
  .object({
    kind: z.literal('knock'),
    sequence: sequenceTextSchema.optional(),
    oneTimeSequences: z
      .array(sequenceTextSchema)
      .min(1, 'the list of one-time sequences is empty')
      .max(10_000)
      .optional(),
  })
  .refine((secret) => secret.sequence !== undefined || secret.oneTimeSequences !== undefined, {
    message: 'give the knock sequence (or the one-time sequences)',
    path: ['sequence'],
  });

export const serverSecretSchema = z.discriminatedUnion('kind', [knockSecretSchema]);

export type ServerSecret = z.output<typeof serverSecretSchema>;
export type KnockSecret = z.output<typeof knockSecretSchema>;
