import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Reading the rc file itself. It holds keys, so it must be the user's own and closed to everyone
 * else: fwknop warns about a file with other permissions than 0600 and reads it anyway; Sesame
 * refuses it with the same advice. Writing goes through writeFileAtomic, mode 0600.
 */
export class FwknoprcFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FwknoprcFileError';
  }
}

/** `$HOME/.fwknoprc`, where fwknop looks. */
export function defaultFwknoprcPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME ?? env.USERPROFILE ?? homedir(), '.fwknoprc');
}

/**
 * The file's text, or undefined when there is none; refuses one others may read or write, or
 * that belongs to someone else (`uid`: the user Sesame runs as).
 */
export async function readFwknoprcFile(
  path: string,
  uid: number | undefined = process.getuid?.(),
): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FwknoprcFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FwknoprcFileError(`${path} is not a regular file`);
    if (process.platform !== 'win32') {
      if ((info.mode & 0o077) !== 0) {
        const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
        throw new FwknoprcFileError(
          `${path} has mode ${mode}, but it holds keys: its permissions should only be user read/write (0600, -rw-------); run chmod 600 ${path}`,
        );
      }
      if (uid !== undefined && info.uid !== uid) {
        throw new FwknoprcFileError(
          `${path} is not owned by you (uid ${uid}): Sesame reads only your own`,
        );
      }
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
