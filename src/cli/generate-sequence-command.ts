import {
  adviseSequence,
  DEFAULT_GENERATED_HITS,
  generateSequence,
} from '../knock/sequence-advice.js';
import { formatSequence, MAX_HITS, parseSequence, SequenceError } from '../knock/sequence.js';
import { type CliIo, EXIT_OK, UsageError } from './cli-io.js';
import { intOption, parseOptions } from './parse-options.js';

export const GENERATE_SEQUENCE_HELP = `usage: sesame generate-sequence [-n HITS] [--udp] [--json]
       sesame generate-sequence --advise SEQUENCE

Prints a strong random knock sequence in knockd's syntax: distinct ports from 10000 to 65000,
none a common service port, never in order (scanners sweep ports in order). Paste it into the
server's knockd.conf (sesame server-setup writes the whole door) and into Sesame.

  -n HITS            how many hits (${3}-${MAX_HITS}, default ${DEFAULT_GENERATED_HITS})
  --udp              UDP hits (TCP is the default: UDP is easy to spoof)
  --advise SEQUENCE  say what is weak about a sequence instead (exit 1 if anything is)
  --json             print {"sequence": ..., "hits": [...]}
`;

export function generateSequenceCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    hits: { type: 'string', short: 'n' },
    udp: { type: 'boolean' },
    advise: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(GENERATE_SEQUENCE_HELP);
    return Promise.resolve(EXIT_OK);
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.advise !== undefined) {
    let hits;
    try {
      hits = parseSequence(values.advise);
    } catch (error) {
      if (error instanceof SequenceError) throw new UsageError(`--advise: ${error.message}`);
      throw error;
    }
    const advice = adviseSequence(hits);
    if (values.json) io.out(`${JSON.stringify(advice)}\n`);
    else
      io.out(
        advice.length === 0
          ? 'nothing to say: the sequence looks strong\n'
          : advice.map((a) => `- ${a.message}\n`).join(''),
      );
    return Promise.resolve(advice.length === 0 ? EXIT_OK : 1);
  }
  const length =
    values.hits === undefined ? DEFAULT_GENERATED_HITS : intOption('-n', values.hits, 3, MAX_HITS);
  const hits = generateSequence({ length, protocol: values.udp ? 'udp' : 'tcp' });
  const sequence = formatSequence(hits);
  io.out(values.json ? `${JSON.stringify({ sequence, hits })}\n` : `${sequence}\n`);
  return Promise.resolve(EXIT_OK);
}
