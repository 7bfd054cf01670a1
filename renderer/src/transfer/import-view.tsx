import { useCallback, useMemo, useRef, useState } from 'react';
import type { CallInput, CallOutput } from '../../../src/api/contract.js';
import { importInputSchema } from '../../../src/api/transfer-schemas.js';
import { messageOf } from '../api/call-error.js';
import { useCore } from '../state/core-context.js';
import { Checkbox, TextAreaField, TextField } from '../ui/field.js';
import { Icon } from '../ui/icons.js';
import { useToast } from '../ui/toasts.js';
import { FilePick } from './file-pick.js';
import { ImportItem } from './import-item.js';
import { Note } from './note.js';
import { schemaMessages } from './schema-messages.js';
import { useSettledCall } from './use-settled-call.js';
import { ViewHeader } from './view-header.js';

type Preview = CallOutput<'import.preview'>;
type ImportInput = CallInput<'import.preview'>;

const FORMAT_NAMES: Record<Preview['format'], string> = {
  knockd: 'knockd.conf',
  fwknoprc: 'fwknop client settings (.fwknoprc)',
  sesame: 'Sesame export',
};

/** How long typing may pause before the file is read again. */
const SETTLE_MS = 350;

/**
 * Import servers from a file or pasted text, in two steps with nothing kept in between: every
 * change asks the core for a fresh preview (import.preview) of exactly what would be saved, and
 * Import sends the same input again (import.apply), which saves all the chosen servers or none.
 * The text may hold sequences or sealed keys: it lives only in this view and is dropped when the
 * view closes.
 */
export function ImportView({ onDone }: { onDone: () => void }) {
  const { api } = useCore();
  const toast = useToast();
  const heading = useRef<HTMLHeadingElement>(null);
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [host, setHost] = useState('');
  const [rename, setRename] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [unlockWith, setUnlockWith] = useState<string>();
  const [chosen, setChosen] = useState<ReadonlySet<string>>();
  /** The one_time_sequences files of knockd doors, by door name: secrets, like the text. */
  const [oneTimeLists, setOneTimeLists] = useState<Readonly<Record<string, string>>>({});
  const [readError, setReadError] = useState<string>();
  const [applyError, setApplyError] = useState<string>();
  const [applying, setApplying] = useState(false);

  const input = useMemo<ImportInput>(() => {
    const lists = given(oneTimeLists);
    return {
      text,
      format: 'auto',
      ...(host.trim() !== '' && { host: host.trim() }),
      ...(chosen !== undefined && { only: [...chosen] }),
      ...(lists !== undefined && { oneTimeLists: lists }),
      ...(unlockWith !== undefined && { passphrase: unlockWith }),
      onClash: rename ? 'rename' : 'refuse',
    };
  }, [text, host, chosen, oneTimeLists, unlockWith, rename]);
  const key = JSON.stringify(input);
  const invalid = schemaMessages(importInputSchema, input);
  const hasText = text.trim() !== '';

  const run = useCallback(
    (request: string) => api.invoke('import.preview', JSON.parse(request) as ImportInput),
    [api],
  );
  const [preview, forgetPreview] = useSettledCall(
    hasText && invalid.size === 0 ? key : undefined,
    run,
    SETTLE_MS,
  );
  const previewError = readError ?? preview?.error;

  /** Forget the text, the one-time lists, the passphrase and the preview: they hold secrets. */
  const forget = () => {
    setText('');
    setOneTimeLists({});
    setFileName(undefined);
    setPassphrase('');
    setUnlockWith(undefined);
    setChosen(undefined);
    forgetPreview();
  };
  const close = () => {
    forget();
    onDone();
  };
  const newText = (next: string, name?: string) => {
    setText(next);
    setFileName(name);
    setChosen(undefined);
    setApplyError(undefined);
    setReadError(undefined);
  };
  const shown = preview?.value;
  const current = preview !== undefined && preview.key === key;
  const selectedNow = (source: string, selected: boolean) => chosen?.has(source) ?? selected;
  const toggle = (source: string, on: boolean) => {
    const base =
      chosen ?? new Set(shown?.servers.filter((s) => s.selected).map((s) => s.source) ?? []);
    const next = new Set(base);
    if (on) next.add(source);
    else next.delete(source);
    setChosen(next);
    setApplyError(undefined);
  };
  const setOneTimeList = (door: string, list: string) => {
    setOneTimeLists((lists) => ({ ...lists, [door]: list }));
    setApplyError(undefined);
  };
  const count = shown?.servers.filter((s) => selectedNow(s.source, s.selected)).length ?? 0;
  const needsHost =
    shown !== undefined &&
    (shown.format === 'knockd' || host !== '' || shown.servers.some((s) => s.host === undefined));
  const ready = current && shown?.ready === true;
  const canImport = hasText && ready && count > 0 && !applying;

  const apply = async () => {
    if (!canImport) return;
    setApplying(true);
    setApplyError(undefined);
    try {
      const { servers } = await api.invoke('import.apply', input);
      toast(
        servers.length === 1
          ? `Imported ${servers[0]?.name ?? 'one server'}.`
          : `Imported ${servers.length} servers: ${servers.map((s) => s.name).join(', ')}.`,
        'success',
      );
      close();
    } catch (error) {
      setApplyError(messageOf(error));
      heading.current?.focus();
    } finally {
      setApplying(false);
    }
  };

  return (
    <section className="page transfer" aria-labelledby="import-title">
      <ViewHeader
        id="import-title"
        title="Import servers"
        subtitle="From a knockd.conf, an .fwknoprc, a Sesame export or a sesame:// link. Nothing is saved until you choose Import."
        headingRef={heading}
      />
      {applyError !== undefined && (
        <div className="banner banner-error" role="alert">
          <strong>Nothing was imported.</strong> {applyError.replace(/^nothing was imported: /, '')}
        </div>
      )}

      <fieldset className="section">
        <legend>What to import</legend>
        <div className="file-row">
          <FilePick
            onText={(read, name) => newText(read, name)}
            onError={(name) => setReadError(`could not read ${name}`)}
          >
            Choose a file…
          </FilePick>
          {fileName !== undefined && (
            <span className="muted">
              Read from <span className="mono">{fileName}</span>
            </span>
          )}
        </div>
        <TextAreaField
          label="Or paste its text"
          rows={7}
          value={text}
          onChange={(next) => newText(next)}
          error={invalid.get('text') ?? previewError}
          hint="Sesame tells the format apart by its look."
          placeholder={'[openSSH]\n  sequence = 7000,8000,9000\n  …'}
        />
      </fieldset>

      {shown !== undefined && hasText && (
        <>
          <fieldset className="section">
            <legend>How to import</legend>
            {needsHost && (
              <TextField
                label="Host"
                value={host}
                onChange={setHost}
                error={invalid.get('host')}
                placeholder="gateway.example.com or 203.0.113.7"
                hint="knockd.conf does not name its server: the host of every door."
                className="narrow"
              />
            )}
            {(shown.secrets === 'locked' || unlockWith !== undefined) && (
              <form
                className="unlock"
                onSubmit={(event) => {
                  event.preventDefault();
                  if (passphrase !== '') setUnlockWith(passphrase);
                }}
              >
                <TextField
                  label="Passphrase of the export"
                  type="password"
                  value={passphrase}
                  onChange={setPassphrase}
                  hint={
                    shown.secrets === 'opened'
                      ? 'Opened: the sequences and keys will be imported with the servers.'
                      : 'Its sequences and keys are sealed with the passphrase chosen when it was exported.'
                  }
                />
                <button type="submit" className="button" disabled={passphrase === ''}>
                  <Icon name="key" /> Open
                </button>
              </form>
            )}
            <Checkbox
              label="When a name is already taken, import it as “name (2)”"
              checked={rename}
              onChange={setRename}
              hint="Otherwise such a server stops the import until you leave it out."
            />
          </fieldset>

          <fieldset className="section" aria-busy={!current}>
            <legend>Found in the file</legend>
            <p className="found-format">
              <span className="format-tag">{FORMAT_NAMES[shown.format]}</span>{' '}
              {shown.servers.length === 0
                ? 'No server in it.'
                : `${shown.servers.length} ${shown.servers.length === 1 ? 'server' : 'servers'}, ${count} chosen.`}
            </p>
            {shown.issues.length > 0 && (
              <ul className="issues" aria-label="Problems of the file">
                {shown.issues.map((issue, index) => (
                  <Note key={index} severity={issue.severity}>
                    {issue.line !== undefined && (
                      <span className="line-ref">Line {issue.line}: </span>
                    )}
                    {issue.message}
                  </Note>
                ))}
              </ul>
            )}
            {shown.servers.length > 0 && (
              <ul className="import-list" aria-label="Servers in the file">
                {shown.servers.map((server) => (
                  <ImportItem
                    key={server.source}
                    server={server}
                    checked={selectedNow(server.source, server.selected)}
                    onChange={(on) => toggle(server.source, on)}
                    {...(shown.format === 'knockd' &&
                      isOneTime(server) && {
                        oneTimeList: {
                          text: oneTimeLists[server.source] ?? '',
                          onChange: (list: string) => setOneTimeList(server.source, list),
                          error: invalid.get(`oneTimeLists.${server.source}`),
                        },
                      })}
                  />
                ))}
              </ul>
            )}
          </fieldset>
        </>
      )}

      <footer className="form-footer">
        <div className="form-status" aria-live="polite">
          {hasText && !current && invalid.size === 0 && previewError === undefined && 'Reading…'}
          {current && !ready && count > 0 && 'Fix or leave out what is marked to import.'}
        </div>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!canImport}
          onClick={() => void apply()}
        >
          <Icon name="download" />{' '}
          {applying ? 'Importing…' : count === 1 ? 'Import 1 server' : `Import ${count} servers`}
        </button>
      </footer>
    </section>
  );
}

/** A knockd door that reads its sequences from a one_time_sequences file on the server. */
function isOneTime(server: Preview['servers'][number]): boolean {
  const method = server.profile?.method;
  return (
    typeof method === 'object' && method !== null && 'oneTime' in method && method.oneTime === true
  );
}

/** The lists given so far (an emptied field gives none), or undefined when there is none. */
function given(lists: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const entries = Object.entries(lists).filter(([, list]) => list.trim() !== '');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
