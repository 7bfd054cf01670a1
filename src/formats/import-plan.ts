import { describeIssues } from '../lib/describe-issues.js';
import { serverDraftSchema, type ServerProfile } from '../servers/server-profile.js';
import { checkSecret, type ServerRepository } from '../servers/server-repository.js';
import { importFwknoprc } from './fwknoprc-import.js';
import type { ImportFormat, Importer, ImportInput, ImportIssue } from './import-types.js';
import { importKnockdConf } from './knockd-import.js';
import { importSesameExport } from './sesame-import.js';
import { isShareLink } from './share-link.js';

/**
 * An import in two steps, for the window and the command alike: `planImport` reads the file and
 * checks every server it would save (nothing is written), `applyImport` saves the chosen servers
 * all together, or none of them. A plan is cheap to make again, so the window sends the file and
 * the person's choices once more to apply them: no state is kept between the two.
 */

/** What to do when a server of the file has the name of one already saved. */
export type ClashPolicy = 'refuse' | 'rename';

export interface ImportOptions extends ImportInput {
  readonly format?: ImportFormat | 'auto';
  /** The doors, stanzas or servers to import, by their name in the file; all when absent. */
  readonly only?: readonly string[];
  readonly onClash?: ClashPolicy;
}

export interface PlannedServer {
  /** The name in the file. */
  readonly source: string;
  readonly line?: number;
  /** The name it is saved under (the source's, or with a suffix when renamed). */
  readonly name: string;
  readonly method?: 'knock' | 'spa';
  readonly host?: string;
  readonly selected: boolean;
  /** The draft, not yet checked; the profile the window may show (it holds no secret). */
  readonly draft?: Readonly<Record<string, unknown>>;
  readonly secret?: unknown;
  readonly hasSecret: boolean;
  readonly warnings: readonly string[];
  readonly problems: readonly string[];
}

export interface ImportPlan {
  readonly format: ImportFormat;
  readonly servers: readonly PlannedServer[];
  readonly issues: readonly ImportIssue[];
  /** Export files: whether the secrets are absent, still locked (no or a wrong passphrase), or opened. */
  readonly secrets: 'none' | 'locked' | 'opened';
  /** Nothing stops the chosen servers from being saved. */
  readonly ready: boolean;
}

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Which format a text is in, when the person did not say. */
export function detectFormat(text: string): ImportFormat {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || isShareLink(trimmed)) return 'sesame';
  const lines = text.split('\n').map((line) => line.trim());
  const meaningful = lines.filter(
    (line) => line !== '' && !line.startsWith('#') && !line.startsWith(';'),
  );
  if (meaningful.some((line) => /^\[options\]$/i.test(line) || /^[A-Za-z_0-9]+\s*=/.test(line))) {
    return 'knockd';
  }
  return 'fwknoprc';
}

export async function planImport(
  text: string,
  options: ImportOptions,
  existingNames: readonly string[],
): Promise<ImportPlan> {
  const format =
    options.format === undefined || options.format === 'auto' ? detectFormat(text) : options.format;
  const importer: Importer =
    format === 'knockd'
      ? importKnockdConf(text, options)
      : format === 'fwknoprc'
        ? importFwknoprc(text, options)
        : await importSesameExport(text, options);
  const issues = [...importer.issues];
  const wanted = options.only?.map((name) => name.toLowerCase());
  const sources = importer.candidates.map((candidate) => candidate.source);
  for (const name of options.only ?? []) {
    if (!sources.some((source) => source.toLowerCase() === name.toLowerCase())) {
      issues.push({
        severity: 'error',
        message: `the file has no ${noun(format)} "${name}" (it has ${sources.length === 0 ? 'none' : sources.join(', ')})`,
      });
    }
  }
  const taken = new Set(existingNames.map((name) => name.toLowerCase()));
  const servers = importer.candidates.map((candidate): PlannedServer => {
    const selected = wanted === undefined || wanted.includes(candidate.source.toLowerCase());
    const problems = [...candidate.problems];
    const warnings = [...candidate.warnings];
    const draft = candidate.draft as Record<string, unknown> | undefined;
    const sourceName = typeof draft?.name === 'string' ? draft.name : candidate.source;
    let name = sourceName;
    // A server already refused for its own reasons is not also checked for its name.
    if (selected && draft !== undefined && problems.length === 0) {
      if (taken.has(name.trim().toLowerCase())) {
        const free = freeName(name, taken);
        if (options.onClash === 'rename') {
          name = free;
          warnings.push(`a server named "${sourceName}" exists: this one is saved as "${free}"`);
        } else {
          problems.push(
            `a server named "${sourceName}" already exists: rename it there first, or import with renaming (it would be saved as "${free}")`,
          );
        }
      }
      taken.add(name.trim().toLowerCase());
      if (problems.length === 0) problems.push(...check({ ...draft, name }, candidate.secret));
    }
    const method = (draft?.method as { kind?: unknown } | undefined)?.kind;
    return {
      source: candidate.source,
      ...(candidate.line !== undefined && { line: candidate.line }),
      name,
      ...((method === 'knock' || method === 'spa') && { method }),
      ...(typeof draft?.host === 'string' && draft.host !== '' && { host: draft.host }),
      selected,
      ...(draft !== undefined && { draft: { ...draft, name } }),
      secret: candidate.secret,
      hasSecret: candidate.secret !== undefined,
      warnings,
      problems,
    };
  });
  const chosen = servers.filter((server) => server.selected);
  const unknownPicked = issues.length > importer.issues.length;
  if (importer.candidates.length > 0 && chosen.length === 0 && !unknownPicked) {
    issues.push({ severity: 'error', message: 'nothing is chosen to import' });
  }
  const ready =
    !issues.some((issue) => issue.severity === 'error') &&
    chosen.length > 0 &&
    chosen.every((server) => server.problems.length === 0 && server.draft !== undefined);
  return { format, servers, issues, secrets: importer.secrets ?? 'none', ready };
}

/** Checks a draft and its secret as saving would, without saving; the reasons, if any. */
function check(draft: Record<string, unknown>, secret: unknown): string[] {
  const parsed = serverDraftSchema.safeParse(draft);
  if (!parsed.success) return [describeIssues(parsed.error)];
  try {
    checkSecret(parsed.data, secret);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

function freeName(name: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n += 1) {
    const suffix = ` (${n})`;
    const candidate = `${name.trim().slice(0, 64 - suffix.length)}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

function noun(format: ImportFormat): string {
  return format === 'knockd' ? 'door' : format === 'fwknoprc' ? 'stanza' : 'server';
}

/** Every reason the plan cannot be applied, one a line, with where it is. */
export function describePlanProblems(plan: ImportPlan): string[] {
  const lines = plan.issues
    .filter((issue) => issue.severity === 'error')
    .map((issue) =>
      issue.line === undefined ? issue.message : `line ${issue.line}: ${issue.message}`,
    );
  for (const server of plan.servers.filter((s) => s.selected)) {
    for (const problem of server.problems) {
      // A problem on a line of its own names that line rather than the header's.
      const onLine = /^line (\d+): ([\s\S]*)$/.exec(problem);
      lines.push(
        onLine
          ? `line ${onLine[1]}, ${describeSource(plan.format, { source: server.source })}: ${onLine[2]}`
          : `${describeSource(plan.format, server)}: ${problem}`,
      );
    }
  }
  return lines;
}

export function describeSource(
  format: ImportFormat,
  server: Pick<PlannedServer, 'source' | 'line'>,
): string {
  const where = server.line === undefined ? '' : ` (line ${server.line})`;
  return format === 'sesame' ? `"${server.source}"` : `[${server.source}]${where}`;
}

/**
 * Saves the chosen servers of a plan, all or none. A plan that is not ready is refused with every
 * reason; nothing is written then.
 */
export async function applyImport(
  plan: ImportPlan,
  repository: Pick<ServerRepository, 'addMany'>,
): Promise<ServerProfile[]> {
  if (!plan.ready) {
    const problems = describePlanProblems(plan);
    throw new ImportError(`nothing was imported: ${problems.join('; ') || 'nothing is chosen'}`);
  }
  const chosen = plan.servers.filter((server) => server.selected);
  return repository.addMany(
    chosen.map((server) => ({ draft: server.draft, secret: server.secret })),
  );
}
