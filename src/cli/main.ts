import { AbortedError } from '../lib/clock.js';
import {
  type CliIo,
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_USAGE,
  processIo,
  UsageError,
} from './cli-io.js';
import { VERSION } from '../lib/version.js';

type Command = (args: readonly string[], io: CliIo, signal: AbortSignal) => Promise<number>;

/**
 * Every command, loaded only when it runs: `sesame knock host ports` must not pay for the
 * settings, the keychain or the schemas that the other commands need.
 */
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  knock: {
    load: async () => (await import('./knock-command.js')).knockCommand,
    summary: 'knock on a door guarded by knockd (a host and ports, or a saved server)',
  },
  servers: {
    load: async () => (await import('./servers-command.js')).serversCommand,
    summary: 'list, show, add, edit and remove saved servers',
  },
  status: {
    load: async () => (await import('./status-command.js')).statusCommand,
    summary: 'check every saved server now: is its door open, does it answer',
  },
  log: {
    load: async () => (await import('./log-command.js')).logCommand,
    summary: "show Sesame's recent events",
  },
  watch: {
    load: async () => (await import('./watch-command.js')).watchCommand,
    summary: 'run without the tray: re-knock by itself when the public IP changes',
  },
  ip: {
    load: async () => (await import('./ip-command.js')).ipCommand,
    summary: "show this machine's public IPv4 and IPv6 addresses",
  },
  spa: {
    load: async () => (await import('./spa-command.js')).spaCommand,
    summary: 'send an fwknop SPA packet to a door guarded by fwknopd',
  },
  import: {
    load: async () => (await import('./import-command.js')).importCommand,
    summary: 'add servers from a knockd.conf, a ~/.fwknoprc, a Sesame export or link',
  },
  export: {
    load: async () => (await import('./export-command.js')).exportCommand,
    summary: 'write saved servers to a file, secrets sealed with a passphrase if asked',
  },
  share: {
    load: async () => (await import('./share-command.js')).shareCommand,
    summary: 'print a sesame:// link (and QR code) for one server',
  },
  'server-setup': {
    load: async () => (await import('./server-setup-command.js')).serverSetupCommand,
    summary: 'print what a server needs for a saved door: knockd.conf, firewall, access.conf',
  },
  'generate-sequence': {
    load: async () => (await import('./generate-sequence-command.js')).generateSequenceCommand,
    summary: 'print a strong random knock sequence, or advice on one',
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return `usage: sesame <command> [options]

Sesame keeps your servers reachable behind port knocking and Single Packet Authorization.

commands:
${lines.join('\n')}

Run "sesame <command> --help" for the options of a command.
Settings live in the tray app's folder; SESAME_CONFIG_DIR points the command elsewhere.
`;
}

/**
 * Wrong usage, including input a schema refused (ServerInputError, matched by name so that this
 * file does not load the server code for every command).
 */
function isUsageError(error: unknown): boolean {
  return (
    error instanceof UsageError || (error instanceof Error && error.name === 'ServerInputError')
  );
}

/** Runs one `sesame` invocation and returns its exit status. Never throws. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  signal = new AbortController().signal,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '-V' || name === '--version') {
    io.out(`sesame ${VERSION}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`sesame: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return EXIT_USAGE;
  }
  try {
    return await (
      await command.load()
    )(args, io, signal);
  } catch (error) {
    if (signal.aborted || error instanceof AbortedError) {
      io.err('sesame: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`sesame: ${message}\n`);
    return isUsageError(error) ? EXIT_USAGE : EXIT_FAILED;
  }
}
