import { defaultFwknoprcPath, readFwknoprcFile } from '../formats/fwknoprc-file.js';
import {
  type FwknoprcIssue,
  type FwknoprcSettings,
  resolveFwknoprc,
} from '../formats/fwknoprc-settings.js';
import { parseFwknoprc } from '../formats/fwknoprc.js';
import { type CliIo, UsageError } from './cli-io.js';
import type { SpaArgs } from './spa-args.js';

/** Reads ~/.fwknoprc (or --rc-file): [default] and the -n stanza. Undefined when it has errors. */
export async function loadRc(values: SpaArgs, io: CliIo): Promise<FwknoprcSettings | undefined> {
  const name = values['named-config'];
  if (values['no-rc-file']) {
    if (name !== undefined) throw new UsageError('-n and --no-rc-file exclude each other');
    return {};
  }
  const path = values['rc-file'] ?? defaultFwknoprcPath();
  const text = await readFwknoprcFile(path).catch((error: unknown) => {
    throw new UsageError((error as Error).message);
  });
  if (text === undefined) {
    if (name !== undefined && !values['save-rc-stanza']) {
      throw new UsageError(`there is no ${path}, so no stanza [${name}] to read`);
    }
    return {};
  }
  // With --save-rc-stanza the named stanza is what gets written, so only [default] is read.
  const stanza = values['save-rc-stanza'] ? undefined : name;
  const result = resolveFwknoprc(parseFwknoprc(text), path, stanza);
  if (!result.found) {
    throw new UsageError(`the stanza [${name ?? ''}] was not found in ${path}`);
  }
  for (const issue of result.issues) io.err(describeIssue(issue));
  return result.issues.some((issue) => issue.severity === 'error') ? undefined : result.settings;
}

function describeIssue(issue: FwknoprcIssue): string {
  const kind = issue.severity === 'warning' ? 'warning: ' : '';
  return `sesame: ${kind}${issue.file}:${issue.line}: ${issue.message}\n`;
}
