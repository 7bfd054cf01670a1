import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/call-error.js';

/** The core's latest answer, for the request (as its JSON key) it answers. */
export type Answer<T> =
  | { readonly key: string; readonly value: T; readonly error?: undefined }
  | { readonly key: string; readonly value?: undefined; readonly error: string };

/**
 * Asks the core once a request has stayed the same for `settleMs` (typing pauses), and keeps the
 * answer with the request it belongs to, so a view can tell a current answer from one still
 * catching up. An answer to an older request that arrives late is dropped; no request (undefined)
 * shows none. `clear` forgets the answer at once (one holding a secret, on "Hide").
 */
export function useSettledCall<T>(
  request: string | undefined,
  run: (request: string) => Promise<T>,
  settleMs: number,
): [Answer<T> | undefined, () => void] {
  const [answer, setAnswer] = useState<Answer<T>>();
  useEffect(() => {
    if (request === undefined) return;
    let current = true;
    const timer = setTimeout(() => {
      run(request).then(
        (value) => {
          if (current) setAnswer({ key: request, value });
        },
        (error: unknown) => {
          if (current) setAnswer({ key: request, error: messageOf(error) });
        },
      );
    }, settleMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [request, run, settleMs]);
  const clear = useCallback(() => setAnswer(undefined), []);
  return [request === undefined ? undefined : answer, clear];
}
