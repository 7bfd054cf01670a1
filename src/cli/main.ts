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
import { knockCommand } from './knock-command.js';
import { VERSION } from './version.js';

type Command = (args: readonly string[], io: CliIo, signal: AbortSignal) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  knock: { run: knockCommand, summary: 'knock on a door guarded by knockd' },
  // Loaded on use: the SPA code (node:crypto, the rc file) would add ~12 ms to every other start.
  spa: {
    run: async (args, io, signal) =>
      (await import('./spa-command.js')).spaCommand(args, io, signal),
    summary: 'send an fwknop SPA packet to a door guarded by fwknopd',
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
`;
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
    return await command.run(args, io, signal);
  } catch (error) {
    if (signal.aborted || error instanceof AbortedError) {
      io.err('sesame: interrupted\n');
      return EXIT_INTERRUPTED;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`sesame: ${message}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILED;
  }
}
