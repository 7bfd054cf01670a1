import { basename } from 'node:path';
import {
  applyImport,
  describePlanProblems,
  describeSource,
  type ImportPlan,
  planImport,
} from '../formats/import-plan.js';
import { IMPORT_FORMATS, type ImportFormat } from '../formats/import-types.js';
import { isShareLink } from '../formats/share-link.js';
import { openContext } from './cli-context.js';
import { readInput, readPassphrase } from './cli-input.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';

export const IMPORT_HELP = `usage: sesame import FILE [options]

Adds servers from a knockd.conf, a ~/.fwknoprc, a Sesame export or a sesame:// link (give the
link itself as FILE). Everything is checked first; then all chosen servers are saved, or none.
Sequences and keys go to the system keychain.

  --format F                 knockd, fwknoprc or sesame (default: told from the file)
  --host HOST                the host of doors or stanzas that do not name one (knockd.conf never does)
  --door NAME                only this door, stanza or server (repeatable; default: all)
  --one-time-file DOOR=FILE  the one_time_sequences file of a door, copied from the server
  --check PORT               the port to check after opening, for every server imported
  --passphrase-file FILE     the passphrase of an export with secrets ("-": stdin)
  --rename                   import a server whose name is taken as "name (2)" (default: refuse)
  --dry-run                  show what would be imported, and save nothing
  --json                     print the plan or the saved servers as JSON (never a secret)

FILE "-" reads stdin. Exit status: 0 imported, 1 failed (the keychain), 2 the file or the
options need a change (each problem is one line on stderr, with its line in the file).

examples:
  sesame import /etc/knockd.conf --host office.example.com --door openSSH
  sesame import ~/.fwknoprc --dry-run
  sesame import servers.sesame.json --passphrase-file -
`;

const OPTIONS = {
  format: { type: 'string' },
  host: { type: 'string' },
  door: { type: 'string', multiple: true },
  'one-time-file': { type: 'string', multiple: true },
  check: { type: 'string' },
  'passphrase-file': { type: 'string' },
  rename: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function importCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, OPTIONS);
  if (values.help) {
    io.out(IMPORT_HELP);
    return EXIT_OK;
  }
  const [file, extra] = positionals;
  if (file === undefined || extra !== undefined) {
    throw new UsageError('give one file to import: sesame import FILE (see --help)');
  }
  const format = values.format;
  if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format "${format}" is not one of ${IMPORT_FORMATS.join(', ')}`);
  }
  if (file === '-' && values['passphrase-file'] === '-') {
    throw new UsageError('the file and the passphrase cannot both come from stdin');
  }
  const text = isShareLink(file) ? file : readInput(file, 'the file');
  const oneTimeLists = Object.fromEntries(
    (values['one-time-file'] ?? []).map((entry) => {
      const equals = entry.indexOf('=');
      if (equals < 1) throw new UsageError(`--one-time-file "${entry}" is not DOOR=FILE`);
      return [entry.slice(0, equals), readInput(entry.slice(equals + 1), 'the one-time sequences')];
    }),
  );
  const passphrase =
    values['passphrase-file'] === undefined
      ? undefined
      : readPassphrase(values['passphrase-file'], 'the export is sealed');
  const context = openContext(io);
  const plan = await planImport(
    text,
    {
      format: (format as ImportFormat | undefined) ?? 'auto',
      ...(values.host !== undefined && { host: values.host }),
      ...(values.check !== undefined && {
        checkPort: intOption('--check', values.check, 1, 65535),
      }),
      ...(values.door !== undefined && { only: values.door }),
      oneTimeLists,
      ...(passphrase !== undefined && { passphrase }),
      onClash: values.rename ? 'rename' : 'refuse',
    },
    context.repository.list().map((server) => server.name),
  );
  const where = isShareLink(file) ? 'the link' : file === '-' ? 'stdin' : basename(file);
  for (const issue of plan.issues.filter((i) => i.severity === 'warning')) {
    io.err(
      `sesame: warning: ${where}${issue.line === undefined ? '' : `:${issue.line}`}: ${issue.message}\n`,
    );
  }
  for (const server of plan.servers.filter((s) => s.selected)) {
    for (const warning of server.warnings) {
      io.err(`sesame: warning: ${describeSource(plan.format, server)}: ${warning}\n`);
    }
  }
  if (!plan.ready) {
    for (const problem of describePlanProblems(plan)) io.err(`sesame: ${where}: ${problem}\n`);
    throw new UsageError('nothing was imported');
  }
  if (values['dry-run']) {
    io.out(values.json ? `${JSON.stringify(planView(plan))}\n` : describePlan(plan));
    return EXIT_OK;
  }
  const saved = await applyImport(plan, context.repository);
  for (const server of saved) {
    context.log.add({
      kind: 'settings',
      serverId: server.id,
      serverName: server.name,
      message: `imported ${server.name} from ${where}`,
    });
  }
  context.log.flush();
  io.out(
    values.json
      ? `${JSON.stringify(saved)}\n`
      : `imported ${saved.length} server${saved.length === 1 ? '' : 's'}: ${saved.map((s) => s.name).join(', ')}\n`,
  );
  return EXIT_OK;
}

/** The plan as JSON for --dry-run --json: everything but the secrets. */
function planView(plan: ImportPlan) {
  return {
    format: plan.format,
    secrets: plan.secrets,
    issues: plan.issues,
    servers: plan.servers.map(({ secret: _secret, ...server }) => server),
  };
}

function describePlan(plan: ImportPlan): string {
  const chosen = plan.servers.filter((server) => server.selected);
  const rows = chosen.map(
    (server) =>
      `  ${server.name}  ${server.method ?? '?'}  ${server.host ?? '?'}${server.hasSecret ? '' : '  (no secret)'}\n`,
  );
  return `would import ${chosen.length} server${chosen.length === 1 ? '' : 's'} from the ${plan.format} file (nothing saved):\n${rows.join('')}`;
}
