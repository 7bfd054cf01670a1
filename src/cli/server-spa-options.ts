import type { SpaSecret } from '../servers/server-secret.js';
import type { SpaMethod } from '../servers/server-profile.js';
import { spaSecretOf } from '../servers/spa-secret-keys.js';
import { type CliIo, UsageError } from './cli-io.js';
import { asUsageError, parseSpaArgs, spaKeysFrom, spaOptionsFrom } from './spa-args.js';
import { loadRc } from './spa-rc.js';

export interface SpaDoorFromArgs {
  /** `-D`, or SPA_SERVER of the stanza. */
  readonly host: string | undefined;
  readonly method: SpaMethod;
  /** Undefined when no key was given (an edit that keeps the stored keys). */
  readonly secret: SpaSecret | undefined;
}

const KEY_OPTIONS = ['key-rijndael', 'key-base64-rijndael', 'key-hmac', 'key-base64-hmac'] as const;

/**
 * The SPA part of `sesame servers add/edit … --spa <fwknop options>`: fwknop's own option names
 * and meaning (and `-n STANZA` to take a stanza of ~/.fwknoprc), as `sesame spa` reads them.
 */
export async function spaDoorFromArgs(
  args: readonly string[],
  io: CliIo,
  keysRequired: boolean,
): Promise<SpaDoorFromArgs> {
  const values = parseSpaArgs(args);
  const rc = await loadRc(values, io);
  if (rc === undefined)
    throw new UsageError('the rc file has errors (see above); nothing was saved');
  const options = spaOptionsFrom(values, rc);
  const anyKey =
    KEY_OPTIONS.some((key) => values[key] !== undefined) || rc.encryptionKey !== undefined;
  if (!anyKey && !keysRequired)
    return {
      host: values.destination ?? rc.server,
      method: { kind: 'spa', ...options },
      secret: undefined,
    };
  let secret: SpaSecret;
  try {
    secret = spaSecretOf(spaKeysFrom(values, rc, options));
  } catch (error) {
    return asUsageError(error);
  }
  return { host: values.destination ?? rc.server, method: { kind: 'spa', ...options }, secret };
}
