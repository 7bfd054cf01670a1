import { spaKeysFrom, spaOptionsFrom, type SpaArgs } from '../cli/spa-args.js';
import { spaSecretOf } from '../servers/spa-secret-keys.js';
import type { ServerDraft } from '../servers/server-profile.js';
import { resolveFwknoprc } from './fwknoprc-settings.js';
import { DEFAULT_STANZA, parseFwknoprc, type RcStanza } from './fwknoprc.js';
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
  // A stanza owns every line from its header to the next header: its syntax errors too.
  const owner = (line: number) =>
    [...parsed.stanzas].reverse().find((stanza) => stanza.line <= line);
  const ownedBy = (line: number, stanza: RcStanza): boolean => owner(line) === stanza;
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
    const stanza = owner(issue.line);
    if (stanza === undefined || stanza.name.toLowerCase() === DEFAULT_STANZA)
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
    const own = [...result.issues].sort((a, b) => a.line - b.line);
    const problems = own
      .filter((issue) => issue.severity === 'error' && ownedBy(issue.line, stanza))
      .map((issue) => `line ${issue.line}: ${issue.message}`);
    const warnings = own
      .filter((issue) => issue.severity === 'warning' && ownedBy(issue.line, stanza))
      .map((issue) => `line ${issue.line}: ${issue.message}`);
    candidates.push(
      stanzaCandidate(stanza.name, stanza.line, result.settings, input, problems, warnings),
    );
  }
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
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
    if (!problems.some((problem) => problem.includes('ACCESS'))) {
      problems.push('the stanza has no ACCESS: say what to open, e.g. ACCESS tcp/22');
    }
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
      if (!problems.some((problem) => problem.includes('KEY')))
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
