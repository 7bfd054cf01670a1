import type { CallName, EventName } from '../src/api/contract.js';

/**
 * The IPC channels of the contract, one per call and one per event. The names are written out
 * here rather than read from src/api/contract.ts: the preload script runs sandboxed and may load
 * nothing but `electron`, so it cannot bring the contract's schemas (zod) along. The Record types
 * make the compiler refuse a list that misses a call or names one the contract does not have,
 * and a test compares both lists with the contract.
 */
const CALLS: Record<CallName, true> = {
  'app.info': true,
  'servers.list': true,
  'servers.add': true,
  'servers.update': true,
  'servers.remove': true,
  'servers.knock': true,
  'servers.knockAll': true,
  'servers.cancel': true,
  'servers.openSsh': true,
  'servers.openRdp': true,
  'servers.sshCommand': true,
  'network.state': true,
  'network.checkNow': true,
  'log.recent': true,
  'settings.get': true,
  'settings.update': true,
  'import.preview': true,
  'import.apply': true,
  'export.servers': true,
  'share.link': true,
  'share.fwknopQr': true,
  'setup.generate': true,
};

const EVENTS: Record<EventName, true> = {
  status: true,
  servers: true,
  log: true,
  network: true,
  settings: true,
};

export const BRIDGE_CALLS = Object.keys(CALLS) as CallName[];
export const BRIDGE_EVENTS = Object.keys(EVENTS) as EventName[];

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(CALLS, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENTS, name);
}

export function callChannel(name: CallName): string {
  return `sesame:call:${name}`;
}

export function eventChannel(name: EventName): string {
  return `sesame:event:${name}`;
}
