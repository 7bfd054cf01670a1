import type { z } from 'zod';

/**
 * The core's own schema's first message for each field of an input, by path ("passphrase",
 * "nat.port"), so the window says exactly what the contract would refuse, before sending it.
 * A number field holding letters says so, rather than the schema's type message.
 */
export function schemaMessages(schema: z.ZodType, input: unknown): ReadonlyMap<string, string> {
  const messages = new Map<string, string>();
  const result = schema.safeParse(input);
  if (result.success) return messages;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    const given = path.reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[key]
          : undefined,
      input,
    );
    const key = path.filter((part) => !/^\d+$/.test(part)).join('.');
    const message = Number.isNaN(given) ? 'write a whole number' : issue.message;
    if (!messages.has(key)) messages.set(key, message);
  }
  return messages;
}
