/**
 * Labelled form fields. Each has a visible label in words, an optional hint, and the server's
 * message for that field (from a ValidationException's fieldList) right under it, tied to the
 * control with aria-describedby and aria-invalid.
 */
import type { ComponentChildren } from 'preact';

/** The id of the control for a field name (names are unique within a page). */
export function fieldId(name: string): string {
  return `f-${name.replace(/[^a-zA-Z0-9-]/g, '-')}`;
}

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  /** The server's field name, kept on the wrapper for tests and styling. */
  readonly field?: string;
  readonly children: ComponentChildren;
}

export function Field({ id, label, hint, error, field, children }: FieldProps) {
  return (
    <div class={`field${error ? ' has-error' : ''}`} data-field={field}>
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** aria attributes linking a control to its hint and error. */
export function described(id: string, hint: string | undefined, error: string | undefined) {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter((s) => s !== '').join(' ');
  return { id, 'aria-describedby': ids || undefined, 'aria-invalid': error ? true : undefined };
}

interface TextProps {
  readonly label: string;
  readonly name: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  readonly type?: 'text' | 'number' | 'password' | 'url';
  readonly placeholder?: string;
  readonly required?: boolean;
  readonly autoComplete?: string;
  readonly inputMode?: 'numeric' | 'text';
  /** The server's name for the field when it differs from `name` (e.g. `tags.parlor:history`). */
  readonly field?: string;
}

/** A text (or number) input. Numbers stay strings here so the server judges what was typed. */
export function TextField(p: TextProps) {
  const id = fieldId(p.name);
  return (
    <Field id={id} label={p.label} hint={p.hint} error={p.error} field={p.field ?? p.name}>
      <input
        {...described(id, p.hint, p.error)}
        name={p.name}
        // Preact's typings tie `type` to a discriminated union; every value here is a text-like input.
        type={(p.type === 'number' ? 'text' : (p.type ?? 'text')) as 'text'}
        inputMode={p.type === 'number' ? 'numeric' : p.inputMode}
        value={p.value}
        placeholder={p.placeholder}
        required={p.required}
        autoComplete={p.autoComplete ?? 'off'}
        spellcheck={false}
        onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </Field>
  );
}

interface SelectProps {
  readonly label: string;
  readonly name: string;
  readonly value: string;
  readonly options: readonly { value: string; label: string }[];
  readonly onChange: (value: string) => void;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
}

export function SelectField(p: SelectProps) {
  const id = fieldId(p.name);
  return (
    <Field id={id} label={p.label} hint={p.hint} error={p.error} field={p.name}>
      <select {...described(id, p.hint, p.error)} name={p.name} value={p.value} onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * A number typed in a text box: undefined when empty, 'invalid' when it is not a number at all
 * (the only check made here; ranges are the server's to judge, and its message is shown).
 */
export function parseNumber(text: string): number | undefined | 'invalid' {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : 'invalid';
}

export const NOT_A_NUMBER = 'Enter a number, e.g. 500';
