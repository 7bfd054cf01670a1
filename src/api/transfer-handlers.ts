import type { z } from 'zod';
import { SealError } from '../formats/export-crypto.js';
import { fwknopKeysText } from '../formats/fwknop-qr.js';
import { applyImport, describePlanProblems, planImport } from '../formats/import-plan.js';
import { qrSvg } from '../formats/qr-code.js';
import { buildExport, formatExport } from '../formats/sesame-export.js';
import { shareLink } from '../formats/share-link.js';
import type { ServerProfile } from '../servers/server-profile.js';
import { ServerInputError } from '../servers/server-repository.js';
import type { ServerSecret } from '../servers/server-secret.js';
import { serverSetup } from '../setup/server-setup.js';
import { SetupError } from '../setup/setup-types.js';
import type { CoreServices } from './core-services.js';
import type {
  exportInputSchema,
  exportResultSchema,
  fwknopQrInputSchema,
  fwknopQrSchema,
  importInputSchema,
  importPreviewSchema,
  importResultSchema,
  setupInputSchema,
  setupSchema,
  shareLinkInputSchema,
  shareLinkSchema,
} from './transfer-schemas.js';

type In<S extends z.ZodType> = z.output<S>;
type Out<S extends z.ZodType> = Promise<z.output<S>>;

/**
 * The handlers of import, export, share and setup. Mistakes in what the person gave (a file that
 * does not parse, a wrong passphrase, an option that does not fit the door) are ServerInputError,
 * so the window shows them as "invalid input" with the message as it is.
 */
export function createTransferHandlers(core: Pick<CoreServices, 'repository' | 'log'>) {
  const { repository, log } = core;
  const plan = (input: In<typeof importInputSchema>) =>
    planImport(
      input.text,
      {
        format: input.format ?? 'auto',
        ...(input.host !== undefined && { host: input.host }),
        ...(input.checkPort !== undefined && { checkPort: input.checkPort }),
        ...(input.only !== undefined && { only: input.only }),
        ...(input.oneTimeLists !== undefined && { oneTimeLists: input.oneTimeLists }),
        ...(input.passphrase !== undefined && { passphrase: input.passphrase }),
        onClash: input.onClash ?? 'refuse',
      },
      repository.list().map((server) => server.name),
    );
  const secretOf = async (server: ServerProfile): Promise<ServerSecret | undefined> =>
    repository.secretOf(server);

  return {
    'import.preview': async (
      input: In<typeof importInputSchema>,
    ): Out<typeof importPreviewSchema> => {
      const { format, secrets, ready, issues, servers } = await plan(input);
      return {
        format,
        secrets,
        ready,
        issues: [...issues],
        servers: servers.map((server) => ({
          source: server.source,
          ...(server.line !== undefined && { line: server.line }),
          name: server.name,
          ...(server.method !== undefined && { method: server.method }),
          ...(server.host !== undefined && { host: server.host }),
          selected: server.selected,
          hasSecret: server.hasSecret,
          ...(server.draft !== undefined && { profile: { ...server.draft } }),
          warnings: [...server.warnings],
          problems: [...server.problems],
        })),
      };
    },
    'import.apply': async (input: In<typeof importInputSchema>): Out<typeof importResultSchema> => {
      const planned = await plan(input);
      if (!planned.ready) {
        throw new ServerInputError(
          `nothing was imported: ${describePlanProblems(planned).join('; ') || 'nothing is chosen'}`,
        );
      }
      const servers = await applyImport(planned, repository);
      for (const server of servers) {
        log.add({
          kind: 'settings',
          serverId: server.id,
          serverName: server.name,
          message: `imported ${server.name}`,
        });
      }
      return { servers };
    },
    'export.servers': async (
      input: In<typeof exportInputSchema>,
    ): Out<typeof exportResultSchema> => {
      const servers = input.ids.map((id) => repository.requireServer(id));
      const withoutSecret: string[] = [];
      const entries = [];
      for (const profile of servers) {
        const secret = input.withSecrets ? await secretOf(profile) : undefined;
        if (input.withSecrets && secret === undefined) withoutSecret.push(profile.name);
        entries.push(secret === undefined ? { profile } : { profile, secret });
      }
      const now = new Date();
      const document = await buildExport(entries, {
        exportedAt: now.toISOString(),
        ...(input.withSecrets &&
          input.passphrase !== undefined && { passphrase: input.passphrase }),
      }).catch(asInputError);
      return {
        fileName: `sesame-${now.toISOString().slice(0, 10)}.json`,
        text: formatExport(document),
        count: servers.length,
        secretsIncluded: document.secrets !== undefined,
        withoutSecret,
      };
    },
    'share.link': async (input: In<typeof shareLinkInputSchema>): Out<typeof shareLinkSchema> => {
      const server = repository.requireServer(input.id);
      let secret: ServerSecret | undefined;
      if (input.withSecrets) {
        secret = await secretOf(server);
        if (secret === undefined) {
          throw new ServerInputError(`"${server.name}" has no secret in the keychain to share`);
        }
      }
      const link = await shareLink(
        server,
        secret,
        input.withSecrets ? input.passphrase : undefined,
      ).catch(asInputError);
      return { link, qrSvg: await qrSvg(link) };
    },
    'share.fwknopQr': async (input: In<typeof fwknopQrInputSchema>): Out<typeof fwknopQrSchema> => {
      const server = repository.requireServer(input.id);
      if (server.method.kind !== 'spa') {
        throw new ServerInputError(
          `"${server.name}" is a knock door: fwknop's QR code is for SPA doors`,
        );
      }
      const secret = await secretOf(server);
      if (secret?.kind !== 'spa') {
        throw new ServerInputError(`"${server.name}" has no keys in the keychain`);
      }
      return { qrSvg: await qrSvg(fwknopKeysText(secret)) };
    },
    'setup.generate': async (input: In<typeof setupInputSchema>): Out<typeof setupSchema> => {
      const server = repository.requireServer(input.id);
      const secret = input.withSecrets ? await secretOf(server) : undefined;
      try {
        return serverSetup(server, secret, {
          withSecrets: input.withSecrets,
          ...(input.firewall !== undefined && { firewall: input.firewall }),
          ...(input.nat !== undefined && { nat: input.nat }),
          ...(input.setName !== undefined && { setName: input.setName }),
          ...(input.stopAfterSeconds !== undefined && { stopAfterSeconds: input.stopAfterSeconds }),
          ...(input.port !== undefined && { port: input.port }),
        });
      } catch (error) {
        return asInputError(error);
      }
    },
  };
}

function asInputError(error: unknown): never {
  if (error instanceof SetupError || error instanceof RangeError || error instanceof SealError) {
    throw new ServerInputError(error.message);
  }
  throw error;
}
