import { readFileSync } from 'node:fs';
import { UsageError } from './cli-io.js';

/** The largest file or pasted text the import and export commands read: 1 MiB. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** A file's text, or stdin's for "-", refused past 1 MiB; a message without the contents. */
export function readInput(
  path: string,
  what: string,
  readStdin = (): string => readFileSync(0, 'utf8'),
): string {
  let text: string;
  try {
    text = path === '-' ? readStdin() : readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} from "${path}": ${code ?? (error as Error).message}`);
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) {
    throw new UsageError(`${what} "${path}" is larger than 1 MiB: that is no file Sesame reads`);
  }
  return text;
}

/**
 * The passphrase, from a file or stdin ("-"): its first line. Never from the command line, where
 * other users of the machine can read it (ps) and the shell keeps it in its history.
 */
export function readPassphrase(source: string | undefined, needed: string): string {
  if (source === undefined) {
    throw new UsageError(
      `${needed}: give the passphrase with --passphrase-file FILE, or --passphrase-file - to type or pipe it on stdin (never on the command line)`,
    );
  }
  const text = readInput(source, 'the passphrase');
  const passphrase = text.split(/\r?\n/)[0] ?? '';
  if (passphrase === '') throw new UsageError(`the passphrase from "${source}" is empty`);
  return passphrase;
}
