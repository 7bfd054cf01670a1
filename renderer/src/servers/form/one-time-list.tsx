import { useId } from 'react';

interface OneTimeListProps {
  readonly text: string;
  readonly onChange: (text: string) => void;
  readonly error: string | undefined;
  readonly count: number;
}

/** knockd's one_time_sequences file, pasted as it is: one sequence a line, # for comments. */
export function OneTimeList({ text, onChange, error, count }: OneTimeListProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>One-time sequences</label>
      <textarea
        id={id}
        rows={6}
        value={text}
        spellCheck={false}
        placeholder={
          "# one sequence a line, as in knockd's one_time_sequences file\n7113,9012,4871\n6231,1408,9537"
        }
        aria-invalid={error !== undefined}
        aria-describedby={`${id}-hint${error !== undefined ? ` ${id}-error` : ''}`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        Paste the list from the server. Each knock uses the next line once the door is seen open
        {count > 0 ? ` (${count} ${count === 1 ? 'sequence' : 'sequences'} now)` : ''}.
      </p>
      {error !== undefined && (
        <p id={`${id}-error`} className="error-text">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
    </div>
  );
}
