import type { ServerMethod } from '../servers/server-profile.js';

/** How many knocks Sesame makes before it reports that a door did not open. */
export const MAX_KNOCK_ATTEMPTS = 3;

const BASE_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * How long to wait before knock number `attempt` (2, 3, …).
 *
 * knockd keeps a knocker's attempt alive until its seq_timeout; while it lives, the first hit of
 * a new knock counts as a wrong hit and breaks it, and the hits after that start nothing, so the
 * whole retry is swallowed. A knock retry therefore waits out the door's seq_timeout (the engine
 * checks the port first, in case the door opened late), unless no hit left at all (then nothing
 * can be alive on the server). SPA packets stand alone: plain backoff.
 */
export function retryDelayMs(method: ServerMethod, attempt: number, hitsSent = true): number {
  const backoff = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt - 2));
  if (method.kind === 'knock' && hitsSent)
    return Math.max(backoff, method.seqTimeoutSeconds * 1000 + 500);
  return backoff;
}
