import {
  INDIVIDRAPPORT_MAX_LENGTH,
  type IndividrapportDraft,
  type IndividrapportField,
  individrapportFieldLabel,
  individrapportFieldText,
  KOMPLETTERING_OF,
} from '@evb/domain';
import { type ReactNode, useState } from 'react';
import { canBeEmptied, fieldKind, fieldOptions } from '../individrapport-view';

/*
 * The pieces of the tabs' forms: a field as the e-tjänst has it (editable, or read-only with why),
 * and the copy button beside it where the e-tjänst takes text.
 */

/**
 * What every field of the form needs from the screen: the report as shown, which fields are
 * locked and why, what validation or the server says about a field, and what to do on a change
 * or a copy.
 */
export type FieldForm = {
  idPrefix: string;
  draft: IndividrapportDraft;
  /** Why the field cannot be changed (filed, locked by the e-tjänst), or null. */
  lockedReason: (field: IndividrapportField) => string | null;
  /** Whether the rapportör changed the field from the prefill. */
  changed: (field: IndividrapportField) => boolean;
  error: (field: IndividrapportField) => string | null;
  /** The copy button showing "Kopierat" now, or null. */
  copiedKey: string | null;
  onChange: (field: IndividrapportField, value: string | boolean) => void;
  /** Copies a field's text; without it the form has no copy buttons. */
  onCopy?: (key: string, label: string, text: string) => void;
  /** What a changed field says (default: changed from the prefilled value). */
  changedText?: string;
};

/** The DOM id of a field's control (Gå till fältet focuses it). */
export const fieldId = (idPrefix: string, field: IndividrapportField) => `${idPrefix}-${field}`;

/** The most characters the server takes in a field (the domain's limits), so typing stops there. */
function maxLengthOf(field: IndividrapportField): number | undefined {
  return (INDIVIDRAPPORT_MAX_LENGTH as Partial<Record<IndividrapportField, number>>)[field];
}

/**
 * Whether the rapportör types the field's value into the e-tjänst (a text, a text area, a date
 * typed as text), so a copy button beside it helps. A box, a radio button or a list is chosen in
 * the e-tjänst, and so are the nämnd (tab 1, a list when one reports for several) and the
 * rapportör (tab 2, "Mina uppgifter"): no copy button there. "Kopiera hela rapporten" has them all.
 */
export function etjanstTakesText(field: IndividrapportField): boolean {
  if (field === 'namnd' || field === 'rapportor') return false;
  const kind = fieldKind(field);
  return kind === 'text' || kind === 'textarea' || kind === 'date';
}

/** The free text a Komplettera field completes (delvisKomplettering → delvisText), or null. */
export function kompletterar(field: IndividrapportField): IndividrapportField | null {
  const found = (
    Object.entries(KOMPLETTERING_OF) as [IndividrapportField, IndividrapportField][]
  ).find(([, komplettering]) => komplettering === field);
  return found ? found[0] : null;
}

/** Fields whose length is shown as it is typed (the long free texts). */
const COUNTED: readonly IndividrapportField[] = ['ovrigt', 'ovrigtKomplettering'];

const HINTS: Partial<Record<IndividrapportField, string>> = {
  personnummer: 'ÅÅÅÅMMDD-NNNN, eller det fiktiva IVO-numret ÅÅÅÅMMDD-T123.',
  delvisText: 'T.ex. ”2 av 5 timmar”.',
  kompenserandeText:
    'Inled med datumet då den kompenserande insatsen började, t.ex. ”2026-03-01 Utökad hemtjänst”.',
  ovrigt:
    'Förifyllt från händelserna sedan förra rapporten. Ändra fritt; högst 4 000 tecken i IVO:s e-tjänst.',
  ovrigtKomplettering:
    'Förifyllt med det som har hänt sedan förra rapporten. Ändra fritt; högst 4 000 tecken i IVO:s e-tjänst.',
};

/** The fields in order, each as a FieldRow of the form. */
export function FieldRows({
  form,
  fields,
}: {
  form: FieldForm;
  fields: readonly IndividrapportField[];
}) {
  return (
    <>
      {fields.map((field) => (
        <FieldRow key={field} form={form} field={field} />
      ))}
    </>
  );
}

/** A "Kopiera <label>" button; says "Kopierat" for a moment after copying. */
export function CopyButton({
  label,
  text,
  copied,
  onCopy,
}: {
  label: string;
  text: string;
  copied: boolean;
  onCopy: () => void;
}) {
  return (
    <button
      type="button"
      className="button-secondary ir-copy"
      disabled={text === ''}
      onClick={onCopy}
    >
      {copied ? 'Kopierat' : 'Kopiera'}
      <span className="visually-hidden"> {label}</span>
    </button>
  );
}

/**
 * One field with its label, hint, whether it was changed or is locked, what is wrong with it, and
 * a copy button beside it.
 */
export function FieldRow({ form, field }: { form: FieldForm; field: IndividrapportField }) {
  const { idPrefix, draft, onChange } = form;
  const lockedReason = form.lockedReason(field);
  const changed = form.changed(field);
  // A date the browser cannot read (30 februari, a half-typed one) arrives as '': it must neither
  // wipe the saved date nor pass for an empty field.
  const [unreadableDate, setUnreadableDate] = useState(false);
  const error = unreadableDate
    ? 'Datumet finns inte. Ange ett verkligt datum (ÅÅÅÅ-MM-DD); det sparade datumet är kvar.'
    : form.error(field);
  const id = fieldId(idPrefix, field);
  // The three Komplettera fields share the e-tjänst's label; a screen reader also hears which
  // text each completes (and so does its copy button).
  const completes = kompletterar(field);
  const completesLabel = completes ? ` (${individrapportFieldLabel(completes, draft)})` : '';
  const label = individrapportFieldLabel(field, draft) + completesLabel;
  const text = individrapportFieldText(draft, field);
  const kind = fieldKind(field);
  const hint = lockedReason ? null : HINTS[field];
  const hintId = `${id}-hint`;
  const changedId = `${id}-changed`;
  const lockId = `${id}-lock`;
  const errorId = `${id}-error`;
  const describedBy =
    [
      hint ? hintId : null,
      changed ? changedId : null,
      lockedReason ? lockId : null,
      error ? errorId : null,
    ]
      .filter(Boolean)
      .join(' ') || undefined;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  const value = draft[field];
  const stringValue = typeof value === 'string' ? value : '';

  let control: ReactNode;
  if (lockedReason) {
    control =
      kind === 'textarea' ? (
        <textarea {...common} readOnly rows={field === 'ovrigt' ? 8 : 3} value={text} />
      ) : (
        <input {...common} readOnly value={text} />
      );
  } else if (kind === 'check') {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(field, e.target.checked)}
      />
    );
  } else if (kind === 'select') {
    const options = fieldOptions(draft, field);
    control = (
      <select {...common} value={stringValue} onChange={(e) => onChange(field, e.target.value)}>
        {(stringValue === '' || canBeEmptied(field)) && <option value="">Välj…</option>}
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'textarea') {
    control = (
      <textarea
        {...common}
        rows={field === 'ovrigt' ? 10 : 3}
        maxLength={maxLengthOf(field)}
        value={stringValue}
        onChange={(e) => onChange(field, e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type={kind === 'date' ? 'date' : 'text'}
        maxLength={kind === 'date' ? undefined : maxLengthOf(field)}
        value={stringValue}
        onChange={(e) => {
          const unreadable = kind === 'date' && e.target.validity.badInput;
          setUnreadableDate(unreadable);
          if (!unreadable) onChange(field, e.target.value);
        }}
      />
    );
  }

  const labelEl = (
    <label htmlFor={id}>
      {individrapportFieldLabel(field, draft)}
      {completes && <span className="visually-hidden">{completesLabel}</span>}
    </label>
  );
  const checkbox = kind === 'check' && !lockedReason;
  return (
    <div className={`ir-field${completes ? ' ir-komplettera' : ''}${error ? ' has-error' : ''}`}>
      <div className="field ir-field-main">
        {checkbox ? (
          <div className="check">
            {control}
            {labelEl}
          </div>
        ) : (
          <>
            {labelEl}
            {hint && (
              <p className="hint" id={hintId}>
                {hint}
              </p>
            )}
            {control}
          </>
        )}
        {COUNTED.includes(field) && !lockedReason && (
          <p className="hint">{stringValue.length.toLocaleString('sv-SE')} av 4 000 tecken</p>
        )}
        {changed && (
          <p className="hint ir-changed" id={changedId}>
            {form.changedText ?? 'Ändrad från det förifyllda värdet.'}
          </p>
        )}
        {lockedReason && (
          <p className="hint ir-locked" id={lockId}>
            Låst: {lockedReason}.
          </p>
        )}
        {error && (
          <p className="error" id={errorId}>
            {error}
          </p>
        )}
      </div>
      {form.onCopy && etjanstTakesText(field) && (
        <CopyButton
          label={label}
          text={text}
          copied={form.copiedKey === field}
          onCopy={() => form.onCopy?.(field, label, text)}
        />
      )}
    </div>
  );
}
