/**
 * The syntax of fwknop's ~/.fwknoprc (client/config_init.c): `[name]` starts a stanza, names
 * compare without regard to case; a parameter line is `KEY<whitespace>VALUE`, where the value
 * stops at a space, a tab, `;` or `#` and `=` is no separator; lines starting with `#` or `;`
 * are comments. This file reads the lines; fwknoprc-settings.ts gives the keys their meaning.
 */
export interface RcEntry {
  readonly key: string;
  readonly value: string;
  /** 1-based line number, for messages that say where to look. */
  readonly line: number;
}

export interface RcStanza {
  readonly name: string;
  readonly line: number;
  readonly entries: readonly RcEntry[];
}

export interface RcSyntaxIssue {
  readonly line: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface ParsedFwknoprc {
  readonly stanzas: readonly RcStanza[];
  readonly issues: readonly RcSyntaxIssue[];
}

/** The stanza fwknop always reads first. */
export const DEFAULT_STANZA = 'default';

const SECTION = /^\s*\[([^\]]*)\]/;
// fwknop's sscanf("%s %[^ ;\t\n\r#]"): a word, blanks, then the value up to a blank, ; or #.
const PARAM = /^(\S+)[ \t]+([^ ;\t\r\n#]+)(.*)$/;

export function parseFwknoprc(text: string): ParsedFwknoprc {
  const stanzas: { name: string; line: number; entries: RcEntry[] }[] = [];
  const issues: RcSyntaxIssue[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const content = raw.replace(/\r$/, '');
    const trimmed = content.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const section = SECTION.exec(content);
    if (section) {
      stanzas.push({ name: (section[1] ?? '').trim(), line, entries: [] });
      continue;
    }
    if (trimmed.startsWith('[')) {
      issues.push({ line, severity: 'error', message: 'a stanza name needs its closing "]"' });
      continue;
    }
    const current = stanzas[stanzas.length - 1];
    const param = PARAM.exec(trimmed);
    if (!param) {
      issues.push({
        line,
        severity: 'error',
        message: `"${shorten(trimmed)}" is not KEY VALUE (a key, then blanks, then its value)`,
      });
      continue;
    }
    // fwknop drops a colon from the key ("KEY_BASE64:" reads as KEY_BASE64).
    const key = (param[1] ?? '').replace(/:[^:]*$/, '');
    const value = param[2] ?? '';
    const rest = (param[3] ?? '').trim();
    if (rest !== '' && !rest.startsWith('#') && !rest.startsWith(';')) {
      issues.push({
        line,
        severity: 'error',
        message: `${key}: fwknop reads only "${shorten(value)}" and ignores "${shorten(rest)}" (a value cannot hold blanks)`,
      });
      continue;
    }
    if (!current) {
      issues.push({
        line,
        severity: 'warning',
        message: `${key} is outside any stanza, so fwknop ignores it: put it under [default] or a [name]`,
      });
      continue;
    }
    current.entries.push({ key, value, line });
  }
  return { stanzas, issues };
}

/** The stanzas called `name` (fwknop compares names without regard to case), in file order. */
export function findStanzas(parsed: ParsedFwknoprc, name: string): RcStanza[] {
  const wanted = name.toLowerCase();
  return parsed.stanzas.filter((stanza) => stanza.name.toLowerCase() === wanted);
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
