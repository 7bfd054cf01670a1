import { useId } from 'react';
import type { CallOutput } from '../../../src/api/contract.js';
import { Note } from './note.js';

type FoundServer = CallOutput<'import.preview'>['servers'][number];

interface ImportItemProps {
  readonly server: FoundServer;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
}

/** One door, stanza or server of the file: chosen or not, what it is, and what is wrong with it. */
export function ImportItem({ server, checked, onChange }: ImportItemProps) {
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
            <span className="muted">with its {server.method === 'spa' ? 'keys' : 'sequence'}</span>
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
      </div>
    </li>
  );
}
