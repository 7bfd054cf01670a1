import { parseSequence, SequenceError } from './sequence.js';

/**
 * Reads a list of one-time sequences in the format of knockd's one_time_sequences file: one
 * sequence a line, `#` comments and blank lines skipped. knockd marks a used line by writing `#`
 * over its first character, so a list copied from the server after use skips those too.
 */
export function parseOneTimeSequences(text: string): string[] {
  const sequences: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      parseSequence(line);
    } catch (error) {
      throw new SequenceError(`line ${index + 1}: ${(error as Error).message}`);
    }
    sequences.push(line);
  });
  if (sequences.length === 0)
    throw new SequenceError('the list holds no sequence (one sequence a line, # for comments)');
  return sequences;
}
