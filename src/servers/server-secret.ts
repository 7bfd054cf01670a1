import { z } from 'zod';
import { sequenceTextSchema } from './field-schemas.js';

/**
 * What of a server lives only in the OS keychain: the knock sequence, the list of one-time
 * sequences, or the SPA keys. Never written to the settings file, a log, an error or an event.
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

/**
 * An SPA door's keys as bytes in base64 (a passphrase is stored as its UTF-8 bytes, which is what
 * fwknop derives the key from). Checked here for form; the repository checks the pair against the
 * door's encryption mode (lengths, two different keys, no HMAC in legacy mode).
 */
const keyBase64Schema = z
  .string({ error: 'the key must be text' })
  .trim()
  .min(1, 'the key is empty')
  .max(1024, 'the key is too long')
  .regex(
    /^[A-Za-z0-9+/]+={0,2}$/,
    'the key is not base64 (letters, digits, "+", "/" and a final "=")',
  );

export const spaSecretSchema = z.object({
  kind: z.literal('spa'),
  encryptionKeyBase64: keyBase64Schema,
  hmacKeyBase64: keyBase64Schema.optional(),
});

export const serverSecretSchema = z.discriminatedUnion('kind', [
  knockSecretSchema,
  spaSecretSchema,
]);

export type ServerSecret = z.output<typeof serverSecretSchema>;
export type KnockSecret = z.output<typeof knockSecretSchema>;
export type SpaSecret = z.output<typeof spaSecretSchema>;
