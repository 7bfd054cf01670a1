import { describeIssues } from '../lib/describe-issues.js';
import { KeychainUnavailableError } from '../store/secret-store.js';
import { type CallName, type CallResult, type ErrorKind, calls } from './contract.js';
import type { Handlers } from './handlers.js';

/**
 * Runs one call from the window: the name must be in the contract and the input must pass its
 * schema, or nothing runs. Every failure comes back as a message a person can read (never a
 * stack trace), with a kind the window can style.
 */
export async function dispatch(
  handlers: Handlers,
  name: unknown,
  input: unknown,
): Promise<CallResult<unknown>> {
  if (typeof name !== 'string' || !Object.hasOwn(calls, name)) {
    return failure('invalid-input', `"${String(name).slice(0, 64)}" is not a call Sesame knows`);
  }
  const call = name as CallName;
  const parsed = calls[call].input.safeParse(input);
  if (!parsed.success) return failure('invalid-input', describeIssues(parsed.error));
  try {
    const handler = handlers[call] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return failure(kindOf(error), error instanceof Error ? error.message : String(error));
  }
}

function kindOf(error: unknown): ErrorKind {
  if (error instanceof KeychainUnavailableError) return 'keychain';
  if (error instanceof Error && error.message.startsWith('no saved server')) return 'not-found';
  if (
    error instanceof Error &&
    (error.name === 'ServerInputError' || error.name === 'SettingsValueError')
  ) {
    return 'invalid-input';
  }
  return 'failed';
}

function failure(kind: ErrorKind, message: string): CallResult<never> {
  return { ok: false, error: { kind, message } };
}
