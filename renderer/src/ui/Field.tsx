import { useId, type ReactNode } from 'react';

export interface FieldControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}

/**
 * A label, an optional hint and an error message placed beside the control, wired with ids so screen readers announce
 * the hint and the error with the control.
 */
export function Field(props: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' field--error' : ''}${props.className ? ` ${props.className}` : ''}`}>
      <label className="field__label" htmlFor={id}>
        {props.label}
        {props.optional && <span className="field__optional"> (optional)</span>}
      </label>
      {props.hint && (
        <div className="field__hint" id={hintId}>
          {props.hint}
        </div>
      )}
      {props.error && (
        <div className="field__error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {props.error}
        </div>
      )}
      {props.children({ id, 'aria-describedby': describedBy, 'aria-invalid': props.error ? true : undefined })}
    </div>
  );
}

/** A group of radios or checkboxes: a fieldset with a legend, and the error beside it. */
export function FieldGroup(props: { legend: string; hint?: ReactNode; error?: string | undefined; className?: string; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset
      className={`field fieldset${props.error ? ' field--error' : ''}${props.className ? ` ${props.className}` : ''}`}
      aria-describedby={[props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
    >
      <legend className="field__label">{props.legend}</legend>
      {props.hint && (
        <div className="field__hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
      {props.error && (
        <div className="field__error" id={`${id}-error`}>
          <span className="visually-hidden">Error: </span>
          {props.error}
        </div>
      )}
      {props.children}
    </fieldset>
  );
}

/** The summary above a form that failed, listing each problem as a link to its field (GOV.UK's error summary). */
export function ErrorSummary(props: { message?: string | undefined; errors: Record<string, string>; labels?: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (!props.message && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h3 className="error-summary__title">{entries.length ? 'There is a problem' : props.message}</h3>
      {entries.length > 0 && (
        <ul>
          {entries.map(([k, v]) => (
            <li key={k}>
              {props.labels?.[k] ? `${props.labels[k]}: ` : ''}
              {v}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A Field whose control is a plain select, with an optional empty first option. */
export function SelectField(props: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  value: string;
  onChange: (value: string) => void;
  /** The text of a first option with the value ""; none when left out. */
  empty?: string;
  options: readonly { value: string; label: string }[];
  disabled?: boolean;
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error} optional={props.optional}>
      {(c) => (
        <select {...c} className="select" value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value)}>
          {props.empty !== undefined && <option value="">{props.empty}</option>}
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
