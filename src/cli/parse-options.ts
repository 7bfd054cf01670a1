import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `util.parseArgs` with errors a person can act on: `unknown option "-x"` instead of Node's
 * developer-facing text. Option values stay strings; each command checks its own.
 */
export function parseOptions<T extends Options>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(error, options));
  }
}

function describeParseError(error: unknown, options: Options): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = (/'([^']+)'/.exec(message)?.[1] ?? '').replace(/ <value>$/, '');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option "${option}" (see --help)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('ambiguous')) {
        const long = Object.entries(options).find(
          ([name, o]) => `-${o.short}` === option || `--${name}` === option,
        )?.[0];
        const form = long === undefined ? `${option}=-…` : `--${long}=-…`;
        return `option "${option}" needs a value; to give one that starts with "-", write ${form}`;
      }
      return message.includes('argument missing')
        ? `option "${option}" needs a value`
        : `option "${option}" takes no value`;
    default:
      return message;
  }
}

/** Reads a whole number option within bounds, naming the option when it is wrong. */
export function intOption(name: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} "${text}" is not a whole number from ${min} to ${max}`);
  }
  return value;
}
