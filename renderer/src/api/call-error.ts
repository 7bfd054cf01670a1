import type { ErrorKind } from '../../../src/api/contract.js';

/** A call the core refused or could not do: the message is meant for a person, as it is. */
export class CallError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind | 'disconnected',
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** The words to show for any failure of a call. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
