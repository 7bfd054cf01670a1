import { readFileSync } from 'node:fs';
import type { ServerProfile } from '../servers/server-profile.js';
import { type SaveResult, ServerInputError } from '../servers/server-repository.js';
import { type CliContext, openContext } from './cli-context.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { parseOptions } from './parse-options.js';
import {
  draftFromOptions,
  SERVER_OPTIONS,
  SERVER_OPTIONS_HELP,
  secretFromOptions,
} from './server-options.js';
import { spaDoorFromArgs } from './server-spa-options.js';

export const SERVERS_HELP = `usage: sesame servers <list|show|add|edit|remove> [options]

  sesame servers list [--json]
  sesame servers show <name> [--json]
  sesame servers add <name> --host <host> (--sequence <seq> | --one-time <file>) [options]
  sesame servers add <name> [options] --spa <fwknop options>
  sesame servers edit <name> [options]        (only the options given change; --name renames)
  sesame servers remove <name>

Sequences and keys go to the system keychain, never to the settings file.

An SPA door (fwknop) takes fwknop's own options after --spa, with the same names and meaning:
-A, -a/-s/-R, -N, --nat-local, --fw-timeout, --key-base64-rijndael, --key-base64-hmac,
--digest-type, --hmac-digest-type, -M, -P, -p, -r, --time-offset-plus/-minus, and -n STANZA to
take a stanza of ~/.fwknoprc (-D or the stanza's SPA_SERVER may give the host).

options for add and edit:
${SERVER_OPTIONS_HELP}

examples:
  sesame servers add office --host office.example.com --sequence 7000,8000,9000 --check 22 --ssh-user me
  echo 7000,8000:udp,9000 | sesame servers add lab --host 203.0.113.7 --sequence - --check 22
  sesame servers add db --check 22 --spa -n db.example.com
  sesame servers add web --host web.example.com --check 22 --spa -A tcp/22 -R --key-base64-rijndael KEY --key-base64-hmac KEY
`;

export async function serversCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '-h' || action === '--help') {
    io.out(SERVERS_HELP);
    return action === undefined ? 2 : EXIT_OK;
  }
  // Everything after --spa is fwknop's options, read as `sesame spa` reads them.
  const spaAt = rest.indexOf('--spa');
  const spaArgs = spaAt === -1 ? undefined : rest.slice(spaAt + 1);
  const knockOnly = ['--sequence', '--one-time', '-d', '--delay', '--seq-timeout'];
  if (
    spaArgs !== undefined &&
    rest.slice(0, spaAt).some((arg) => knockOnly.includes(arg.split('=')[0] ?? ''))
  ) {
    throw new UsageError(
      '--sequence, --one-time, --delay and --seq-timeout are for knock doors; an SPA door takes fwknop options after --spa',
    );
  }
  const { values, positionals } = parseOptions(
    spaAt === -1 ? rest : rest.slice(0, spaAt),
    SERVER_OPTIONS,
  );
  if (values.help) {
    io.out(SERVERS_HELP);
    return EXIT_OK;
  }
  switch (action) {
    case 'list':
      return list(openContext(io), io, values.json ?? false);
    case 'show':
      return show(openContext(io), io, onlyName(positionals, 'show'), values.json ?? false);
    case 'add':
      return add(openContext(io), io, onlyName(positionals, 'add'), values, spaArgs);
    case 'edit':
      return edit(openContext(io), io, onlyName(positionals, 'edit'), values, spaArgs);
    case 'remove':
    case 'rm':
      return remove(openContext(io), io, onlyName(positionals, 'remove'));
    default:
      throw new UsageError(`unknown action "${action}" (list, show, add, edit, remove)`);
  }
}

function onlyName(positionals: string[], action: string): string {
  if (positionals.length !== 1 || positionals[0] === undefined) {
    throw new UsageError(
      `give one server name: sesame servers ${action} <name>${positionals.length > 1 ? ' (quote a name with spaces)' : ''}`,
    );
  }
  return positionals[0];
}

type Values = ReturnType<typeof parseOptions<typeof SERVER_OPTIONS>>['values'];

const readStdin = (): string => readFileSync(0, 'utf8');

async function add(
  context: CliContext,
  io: CliIo,
  name: string,
  values: Values,
  spaArgs: string[] | undefined,
): Promise<number> {
  let draft;
  let secret;
  if (spaArgs === undefined) {
    secret = secretFromOptions(values, readStdin);
    if (secret === undefined) {
      throw new UsageError(
        'give the knock sequence: --sequence <seq> (or "-" to read it from stdin), or --one-time <file>',
      );
    }
    draft = draftFromOptions(values, name);
  } else {
    const spa = await spaDoorFromArgs(spaArgs, io, true);
    draft = {
      ...draftFromOptions({ ...values, host: values.host ?? spa.host }, name),
      method: spa.method,
    };
    secret = spa.secret;
  }
  const saved = await context.repository.add(draft, secret).catch(asUsage);
  return reportSaved(
    context,
    io,
    values,
    saved,
    `added "${saved.server.name}" (${saved.server.host})\n`,
    'added',
  );
}

async function edit(
  context: CliContext,
  io: CliIo,
  name: string,
  values: Values,
  spaArgs: string[] | undefined,
): Promise<number> {
  const existing = context.repository.requireServer(name);
  let draft = draftFromOptions(values, existing.name, existing);
  let secret = secretFromOptions(values, readStdin);
  if (spaArgs !== undefined) {
    const spa = await spaDoorFromArgs(spaArgs, io, existing.method.kind !== 'spa');
    draft = { ...draft, method: spa.method, host: values.host ?? spa.host ?? draft.host };
    secret = spa.secret;
  }
  const saved = await context.repository.update(existing.id, draft, secret).catch(asUsage);
  return reportSaved(context, io, values, saved, `saved "${saved.server.name}"\n`, 'changed');
}

function reportSaved(
  context: CliContext,
  io: CliIo,
  values: Values,
  saved: SaveResult,
  line: string,
  verb: string,
): number {
  context.log.add({
    kind: 'settings',
    serverId: saved.server.id,
    serverName: saved.server.name,
    message: `${verb} ${saved.server.name}`,
  });
  context.log.flush();
  if (saved.secretWarning) io.err(`sesame: warning: ${saved.secretWarning}\n`);
  io.out(values.json ? `${JSON.stringify(saved.server)}\n` : line);
  return EXIT_OK;
}

async function remove(context: CliContext, io: CliIo, name: string): Promise<number> {
  const server = context.repository.requireServer(name);
  const result = await context.repository.remove(server.id);
  context.log.add({ kind: 'settings', serverName: server.name, message: `removed ${server.name}` });
  context.log.flush();
  if (result.secretWarning) io.err(`sesame: warning: ${result.secretWarning}\n`);
  io.out(`removed "${server.name}"\n`);
  return EXIT_OK;
}

async function list(context: CliContext, io: CliIo, json: boolean): Promise<number> {
  const servers = context.repository.list();
  if (json) {
    const states = await Promise.all(servers.map((s) => context.repository.secretState(s)));
    io.out(`${JSON.stringify(servers.map((server, i) => ({ ...server, secret: states[i] })))}\n`);
    return EXIT_OK;
  }
  if (servers.length === 0) {
    io.out(
      'no servers yet: add one with "sesame servers add <name> --host <host> --sequence <seq>"\n',
    );
    return EXIT_OK;
  }
  const rows = servers.map((s) => [
    s.name,
    s.host,
    describeMethod(s),
    s.checkPort === undefined ? '-' : String(s.checkPort),
  ]);
  io.out(table(['NAME', 'HOST', 'METHOD', 'CHECK'], rows));
  return EXIT_OK;
}

async function show(context: CliContext, io: CliIo, name: string, json: boolean): Promise<number> {
  const server = context.repository.requireServer(name);
  const secret = await context.repository.secretState(server);
  if (json) {
    io.out(`${JSON.stringify({ ...server, secret })}\n`);
    return EXIT_OK;
  }
  const lines: [string, string][] = [
    ['name', server.name],
    ['host', `${server.host}${server.family === 'auto' ? '' : ` (${server.family} only)`}`],
    ['method', describeMethod(server)],
    [
      'secret',
      secret === 'stored'
        ? 'stored in the keychain'
        : secret === 'missing'
          ? 'missing: enter it again'
          : 'keychain unavailable',
    ],
    [
      'check',
      server.checkPort === undefined
        ? 'none'
        : `port ${server.checkPort}, up to ${server.checkTimeoutMs} ms`,
    ],
  ];
  if (server.ssh)
    lines.push([
      'ssh',
      `${server.ssh.user ? `${server.ssh.user}@` : ''}port ${server.ssh.port}${server.ssh.identityFile ? `, key ${server.ssh.identityFile}` : ''}`,
    ]);
  if (server.rdp)
    lines.push(['rdp', `${server.rdp.user ? `${server.rdp.user}@` : ''}port ${server.rdp.port}`]);
  const auto = [
    server.auto.onIpChange && 're-knock on IP change',
    server.auto.atStart && 'knock at start',
    server.auto.keepAliveMinutes > 0 && `every ${server.auto.keepAliveMinutes} min`,
  ].filter(Boolean);
  lines.push(['automatic', auto.length > 0 ? auto.join(', ') : 'never']);
  if (server.tags.length > 0) lines.push(['tags', server.tags.join(', ')]);
  io.out(lines.map(([key, value]) => `${key.padEnd(10)} ${value}\n`).join(''));
  return EXIT_OK;
}

export function describeMethod(server: ServerProfile): string {
  const { method } = server;
  if (method.kind === 'knock') {
    const delay = method.delayMs > 0 ? `, ${method.delayMs} ms apart` : '';
    return `${method.oneTime ? 'knock, one-time sequences' : 'knock'}${delay}`;
  }
  const access = method.access.map((a) => `${a.protocol}/${a.port}`).join(',');
  return `SPA ${method.transport}/${method.randPort ? 'random' : method.serverPort}, ${access}`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

function asUsage(error: unknown): never {
  if (error instanceof ServerInputError) throw new UsageError(error.message);
  throw error;
}
