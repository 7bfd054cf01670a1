import { useId, useState } from 'react';
import type { CallOutput } from '../../../src/api/contract.js';
import { TextAreaField } from '../ui/field.js';
import { FilePick } from './file-pick.js';
import { Note } from './note.js';

type FoundServer = CallOutput<'import.preview'>['servers'][number];

interface ImportItemProps {
  readonly server: FoundServer;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  /** A knockd door with one_time_sequences: the contents of that file, as given so far. */
  readonly oneTimeList?: {
    readonly text: string;
    readonly onChange: (text: string) => void;
    /** What the contract refuses in it (too long). */
    readonly error?: string | undefined;
  };
}

/** One door, stanza or server of the file: chosen or not, what it is, and what is wrong with it. */
export function ImportItem({ server, checked, onChange, oneTimeList }: ImportItemProps) {
  const id = useId();
  const method =
    server.method === undefined ? undefined : server.method === 'spa' ? 'SPA' : 'Knock';
  const renamed = server.name !== server.source;
  return (
    <li className={checked ? 'import-item' : 'import-item left-out'}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={`${id}-details`}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div className="import-body">
        <label htmlFor={id} className="import-name">
          {server.name}
        </label>
        <div id={`${id}-details`} className="import-details">
          {method !== undefined && <span className="method-tag">{method}</span>}
          {server.host === undefined ? (
            <span className="warning-text">no host</span>
          ) : (
            <span className="mono">{server.host}</span>
          )}
          {(renamed || server.line !== undefined) && (
            <span className="muted">
              {renamed ? `“${server.source}” in the file` : 'in the file'}
              {server.line !== undefined && `, line ${server.line}`}
            </span>
          )}
          {server.hasSecret && (
            <span className="muted">
              with its{' '}
              {server.method === 'spa'
                ? 'keys'
                : oneTimeList !== undefined
                  ? 'one-time sequences'
                  : 'sequence'}
            </span>
          )}
        </div>
        {(server.problems.length > 0 || server.warnings.length > 0) && (
          <ul className="import-notes">
            {server.problems.map((problem) => (
              <Note key={problem} severity="error">
                {problem}
              </Note>
            ))}
            {server.warnings.map((warning) => (
              <Note key={warning} severity="warning">
                {warning}
              </Note>
            ))}
          </ul>
        )}
        {oneTimeList !== undefined && checked && (
          <OneTimeList door={server.name} {...oneTimeList} />
        )}
      </div>
    </li>
  );
}

interface OneTimeListProps {
  readonly door: string;
  readonly text: string;
  readonly onChange: (text: string) => void;
  readonly error?: string | undefined;
}

/**
 * The door's one_time_sequences file, copied from the server: picked or pasted. Its sequences
 * are secret; the import view forgets them with the rest of what was imported.
 */
function OneTimeList({ door, text, onChange, error }: OneTimeListProps) {
  const [readError, setReadError] = useState<string>();
  return (
    <div className="one-time-list">
      <TextAreaField
        label={`One-time sequences of ${door}`}
        rows={3}
        value={text}
        onChange={(next) => {
          setReadError(undefined);
          onChange(next);
        }}
        error={readError ?? error}
        hint="The door's one_time_sequences file, copied from the server: choose it or paste its text."
        placeholder={'7000,8000,9000\n7100,8100,9100\n…'}
      />
      <FilePick
        onText={(read) => {
          setReadError(undefined);
          onChange(read);
        }}
        onError={(name) => setReadError(`could not read ${name}`)}
      >
        Choose the file…<span className="sr-only"> (one-time sequences of {door})</span>
      </FilePick>
    </div>
  );
}
