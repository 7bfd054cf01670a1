import { spaKeysFrom, spaOptionsFrom, type SpaArgs } from '../cli/spa-args.js';
import { spaSecretOf } from '../servers/spa-secret-keys.js';
import type { ServerDraft } from '../servers/server-profile.js';
import { resolveFwknoprc } from './fwknoprc-settings.js';
import { DEFAULT_STANZA, parseFwknoprc } from './fwknoprc.js';
import type { ImportCandidate, Importer, ImportInput, ImportIssue } from './import-types.js';

/**
 * Every stanza of a ~/.fwknoprc but [default] as an SPA server, read exactly as `fwknop -n NAME`
 * (and `sesame spa -n NAME`) reads it: [default] first, the stanza over it. The keys become the
 * server's secret. Problems of [default] and of lines outside any stanza concern the whole file;
 * a stanza's own problems only that stanza.
 */
export function importFwknoprc(text: string, input: ImportInput, file = '.fwknoprc'): Importer {
  const parsed = parseFwknoprc(text);
  const defaults = parsed.stanzas.filter((s) => s.name.toLowerCase() === DEFAULT_STANZA);
  const named = parsed.stanzas.filter((s) => s.name.toLowerCase() !== DEFAULT_STANZA);
  const ownLines = new Map(
    named.map((s) => [s, new Set([s.line, ...s.entries.map((e) => e.line)])]),
  );
  const issues: ImportIssue[] = [];
  const seen = new Set<string>();
  const fileIssue = (issue: ImportIssue): void => {
    const key = `${issue.line ?? 0}:${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(issue);
  };
  const defaultsResult = resolveFwknoprc(parsed, file);
  for (const issue of defaultsResult.issues) {
    const inStanza = named.some((s) => ownLines.get(s)?.has(issue.line));
    if (!inStanza)
      fileIssue({ line: issue.line, severity: issue.severity, message: issue.message });
  }
  if (named.length === 0 && !issues.some((issue) => issue.severity === 'error')) {
    fileIssue({
      severity: 'error',
      message:
        defaults.length > 0
          ? 'the file has only [default]: each server is a stanza of its own, [name] then its keys'
          : 'the file has no stanza: a stanza is [name] on a line, then KEY value lines',
    });
  }
  const candidates: ImportCandidate[] = [];
  for (const [index, stanza] of named.entries()) {
    const twin = named.findIndex((s) => s.name.toLowerCase() === stanza.name.toLowerCase());
    if (twin !== index) {
      fileIssue({
        line: stanza.line,
        severity: 'error',
        message: `the stanza [${stanza.name}] is already defined on line ${named[twin]?.line ?? 0}: fwknop would merge the two; keep one`,
      });
      continue;
    }
    const result = resolveFwknoprc(parsed, file, stanza.name);
    const mine = ownLines.get(stanza) ?? new Set<number>();
    const problems = result.issues
      .filter((issue) => issue.severity === 'error' && mine.has(issue.line))
      .map((issue) => `line ${issue.line}: ${issue.message}`);
    const warnings = result.issues
      .filter((issue) => issue.severity === 'warning' && mine.has(issue.line))
      .map((issue) => `line ${issue.line}: ${issue.message}`);
    candidates.push(
      stanzaCandidate(stanza.name, stanza.line, result.settings, input, problems, warnings),
    );
  }
  return { candidates, issues };
}

function stanzaCandidate(
  name: string,
  line: number,
  settings: ReturnType<typeof resolveFwknoprc>['settings'],
  input: ImportInput,
  problems: string[],
  warnings: string[],
): ImportCandidate {
  const host = settings.server ?? input.host;
  if (host === undefined) problems.push('the stanza has no SPA_SERVER: give the host');
  if (settings.access === undefined) {
    problems.push('the stanza has no ACCESS: say what to open, e.g. ACCESS tcp/22');
    return { source: name, line, warnings, problems };
  }
  const rc = { ...settings };
  if (rc.allowIp === undefined) {
    rc.allowIp = { mode: 'resolve' };
    warnings.push('the stanza has no ALLOW_IP: Sesame will let in your public IP (as -R does)');
  }
  const none = {} as SpaArgs;
  let draft: ServerDraft | undefined;
  let secret: unknown;
  try {
    const options = spaOptionsFrom(none, rc);
    const tcp =
      options.nat.mode === 'none' ? options.access.find((a) => a.protocol === 'tcp') : undefined;
    const checkPort = input.checkPort ?? tcp?.port;
    draft = {
      name: name.slice(0, 64),
      host: host ?? '',
      method: { kind: 'spa', ...options },
      ...(checkPort !== undefined && { checkPort }),
    };
    if (rc.encryptionKey === undefined) {
      problems.push('the stanza has no key: add KEY_BASE64 (and HMAC_KEY_BASE64) to it');
    } else {
      secret = spaSecretOf(spaKeysFrom(none, rc, options));
    }
  } catch (error) {
    // The command's own readers: their messages name the option or key that is wrong.
    problems.push((error as Error).message);
  }
  return { source: name, line, ...(draft && { draft }), secret, warnings, problems };
}
