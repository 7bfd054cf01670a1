import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { EventName, EventPayload, SesameApi } from '../../src/api/contract.js';
import type { ServerView } from '../../src/api/view-schemas.js';
import { preferencesSchema } from '../../src/store/settings-schema.js';
import { CoreContext } from '../../renderer/src/state/core-context.js';
import { CoreStore } from '../../renderer/src/state/core-store.js';
import { ToastProvider } from '../../renderer/src/ui/toasts.js';

type Answer = (input: unknown) => unknown;

/**
 * A window.sesame for component tests: answers each call from `answers` (or a sensible empty
 * value), records every call, and lets a test push the core's events. The real core behind the
 * real bridge is tested in Chromium (test/ui/).
 */
export function fakeApi(answers: Record<string, Answer> = {}) {
  const calls: { name: string; input: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const defaults: Record<string, Answer> = {
    'servers.list': () => [],
    'network.state': () => ({
      ipv4: {},
      ipv6: {},
      checking: false,
      reports: [],
      autoReknock: true,
    }),
    'settings.get': () => preferencesSchema.parse({}),
    'log.recent': () => [],
    'app.info': () => ({ version: '0.1.0', platform: 'linux' }),
  };
  const api = {
    invoke: (name: string, input?: unknown) => {
      calls.push({ name, input });
      const answer = answers[name] ?? defaults[name];
      if (answer === undefined) return Promise.reject(new Error(`no answer for ${name}`));
      try {
        return Promise.resolve(answer(input));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  } as unknown as SesameApi;
  return {
    api,
    calls,
    callsOf: (name: string) => calls.filter((call) => call.name === name).map((call) => call.input),
    emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

export async function renderWithCore(
  ui: ReactElement,
  api: SesameApi,
  mode: 'app' | 'preview' = 'app',
) {
  // Told at once rather than before the next paint, so a test sees an event's effect directly.
  const store = new CoreStore(api, (notify) => notify());
  await store.start();
  const result = render(
    <CoreContext.Provider value={{ store, api, mode }}>
      <ToastProvider>{ui}</ToastProvider>
    </CoreContext.Provider>,
  );
  return { ...result, store };
}

let n = 0;
/** A saved server as the core shows it. */
export function serverView(
  name: string,
  status: Partial<ServerView['status']> = {},
  profile: Partial<ServerView['profile']> = {},
): ServerView {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    profile: {
      id,
      name,
      host: `${name}.example.com`,
      family: 'auto',
      method: { kind: 'knock', delayMs: 0, seqTimeoutSeconds: 25, oneTime: false },
      checkPort: 22,
      checkTimeoutMs: 3000,
      auto: { onIpChange: true, atStart: false, keepAliveMinutes: 0 },
      tags: [],
      ...profile,
    },
    status: { serverId: id, state: 'idle', secret: 'stored', ...status },
  };
}
