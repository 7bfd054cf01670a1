import { type ReactNode, useId } from 'react';

interface FieldShellProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly children: (ids: { id: string; describedBy: string | undefined }) => ReactNode;
  readonly className?: string;
}

/** A label, the control, a hint and the schema's message, tied together for screen readers. */
export function FieldShell({ label, error, hint, children, className }: FieldShellProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [hint !== undefined ? hintId : '', error !== undefined ? errorId : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div className={className === undefined ? 'field' : `field ${className}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, describedBy })}
      {hint !== undefined && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={errorId} className="error-text">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
    </div>
  );
}

interface TextAreaFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly rows: number;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly placeholder?: string;
}

/** Text of several lines (a file, a list), never spell-checked or filled in by the browser. */
export function TextAreaField(props: TextAreaFieldProps) {
  return (
    <FieldShell label={props.label} error={props.error} hint={props.hint}>
      {({ id, describedBy }) => (
        <textarea
          id={id}
          rows={props.rows}
          value={props.value}
          spellCheck={false}
          autoComplete="off"
          placeholder={props.placeholder}
          aria-describedby={describedBy}
          aria-invalid={props.error !== undefined}
          onChange={(event) => props.onChange(event.target.value)}
        />
      )}
    </FieldShell>
  );
}

interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onBlur?: () => void;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly placeholder?: string;
  readonly inputMode?: 'numeric' | 'text';
  readonly className?: string;
  readonly autoComplete?: string;
  readonly type?: 'text' | 'password';
  readonly spellCheck?: boolean;
}

export function TextField(props: TextFieldProps) {
  return (
    <FieldShell
      label={props.label}
      error={props.error}
      hint={props.hint}
      className={props.className}
    >
      {({ id, describedBy }) => (
        <input
          id={id}
          type={props.type ?? 'text'}
          value={props.value}
          placeholder={props.placeholder}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? 'off'}
          spellCheck={props.spellCheck ?? false}
          aria-invalid={props.error !== undefined}
          aria-describedby={describedBy}
          onChange={(event) => props.onChange(event.target.value)}
          onBlur={props.onBlur}
        />
      )}
    </FieldShell>
  );
}

interface SelectFieldProps<T extends string> {
  readonly label: string;
  readonly value: T;
  readonly options: readonly { value: T; label: string }[];
  readonly onChange: (value: T) => void;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly className?: string;
}

export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  return (
    <FieldShell
      label={props.label}
      error={props.error}
      hint={props.hint}
      className={props.className}
    >
      {({ id, describedBy }) => (
        <select
          id={id}
          value={props.value}
          aria-invalid={props.error !== undefined}
          aria-describedby={describedBy}
          onChange={(event) => props.onChange(event.target.value as T)}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

interface CheckboxProps {
  readonly label: string;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly hint?: ReactNode;
}

/** A switch-like checkbox: the label beside it, the hint under. */
export function Checkbox({ label, checked, onChange, hint }: CheckboxProps) {
  const id = useId();
  return (
    <div className="check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        onChange={(event) => onChange(event.target.checked)}
      />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint !== undefined && (
          <p id={`${id}-hint`} className="hint">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
