import type { z } from 'zod';
import { formatHit, type Hit, parsePort } from '../../../../src/knock/sequence.js';
import { parseOneTimeSequences } from '../../../../src/knock/one-time-sequences.js';
import { type ServerProfile, serverDraftSchema } from '../../../../src/servers/server-profile.js';
import { serverSecretSchema } from '../../../../src/servers/server-secret.js';
import {
  EMPTY_SPA,
  parseAccess,
  type SpaFormState,
  spaFormFrom,
  toSpaMethod,
  toSpaSecret,
} from './spa/spa-options.js';

/**
 * The add/edit form as plain data: what the person typed (text, as typed), how it becomes the
 * draft and the secret the core takes, and the core's own schemas' messages for each field. No
 * React here, so the rules are tested on their own.
 */

export interface HitRow {
  readonly key: number;
  readonly port: string;
  readonly protocol: 'tcp' | 'udp';
}

export interface FormState {
  readonly name: string;
  readonly host: string;
  readonly family: 'auto' | 'ipv4' | 'ipv6';
  readonly method: 'knock' | 'spa';
  readonly hits: readonly HitRow[];
  readonly delayMs: string;
  readonly seqTimeoutSeconds: string;
  readonly oneTime: boolean;
  readonly oneTimeText: string;
  readonly spa: SpaFormState;
  /** Editing: the stored sequence or keys are kept unless the person enters new ones. */
  readonly replaceSecret: boolean;
  readonly checkPort: string;
  readonly checkTimeoutMs: string;
  readonly sshUser: string;
  readonly sshPort: string;
  readonly sshIdentityFile: string;
  readonly sshExtraArgs: string;
  readonly rdpEnabled: boolean;
  readonly rdpPort: string;
  readonly rdpUser: string;
  readonly onIpChange: boolean;
  readonly atStart: boolean;
  readonly keepAliveMinutes: string;
  readonly tags: string;
}

let rowKey = 1;
export const hitRow = (port: string, protocol: 'tcp' | 'udp' = 'tcp'): HitRow => ({
  key: rowKey++,
  port,
  protocol,
});
export const rowsOf = (hits: readonly Hit[]): HitRow[] =>
  hits.map((hit) => hitRow(String(hit.port), hit.protocol));

export function emptyForm(): FormState {
  return {
    name: '',
    host: '',
    family: 'auto',
    method: 'knock',
    hits: [hitRow(''), hitRow(''), hitRow('')],
    delayMs: '',
    seqTimeoutSeconds: '',
    oneTime: false,
    oneTimeText: '',
    spa: EMPTY_SPA,
    replaceSecret: true,
    checkPort: '22',
    checkTimeoutMs: '',
    sshUser: '',
    sshPort: '22',
    sshIdentityFile: '',
    sshExtraArgs: '',
    rdpEnabled: false,
    rdpPort: '3389',
    rdpUser: '',
    onIpChange: true,
    atStart: false,
    keepAliveMinutes: '',
    tags: '',
  };
}

/** A saved server back into the form; its secret stays in the keychain. */
export function formFromProfile(profile: ServerProfile): FormState {
  const method = profile.method;
  const knock = method.kind === 'knock' ? method : undefined;
  return {
    ...emptyForm(),
    name: profile.name,
    host: profile.host,
    family: profile.family,
    method: method.kind === 'spa' ? 'spa' : 'knock',
    delayMs: knock && knock.delayMs > 0 ? String(knock.delayMs) : '',
    seqTimeoutSeconds: knock ? String(knock.seqTimeoutSeconds) : '',
    oneTime: knock?.oneTime ?? false,
    spa: method.kind === 'spa' ? spaFormFrom(method) : EMPTY_SPA,
    replaceSecret: false,
    checkPort: profile.checkPort === undefined ? '' : String(profile.checkPort),
    checkTimeoutMs: String(profile.checkTimeoutMs),
    sshUser: profile.ssh?.user ?? '',
    sshPort: String(profile.ssh?.port ?? 22),
    sshIdentityFile: profile.ssh?.identityFile ?? '',
    sshExtraArgs: (profile.ssh?.extraArgs ?? []).join('\n'),
    rdpEnabled: profile.rdp !== undefined,
    rdpPort: String(profile.rdp?.port ?? 3389),
    rdpUser: profile.rdp?.user ?? '',
    onIpChange: profile.auto.onIpChange,
    atStart: profile.auto.atStart,
    keepAliveMinutes:
      profile.auto.keepAliveMinutes > 0 ? String(profile.auto.keepAliveMinutes) : '',
    tags: profile.tags.join(', '),
  };
}

/** Text as typed → what the schema gets: empty is "not given", digits a number, else NaN. */
export function numberOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** The server as the core's schema takes it (no secret). */
export function toDraft(state: FormState): Record<string, unknown> {
  const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
  const lines = (text: string) =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  return {
    name: state.name,
    host: state.host,
    family: state.family,
    method:
      state.method === 'spa'
        ? toSpaMethod(state.spa, numberOf)
        : {
            kind: 'knock',
            ...optional('delayMs', numberOf(state.delayMs)),
            ...optional('seqTimeoutSeconds', numberOf(state.seqTimeoutSeconds)),
            oneTime: state.oneTime,
          },
    ...optional('checkPort', numberOf(state.checkPort)),
    ...optional('checkTimeoutMs', numberOf(state.checkTimeoutMs)),
    ssh: {
      ...optional('user', state.sshUser.trim() || undefined),
      ...optional('port', numberOf(state.sshPort)),
      ...optional('identityFile', state.sshIdentityFile.trim() || undefined),
      extraArgs: lines(state.sshExtraArgs),
    },
    ...(state.rdpEnabled && {
      rdp: {
        ...optional('port', numberOf(state.rdpPort)),
        ...optional('user', state.rdpUser.trim() || undefined),
      },
    }),
    auto: {
      onIpChange: state.onIpChange,
      atStart: state.atStart,
      ...optional('keepAliveMinutes', numberOf(state.keepAliveMinutes)),
    },
    tags: state.tags
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
  };
}

/** Each hit row's own problem, by row key. */
export function hitErrors(rows: readonly HitRow[]): Map<number, string> {
  const errors = new Map<number, string>();
  for (const row of rows) {
    try {
      parsePort(row.port);
    } catch (error) {
      errors.set(row.key, row.port.trim() === '' ? 'give a port' : (error as Error).message);
    }
  }
  return errors;
}

/** The hits that parse, for the advice. */
export function validHits(rows: readonly HitRow[]): Hit[] {
  return rows.flatMap((row) => {
    try {
      return [{ port: parsePort(row.port), protocol: row.protocol }];
    } catch {
      return [];
    }
  });
}

/** The secret to send: undefined when editing and nothing new was entered. */
export function toSecret(state: FormState): Record<string, unknown> | undefined {
  if (!state.replaceSecret) return undefined;
  if (state.method === 'spa') return toSpaSecret(state.spa);
  if (state.oneTime) {
    try {
      return { kind: 'knock', oneTimeSequences: parseOneTimeSequences(state.oneTimeText) };
    } catch {
      return { kind: 'knock', oneTimeSequences: [] };
    }
  }
  const sequence = state.hits.map((row) =>
    formatHit({ port: Number(row.port), protocol: row.protocol }),
  );
  return { kind: 'knock', sequence: sequence.join(',') };
}

export interface Validation {
  /** The first message for each field, by path (`host`, `ssh.port`, `method.accessPorts`). */
  readonly errors: ReadonlyMap<string, string>;
  readonly valid: boolean;
}

/**
 * Checks the form with the core's own schemas: serverDraftSchema for the profile (knock or SPA),
 * the secret schema for the sequence or the keys.
 */
export function validate(state: FormState): Validation {
  const errors = new Map<string, string>();
  const add = (path: string, message: string) => {
    if (!errors.has(path)) errors.set(path, message);
  };
  const draft = toDraft(state);
  if (state.method === 'spa') {
    const access = parseAccess(state.spa.access);
    if (!access.ok) add('method.access', access.message);
    else if (access.access.length === 0) add('method.access', 'give at least one, like tcp/22');
  }
  const result = serverDraftSchema.safeParse(draft);
  if (!result.success) addIssues(result.error, add, draft);
  const secret = toSecret(state);
  if (secret !== undefined) {
    if (state.method === 'knock' && !state.oneTime) {
      for (const [, message] of hitErrors(state.hits)) add('secret.sequence', message);
      if (state.hits.length === 0)
        add('secret.sequence', 'the sequence is empty: give at least one port');
    }
    if (state.method === 'knock' && state.oneTime) {
      try {
        parseOneTimeSequences(state.oneTimeText);
      } catch (error) {
        add('secret.oneTimeSequences', (error as Error).message);
      }
    }
    const checked = serverSecretSchema.safeParse(secret);
    if (!checked.success) addIssues(checked.error, add, secret, ['secret']);
  }
  return { errors, valid: errors.size === 0 };
}

function addIssues(
  error: z.ZodError,
  add: (path: string, message: string) => void,
  input: unknown,
  prefix: string[] = [],
): void {
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    // A number field that holds letters: say so rather than the schema's type message.
    const given = valueAt(input, issue.path.map(String));
    const message =
      typeof given === 'number' && Number.isNaN(given) && !/port/.test(issue.message)
        ? 'write a whole number'
        : issue.message;
    add(fieldPath(path), message);
  }
}

/** Array members report on their list (`ssh.extraArgs.2` → `ssh.extraArgs`). */
function fieldPath(path: readonly string[]): string {
  return path.filter((part) => !/^\d+$/.test(part)).join('.');
}

function valueAt(input: unknown, path: readonly string[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
