import type { SecretState } from '../servers/server-repository.js';

/**
 * Where a server's door stands:
 * - `idle`: nothing done yet;
 * - `knocking`: a knock is under way (with progress through the hits);
 * - `open`: knocked and the check port answered;
 * - `knocked`: knocked, with no check port to confirm;
 * - `closed`: knocked, and the check port did not answer;
 * - `error`: the knock could not be made (the reason says why).
 */
export type DoorState = 'idle' | 'knocking' | 'open' | 'knocked' | 'closed' | 'error';

export type KnockTrigger = 'manual' | 'ip-change' | 'start' | 'keep-alive' | 'retry';

export interface ServerStatus {
  readonly serverId: string;
  readonly state: DoorState;
  readonly progress?: { readonly sent: number; readonly total: number };
  /** For `closed` and `error`: what happened, in words. */
  readonly reason?: string;
  readonly lastKnock?: {
    readonly at: number;
    readonly trigger: KnockTrigger;
    /** The public IP the knock was made from, as far as Sesame knew it then. */
    readonly publicIp?: string;
    /** The server address the knock went to. */
    readonly address?: string;
  };
  /** How long the check port took to answer, the last time it did. */
  readonly checkLatencyMs?: number;
  readonly secret: SecretState;
  /** Which try this is, when Sesame is retrying after a door did not open. */
  readonly attempt?: number;
  /** When Sesame will try a failed automatic knock again (ms since the epoch). */
  readonly retryAt?: number;
}

export function idleStatus(serverId: string, secret: SecretState): ServerStatus {
  return { serverId, state: 'idle', secret };
}
