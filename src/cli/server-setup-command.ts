import { serverSetup, type ServerSetup, type SetupOptions } from '../setup/server-setup.js';
import { parseNatTarget, SetupError } from '../setup/setup-types.js';
import { openContext } from './cli-context.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';

export const SERVER_SETUP_HELP = `usage: sesame server-setup NAME [options]

Prints what the server of a saved door needs, ready to paste, each part with a sentence that
explains it. A knock door: the knockd.conf door (tcpflags = syn, a start command that adds the
knocking address to an ipset) and the firewall that drops the protected port for everyone else.
An SPA door: the fwknopd access.conf stanza with the keys, the fwknopd.conf lines it needs, and
the rules that drop the port by default. Run the commands as root on the server.

  --nft                 knock doors: nftables instead of ipset and iptables
  --nat LANHOST:PORT    knock doors: forward the port to a LAN machine (e.g. 192.168.1.20:3389)
  --set NAME            the ipset name (default sesame-<server>)
  --stop-after SECONDS  take the address out again after SECONDS (knockd's stop_command;
                        fwknopd's FW_ACCESS_TIMEOUT, default 30)
  --port PORT           the port the door protects (default: the check port, else SSH's, else RDP's)
  --no-secrets          leave the sequence or keys out (placeholders), e.g. to show someone
  --json                print the blocks as JSON

The output holds the door's sequence or keys (unless --no-secrets): do not paste it anywhere
others can read it.
`;

export async function serverSetupCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    nft: { type: 'boolean' },
    nat: { type: 'string' },
    set: { type: 'string' },
    'stop-after': { type: 'string' },
    port: { type: 'string' },
    'no-secrets': { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(SERVER_SETUP_HELP);
    return EXIT_OK;
  }
  const [name, extra] = positionals;
  if (name === undefined || extra !== undefined) {
    throw new UsageError(
      'give one server name: sesame server-setup NAME (quote a name with spaces)',
    );
  }
  let options: SetupOptions;
  try {
    options = {
      firewall: values.nft ? 'nftables' : 'iptables',
      ...(values.nat !== undefined && { nat: parseNatTarget(values.nat) }),
      ...(values.set !== undefined && { setName: values.set }),
      ...(values['stop-after'] !== undefined && {
        stopAfterSeconds: intOption('--stop-after', values['stop-after'], 1, 86_400),
      }),
      ...(values.port !== undefined && { port: intOption('--port', values.port, 1, 65535) }),
      withSecrets: !values['no-secrets'],
    };
  } catch (error) {
    if (error instanceof SetupError) throw new UsageError(error.message);
    throw error;
  }
  const context = openContext(io);
  const server = context.repository.requireServer(name);
  const secret = options.withSecrets ? await context.repository.secretOf(server) : undefined;
  let setup: ServerSetup;
  try {
    setup = serverSetup(server, secret, options);
  } catch (error) {
    if (error instanceof SetupError) throw new UsageError(error.message);
    throw error;
  }
  for (const warning of setup.warnings) io.err(`sesame: warning: ${warning}\n`);
  io.out(values.json ? `${JSON.stringify(setup)}\n` : formatSetup(setup));
  return EXIT_OK;
}

/** Each block under a comment with its title, where it goes, and its sentence. */
export function formatSetup(setup: ServerSetup): string {
  return setup.blocks
    .map((block) => {
      const title = `# ${block.title}${block.file === undefined ? '' : ` (${block.file})`}`;
      return `${title}\n${wrap(block.explanation)
        .map((line) => `# ${line}\n`)
        .join('')}${block.text}`;
    })
    .join('\n');
}

function wrap(text: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
