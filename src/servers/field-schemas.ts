import { z } from 'zod';
import { parseSequence, SequenceError } from '../knock/sequence.js';
import { ADDRESS_FAMILIES } from '../net/address-family.js';
import { checkHost } from '../net/host-name.js';

/**
 * The building blocks of a server profile, each with a message that says what to fix. The same
 * schemas check the settings file, every IPC payload, imports and the command line.
 */

/** No control characters: they have no place in names or arguments and can spoof a terminal. */
const NO_CONTROL = /^\P{Cc}*$/u;

export const portSchema = z
  .number({ error: 'a port is a number from 1 to 65535' })
  .int('a port is a whole number from 1 to 65535')
  .min(1, 'a port is a number from 1 to 65535')
  .max(65535, 'a port is a number from 1 to 65535');

export const hostSchema = z
  .string({ error: 'the host must be text' })
  .transform((text, context) => {
    const checked = checkHost(text);
    if (!checked.ok) {
      context.addIssue({ code: 'custom', message: checked.message });
      return z.NEVER;
    }
    return checked.host;
  });

export const familySchema = z.enum(ADDRESS_FAMILIES as ['auto', 'ipv4', 'ipv6'], {
  error: 'the address family is one of auto, ipv4, ipv6',
});

export const serverNameSchema = z
  .string({ error: 'the name must be text' })
  .trim()
  .min(1, 'the name is empty: give the server a name')
  .max(64, 'the name is too long (64 characters at most)')
  .regex(NO_CONTROL, 'the name must not contain control characters');

/**
 * A user name for SSH or RDP. It ends up as an argument of ssh or an RDP client, so it may not
 * start with "-" (it would read as an option) and holds no spaces or shell characters.
 */
export const accountSchema = z
  .string({ error: 'the user name must be text' })
  .min(1, 'the user name is empty')
  .max(64, 'the user name is too long (64 characters at most)')
  .regex(
    /^[A-Za-z0-9._@\\][A-Za-z0-9._@\\-]*$/,
    'the user name may hold letters, digits and . _ - @ \\ only, and may not start with "-"',
  );

export const filePathSchema = z
  .string({ error: 'the path must be text' })
  .min(1, 'the path is empty')
  .max(4096, 'the path is too long')
  .regex(NO_CONTROL, 'the path must not contain control characters')
  .refine(
    (path) => !path.startsWith('-'),
    'the path may not start with "-" (it would read as an option)',
  );

/** An extra argument for ssh, such as `-o` or `ServerAliveInterval=30`: one argument each. */
export const extraArgumentSchema = z
  .string({ error: 'an extra argument must be text' })
  .min(1, 'an extra argument is empty')
  .max(512, 'an extra argument is too long (512 characters at most)')
  .regex(NO_CONTROL, 'an extra argument must not contain control characters');

export const tagSchema = z
  .string({ error: 'a tag must be text' })
  .trim()
  .min(1, 'a tag is empty')
  .max(32, 'a tag is too long (32 characters at most)')
  .regex(/^[\p{L}\p{N} ._-]+$/u, 'a tag may hold letters, digits, spaces and . _ - only');

/** A knock sequence in knockd's syntax, checked by the same parser the knocker uses. */
export const sequenceTextSchema = z
  .string({ error: 'the sequence must be text' })
  .transform((text, context) => {
    try {
      parseSequence(text);
      return text.trim();
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: error instanceof SequenceError ? error.message : String(error),
      });
      return z.NEVER;
    }
  });
