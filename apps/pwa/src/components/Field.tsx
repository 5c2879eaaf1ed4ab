import type { ReactNode } from 'react';

export type FieldControlProps = {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
  'data-path': string;
};

type FieldProps = {
  id: string;
  label: string;
  hint?: string;
  optional?: boolean;
  error: string | undefined;
  path: string;
  children: (props: FieldControlProps) => ReactNode;
};

/** A label, an optional hint, the control and its error, tied together for screen readers. */
export function Field({ id, label, hint, optional, error, path, children }: FieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="optional"> (frivilligt)</span>}
      </label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({
        id,
        'aria-describedby': describedBy || undefined,
        'aria-invalid': error ? true : undefined,
        'data-path': path,
      })}
      {error && (
        <p className="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
