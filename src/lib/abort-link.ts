/**
 * An AbortController that aborts when any of the given signals does, and a function that unhooks
 * it again. AbortSignal.any() would do, but on Node 20 every call keeps its signal reachable from
 * a long-lived input (the watcher's stop signal) for good: about 2.6 KB per call, measured
 * (https://github.com/nodejs/node/issues/55351).
 */
export function linkedController(signals: readonly (AbortSignal | undefined)[]): {
  readonly controller: AbortController;
  readonly unlink: () => void;
} {
  const controller = new AbortController();
  const hooks: (readonly [AbortSignal, () => void])[] = [];
  for (const signal of signals) {
    if (signal === undefined) continue;
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    hooks.push([signal, onAbort]);
  }
  return {
    controller,
    unlink: () => {
      for (const [signal, onAbort] of hooks) signal.removeEventListener('abort', onAbort);
    },
  };
}
