import type { z } from 'zod';
import { describeIssues } from '../lib/describe-issues.js';
import { ServerInputError } from '../servers/server-repository.js';
import { preferencesSchema } from '../store/settings-schema.js';
import { SettingsValueError } from '../store/settings-store.js';
import type { calls } from './contract.js';
import { type CallName, type CallOutput } from './contract.js';
import type { CoreServices } from './core-services.js';
import { createTransferHandlers } from './transfer-handlers.js';
import type { ServerView } from './view-schemas.js';

type Input<K extends CallName> = z.output<(typeof calls)[K]['input']>;
export type Handlers = { [K in CallName]: (input: Input<K>) => Promise<CallOutput<K>> };

/**
 * What each call of the contract does, written once for every way the window reaches the core:
 * Electron's IPC in the tray app, the WebSocket bridge of `npm run preview`. Inputs arrive
 * already checked against the contract (see dispatch.ts).
 */
export function createHandlers(core: CoreServices): Handlers {
  const { repository, settings, engine, log, network, launcher } = core;
  const server = (id: string) => repository.requireServer(id);
  return {
    'app.info': () => Promise.resolve({ ...core.appInfo }),
    'servers.list': () => Promise.resolve(serverViews(core)),
    'servers.add': async ({ draft, secret }) => {
      const saved = await repository.add(draft, secret);
      log.add({
        kind: 'settings',
        serverId: saved.server.id,
        serverName: saved.server.name,
        message: `added ${saved.server.name}`,
      });
      return saved;
    },
    'servers.update': async ({ id, draft, secret }) => {
      const saved = await repository.update(server(id).id, draft, secret);
      log.add({
        kind: 'settings',
        serverId: id,
        serverName: saved.server.name,
        message: `changed ${saved.server.name}`,
      });
      return saved;
    },
    'servers.remove': async ({ id }) => {
      const { removed, secretWarning } = await repository.remove(server(id).id);
      log.add({ kind: 'settings', serverName: removed.name, message: `removed ${removed.name}` });
      return secretWarning === undefined ? {} : { secretWarning };
    },
    'servers.knock': ({ id }) => engine.knock(server(id).id, 'manual'),
    'servers.knockAll': () => engine.knockAll('manual'),
    'servers.cancel': ({ id }) => {
      engine.cancel(server(id).id);
      return Promise.resolve({});
    },
    'servers.openSsh': async ({ id }) => launcher.openSsh(await openFirst(core, server(id).id)),
    'servers.openRdp': async ({ id }) => launcher.openRdp(await openFirst(core, server(id).id)),
    'servers.sshCommand': ({ id }) => Promise.resolve({ command: launcher.sshCommand(server(id)) }),
    'network.state': () => Promise.resolve(network.state()),
    'network.checkNow': () => network.checkNow(),
    'log.recent': (input) => {
      const kinds = input?.kinds === undefined ? undefined : new Set(input.kinds);
      const events = log
        .recent()
        .filter((event) => input?.serverId === undefined || event.serverId === input.serverId)
        .filter((event) => kinds === undefined || kinds.has(event.kind));
      return Promise.resolve(events.slice(-(input?.limit ?? 200)));
    },
    'settings.get': () => Promise.resolve(settings.get().preferences),
    'settings.update': ({ patch }) => {
      const next = preferencesSchema.safeParse({ ...settings.get().preferences, ...patch });
      if (!next.success) return Promise.reject(new SettingsValueError(describeIssues(next.error)));
      return Promise.resolve(
        settings.update((s) => ({ ...s, preferences: next.data })).preferences,
      );
    },
    ...createTransferHandlers(core),
  };
}

/** Every server with its current door state. */
export function serverViews(core: Pick<CoreServices, 'repository' | 'engine'>): ServerView[] {
  const statuses = new Map(core.engine.allStatuses().map((status) => [status.serverId, status]));
  return core.repository.list().map((profile) => ({
    profile,
    status: statuses.get(profile.id) ?? { serverId: profile.id, state: 'idle', secret: 'missing' },
  }));
}

/** Knocks first when the door is not known to be open; refuses to launch into a shut door. */
async function openFirst(core: CoreServices, id: string) {
  const status = core.engine.status(id);
  if (status?.state !== 'open') {
    const result = await core.engine.knock(id, 'manual');
    if (result.state === 'closed' || result.state === 'error') {
      throw new ServerInputError(`the door did not open: ${result.reason ?? result.state}`);
    }
  }
  return core.repository.requireServer(id);
}
