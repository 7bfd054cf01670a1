import { type ClipboardEvent, type DragEvent, useId, useState } from 'react';
import { parseSequence } from '../../../../src/knock/sequence.js';
import { Icon } from '../../ui/icons.js';
import { type HitRow, hitErrors, hitRow, rowsOf, validHits } from './form-model.js';
import { adviseSequence, generateSequence } from '../../../../src/knock/sequence-advice.js';

interface SequenceEditorProps {
  readonly hits: readonly HitRow[];
  readonly onChange: (hits: HitRow[]) => void;
  /** The sequence's error as the core's schema says it (shown once the person has been here). */
  readonly error: string | undefined;
  readonly showErrors: boolean;
}

/**
 * A row per hit: port and protocol, moved with the arrow buttons (or dragged), removed, added.
 * Pasting `7000,8000:udp,9000` into a port, or into the text box, fills the rows. Advice from the
 * article shows under it, and a button makes a strong random sequence.
 */
export function SequenceEditor({ hits, onChange, error, showErrors }: SequenceEditorProps) {
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<string>();
  const [dragged, setDragged] = useState<number>();
  const pasteId = useId();
  const adviceId = useId();
  const errors = hitErrors(hits);
  const advice = adviseSequence(validHits(hits));

  const update = (key: number, patch: Partial<HitRow>) =>
    onChange(hits.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  const move = (index: number, to: number) => {
    if (to < 0 || to >= hits.length) return;
    const next = hits.slice();
    const [row] = next.splice(index, 1);
    if (row !== undefined) next.splice(to, 0, row);
    onChange(next);
  };
  const applyText = (text: string): boolean => {
    try {
      onChange(rowsOf(parseSequence(text)));
      setPasteError(undefined);
      return true;
    } catch (problem) {
      setPasteError((problem as Error).message);
      return false;
    }
  };
  const onPastePort = (event: ClipboardEvent<HTMLInputElement>) => {
    const text = event.clipboardData.getData('text');
    if (/[,\s:]/.test(text.trim())) {
      event.preventDefault();
      applyText(text);
    }
  };
  const onDrop = (event: DragEvent, index: number) => {
    event.preventDefault();
    const from = hits.findIndex((row) => row.key === dragged);
    if (from !== -1) move(from, index);
    setDragged(undefined);
  };

  return (
    <div className="sequence-editor">
      <ol className="hits" aria-label="Knock sequence">
        {hits.map((row, index) => {
          const rowError = showErrors ? errors.get(row.key) : undefined;
          const n = index + 1;
          return (
            <li
              key={row.key}
              className={dragged === row.key ? 'hit dragging' : 'hit'}
              draggable
              onDragStart={() => setDragged(row.key)}
              onDragEnd={() => setDragged(undefined)}
              onDragOver={(event) => event.preventDefault()}
              onDrop={(event) => onDrop(event, index)}
            >
              <span className="hit-grip" aria-hidden="true">
                <Icon name="grip" />
              </span>
              <span className="hit-number" aria-hidden="true">
                {n}
              </span>
              <input
                className="hit-port"
                value={row.port}
                inputMode="numeric"
                aria-label={`Hit ${n} port`}
                aria-invalid={rowError !== undefined}
                placeholder="port"
                onChange={(event) => update(row.key, { port: event.target.value })}
                onPaste={onPastePort}
              />
              <select
                className="hit-protocol"
                value={row.protocol}
                aria-label={`Hit ${n} protocol`}
                onChange={(event) =>
                  update(row.key, { protocol: event.target.value as 'tcp' | 'udp' })
                }
              >
                <option value="tcp">TCP</option>
                <option value="udp">UDP</option>
              </select>
              <button
                type="button"
                className="button icon-button"
                aria-label={`Move hit ${n} up`}
                disabled={index === 0}
                onClick={() => move(index, index - 1)}
              >
                <Icon name="up" />
              </button>
              <button
                type="button"
                className="button icon-button"
                aria-label={`Move hit ${n} down`}
                disabled={index === hits.length - 1}
                onClick={() => move(index, index + 1)}
              >
                <Icon name="down" />
              </button>
              <button
                type="button"
                className="button icon-button"
                aria-label={`Remove hit ${n}`}
                onClick={() => onChange(hits.filter((other) => other.key !== row.key))}
              >
                <Icon name="remove" />
              </button>
              {rowError !== undefined && <span className="error-text hit-error">{rowError}</span>}
            </li>
          );
        })}
      </ol>
      <div className="sequence-tools">
        <button type="button" className="button" onClick={() => onChange([...hits, hitRow('')])}>
          <Icon name="plus" /> Add hit
        </button>
        <button
          type="button"
          className="button"
          onClick={() => onChange(rowsOf(generateSequence()))}
        >
          <Icon name="dice" /> Generate a strong sequence
        </button>
      </div>
      <div className="paste-row">
        <label htmlFor={pasteId}>Or paste a sequence</label>
        <div className="inline">
          <input
            id={pasteId}
            value={pasted}
            placeholder="7000,8000:udp,9000"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={pasteError !== undefined}
            onChange={(event) => setPasted(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') {
                event.preventDefault();
                if (applyText(pasted)) setPasted('');
              }
            }}
          />
          <button
            type="button"
            className="button"
            onClick={() => {
              if (applyText(pasted)) setPasted('');
            }}
          >
            Use
          </button>
        </div>
        {pasteError !== undefined && <p className="error-text">{pasteError}</p>}
      </div>
      {showErrors && error !== undefined && errors.size === 0 && (
        <p className="error-text">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
      {advice.length > 0 && (
        <div className="advice" id={adviceId} role="note" aria-label="Sequence advice">
          <p className="advice-title">Advice for this sequence</p>
          <ul>
            {advice.map((item) => (
              <li key={item.code} data-advice={item.code}>
                {item.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
