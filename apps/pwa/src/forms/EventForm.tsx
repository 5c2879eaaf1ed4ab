import {
  assertEventFits,
  type CaseEvent,
  CaseEventSchema,
  DomainError,
  EVENT_TYPE_LABELS,
  type FormEventType,
  latestOfferOfWait,
  remindsOfKorttidsenhet,
} from '@evb/domain';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { useServices, useToday } from '../app/context';
import { formatDate } from '../format/format';
import { type LocalCase, toDomainDecision } from '../local/cases';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../local/drafts';
import {
  CHECKED,
  type FieldSpec,
  initialValues,
  KONTAKT_CHOICES,
  KORTTIDSENHET_REMINDER,
  refersToOffer,
  shownFields,
  textRequired,
  toEventInput,
} from './event-fields';

type Props = {
  type: FormEventType;
  item: LocalCase;
  /** Shown above the fields, e.g. the summary's due date. */
  intro?: string;
  /**
   * Rätta: the voiding (makulering) of the event this form logs again. It is queued together with
   * the form's event when the form is saved, and dropped if the form is closed: a correction is
   * one step, never a voided event with nothing in its place.
   */
  correcting?: CaseEvent | undefined;
  onClose: (result: 'sent' | 'discarded' | 'kept' | 'cancelled') => void;
};

/**
 * One event form. Every keystroke is saved as a draft in IndexedDB, so nothing typed is lost to a
 * reload, a closed app or a dead battery. Submitting checks the event with the domain's rules and
 * puts it in the outbox; the sync engine sends it when there is a network.
 */
export function EventForm({ type, item, intro, correcting, onClose }: Props) {
  const { db, engine } = useServices();
  const today = useToday();
  const key = draftKey(type, item.decision.id);
  const [values, setValues] = useState<Record<string, string> | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const headingId = useId();
  const firstField = useRef<HTMLElement | null>(null);
  const decision = useMemo(() => toDomainDecision(item.decision), [item.decision]);
  // What the rules count: the events the server did not refuse (and, in a correction, the
  // voiding that goes with this form's event, so the rules see the event it voids as gone).
  const events = useMemo(() => {
    const counted = item.events.filter((e) => !e.rejected) as CaseEvent[];
    return correcting ? [...counted, correcting] : counted;
  }, [item.events, correcting]);
  const offer = useMemo(() => latestOfferOfWait(decision, events), [decision, events]);
  // What a new form starts with, fixed when it opens: later changes to the case do not overwrite
  // what is being typed. (A form of another type is another component: DecisionPage keys it.)
  const start = useRef<Record<string, string> | null>(null);
  start.current ??= initialValues(type, decision, events, today);

  useEffect(() => {
    let live = true;
    void loadDraft(db, key).then((draft) => {
      if (!live) return;
      setValues((draft?.data as Record<string, string> | undefined) ?? start.current ?? {});
      setSaved(draft !== undefined);
    });
    return () => {
      live = false;
    };
  }, [db, key]);

  const ready = values !== null;
  useEffect(() => {
    if (ready) firstField.current?.focus();
  }, [ready]);

  if (!values) return <p role="status">Öppnar formuläret…</p>;

  function change(name: string, value: string) {
    const next = { ...values, [name]: value };
    // A new skäl has other orsaker: the old choice no longer fits.
    if (type === 'skal' && name === 'skal') next.orsak = '';
    setValues(next);
    setErrors((e) => ({ ...e, [name]: '' }));
    void saveDraft(db, type, item.decision.id, next).then(() => setSaved(true));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!values) return;
    setFormError(null);
    const input = toEventInput(
      type,
      values,
      { id: uuidv7(), decisionId: item.decision.id },
      item.decision,
    );
    const parsed = CaseEventSchema.safeParse(input);
    if (!parsed.success) {
      const byField: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        byField[field] = byField[field] ?? issue.message;
      }
      setErrors(byField);
      setFormError('Formuläret har fel. Rätta fälten som är markerade.');
      return;
    }
    try {
      // Judged as the server will: recorded now, after every event logged so far.
      assertEventFits(
        decision,
        events,
        { ...parsed.data, recordedAt: new Date().toISOString() },
        today,
      );
    } catch (e) {
      if (e instanceof DomainError) {
        setFormError(e.message);
        return;
      }
      throw e;
    }
    if (correcting) await engine.enqueueEvents([correcting, parsed.data], key);
    else await engine.enqueueEvent(parsed.data, key);
    onClose('sent');
  }

  async function cancelCorrection() {
    // The draft was the event being corrected, written when Rätta was chosen: it goes with it.
    await deleteDraft(db, key);
    onClose('cancelled');
  }

  async function discard() {
    await deleteDraft(db, key);
    onClose('discarded');
  }

  const needsText = textRequired(type, values);
  return (
    <form className="form event-form" onSubmit={submit} aria-labelledby={headingId} noValidate>
      <h3 id={headingId}>{EVENT_TYPE_LABELS[type]}</h3>
      {intro && <p>{intro}</p>}
      {correcting && (
        <p className="notice">
          Du rättar en händelse. Den makuleras när du sparar formuläret, och ingenting ändras om du
          avbryter.
        </p>
      )}
      {type === 'uppfoljning' && remindsOfKorttidsenhet(decision) && (
        <p className="notice">
          <strong>Kom ihåg:</strong> {KORTTIDSENHET_REMINDER}
        </p>
      )}
      {refersToOffer(type, values) && (
        <p>
          {offer
            ? `Senaste erbjudandet, ${formatDate(offer.date)}: ${offer.text}`
            : 'Inget erbjudande är registrerat under väntetiden. Ange datum för erbjudandet.'}
        </p>
      )}
      {shownFields(type, decision, values).map((field, i) => (
        <Field
          key={field.name}
          field={field}
          values={values}
          required={
            field.name === 'text'
              ? needsText
              : field.kind !== 'checkbox' && (field.kind !== 'text' || !field.optional)
          }
          error={errors[field.name]}
          onChange={change}
          inputRef={i === 0 ? firstField : undefined}
          idPrefix={headingId}
        />
      ))}
      {formError && (
        <p className="error" role="alert">
          {formError}
        </p>
      )}
      <p className="draft-state" aria-live="polite">
        {saved ? 'Utkastet sparas på enheten medan du skriver.' : ''}
      </p>
      <div className="actions">
        <button type="submit" className="button-primary">
          Spara {EVENT_TYPE_LABELS[type].toLocaleLowerCase('sv')}
        </button>
        {correcting ? (
          <button
            type="button"
            className="button-secondary"
            onClick={() => void cancelCorrection()}
          >
            Avbryt rättelsen
          </button>
        ) : (
          <button type="button" className="button-secondary" onClick={() => onClose('kept')}>
            Stäng
          </button>
        )}
        {saved && !correcting && (
          <button type="button" className="button-link" onClick={() => void discard()}>
            Släng utkastet
          </button>
        )}
      </div>
    </form>
  );
}

function Field({
  field,
  values,
  required,
  error,
  onChange,
  inputRef,
  idPrefix,
}: {
  field: FieldSpec;
  values: Record<string, string>;
  required: boolean;
  error: string | undefined;
  onChange: (name: string, value: string) => void;
  inputRef: React.RefObject<HTMLElement | null> | undefined;
  idPrefix: string;
}) {
  const id = `${idPrefix}-${field.name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    ['hint' in field && field.hint ? hintId : null, error ? errorId : null]
      .filter(Boolean)
      .join(' ') || undefined;
  const value = values[field.name] ?? '';
  const common = {
    id,
    name: field.name,
    required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  if (field.kind === 'checkbox') {
    return (
      <div className="field field-checkbox">
        <input
          id={id}
          name={field.name}
          type="checkbox"
          ref={inputRef as React.RefObject<HTMLInputElement>}
          checked={value === CHECKED}
          aria-describedby={describedBy}
          onChange={(e) => onChange(field.name, e.target.checked ? CHECKED : '')}
        />
        <label htmlFor={id}>{field.label}</label>
        {field.hint && (
          <p className="hint" id={hintId}>
            {field.hint}
          </p>
        )}
        {error && (
          <p className="error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {field.label}
        {!required && <span className="optional"> (frivilligt)</span>}
      </label>
      {'hint' in field && field.hint && (
        <p className="hint" id={hintId}>
          {field.hint}
        </p>
      )}
      {field.kind === 'date' && (
        <input
          {...common}
          ref={inputRef as React.RefObject<HTMLInputElement>}
          type="date"
          value={value}
          onChange={(e) => onChange(field.name, e.target.value)}
        />
      )}
      {field.kind === 'select' && (
        <select
          {...common}
          ref={inputRef as React.RefObject<HTMLSelectElement>}
          value={value}
          onChange={(e) => onChange(field.name, e.target.value)}
        >
          <option value="">Välj…</option>
          {field.options(values).map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
            </option>
          ))}
        </select>
      )}
      {field.kind === 'text' && field.name === 'kontakt' && (
        <fieldset className="chips">
          <legend className="visually-hidden">Vanliga val</legend>
          {KONTAKT_CHOICES.map((choice) => (
            <button
              key={choice.value}
              type="button"
              className={value === choice.value ? 'chip is-chosen' : 'chip'}
              aria-pressed={value === choice.value}
              onClick={() => onChange(field.name, choice.value)}
            >
              {choice.label}
            </button>
          ))}
        </fieldset>
      )}
      {field.kind === 'text' &&
        (field.rows === 1 ? (
          <input
            {...common}
            ref={inputRef as React.RefObject<HTMLInputElement>}
            value={value}
            onChange={(e) => onChange(field.name, e.target.value)}
          />
        ) : (
          <textarea
            {...common}
            ref={inputRef as React.RefObject<HTMLTextAreaElement>}
            rows={field.rows ?? 3}
            value={value}
            onChange={(e) => onChange(field.name, e.target.value)}
          />
        ))}
      {error && (
        <p className="error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
