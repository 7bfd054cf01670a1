import { buildExport, formatExport } from '../formats/sesame-export.js';
import type { ServerProfile } from '../servers/server-profile.js';
import type { ServerSecret } from '../servers/server-secret.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { openContext } from './cli-context.js';
import { readPassphrase } from './cli-input.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';

export const EXPORT_HELP = `usage: sesame export [NAME...] [--with-secrets --passphrase-file FILE] [-o FILE]

Writes saved servers (all, or those named) as a Sesame export: JSON that "sesame import" and the
tray app read back. Without --with-secrets it holds no sequence and no key. With it, the
secrets are sealed with your passphrase (scrypt and AES-256-GCM), and the whole file with them:
a changed file is refused on import.

  --with-secrets            include the sequences and keys, sealed with a passphrase
  --passphrase-file FILE    where the passphrase is ("-": stdin); at least 8 characters
  -o, --output FILE         write to FILE (mode 0600) instead of stdout
`;

export async function exportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    'with-secrets': { type: 'boolean' },
    'passphrase-file': { type: 'string' },
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(EXPORT_HELP);
    return EXIT_OK;
  }
  if (values['passphrase-file'] !== undefined && !values['with-secrets']) {
    throw new UsageError(
      'a passphrase seals secrets: add --with-secrets, or leave the passphrase out',
    );
  }
  const passphrase = values['with-secrets']
    ? readPassphrase(
        values['passphrase-file'],
        '--with-secrets seals the secrets with a passphrase',
      )
    : undefined;
  const context = openContext(io);
  const servers: ServerProfile[] =
    positionals.length === 0
      ? [...context.repository.list()]
      : positionals.map((name) => context.repository.requireServer(name));
  if (servers.length === 0) throw new UsageError('there is no saved server to export');
  const entries: { profile: ServerProfile; secret?: ServerSecret }[] = [];
  for (const profile of servers) {
    if (passphrase === undefined) {
      entries.push({ profile });
      continue;
    }
    const secret = await context.repository.secretOf(profile);
    if (secret === undefined) {
      io.err(
        `sesame: warning: "${profile.name}" has no secret in the keychain: it is exported without one\n`,
      );
    }
    entries.push(secret === undefined ? { profile } : { profile, secret });
  }
  const document = await buildExport(entries, {
    exportedAt: new Date(context.clock.now()).toISOString(),
    ...(passphrase !== undefined && { passphrase }),
  }).catch((error: unknown) => {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  });
  const text = formatExport(document);
  if (values.output === undefined) {
    io.out(text);
    return EXIT_OK;
  }
  writeFileAtomic(values.output, text, 0o600);
  const count = `${servers.length} server${servers.length === 1 ? '' : 's'}`;
  io.out(
    `exported ${count} to ${values.output}${passphrase === undefined ? ' (no secrets)' : ' (secrets sealed with your passphrase)'}\n`,
  );
  return EXIT_OK;
}
