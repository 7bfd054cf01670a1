import { z } from 'zod';
import type { CallResult, EventName } from '../api/contract.js';

/**
 * What the preview bridge and the window's WebSocket client say to each other: the window sends
 * calls of the contract, the bridge answers each with its CallResult and pushes the contract's
 * events. Plain zod, no Node module: the renderer imports the same names.
 */

/** Where the WebSocket listens on the preview server. */
export const BRIDGE_PATH = '/bridge';
/** The query parameter that carries the token, in the page's URL and the WebSocket's. */
export const TOKEN_PARAM = 'token';
/** The largest message either side sends (a server with a long list of one-time sequences). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const callMessageSchema = z.strictObject({
  type: z.literal('call'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  name: z.string().max(64),
  input: z.unknown().optional(),
});

export type CallMessage = z.output<typeof callMessageSchema>;

export type BridgeMessage =
  | { type: 'result'; id: number; result: CallResult<unknown> }
  | { type: 'event'; event: EventName; payload: unknown };
