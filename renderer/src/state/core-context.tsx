import { createContext, useContext, useSyncExternalStore } from 'react';
import type { SesameApi } from '../../../src/api/contract.js';
import type { CoreSnapshot, CoreStore } from './core-store.js';

export interface CoreContextValue {
  readonly store: CoreStore;
  readonly api: SesameApi;
  readonly mode: 'app' | 'preview';
}

export const CoreContext = createContext<CoreContextValue | undefined>(undefined);

export function useCore(): CoreContextValue {
  const value = useContext(CoreContext);
  if (value === undefined) throw new Error('useCore outside <CoreContext>');
  return value;
}

/** The part of the core's state a component needs; it re-renders only when that part changes. */
export function useCoreState<T>(select: (snapshot: CoreSnapshot) => T): T {
  const { store } = useCore();
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}
