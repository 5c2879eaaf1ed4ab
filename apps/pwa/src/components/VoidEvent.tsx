import {
  assertEventFits,
  type CaseEvent,
  CaseEventSchema,
  DomainError,
  EVENT_FORM_TYPES,
  EVENT_TYPE_LABELS,
  type FormEventType,
  mayVoid,
  voidingsOf,
} from '@evb/domain';
import { type FormEvent, useId, useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import { type Me, useServices, useToday } from '../app/context';
import { formatDate } from '../format/format';
import { CHECKED } from '../forms/event-fields';
import { type LocalCase, type TimelineEvent, toDomainDecision } from '../local/cases';
import { saveDraft } from '../local/drafts';

/*
 * Correcting the record (issue 12) in a decision's timeline: an event logged by mistake is voided
 * (makulerad) with a reason, by whoever logged it or the decision's handläggare. The voiding is a
 * new event through the outbox like any other, so it works offline and the local rules ignore the
 * voided event at once. "Rätta" opens the same form filled in with what was logged, to log it
 * again as it should have been: the voiding and the new event are queued together when that form is
 * saved, and neither if the correction is cancelled.
 */

/** The longest reason the server takes (the domain's text limit). */
const MAX_REASON = 4000;

/** The voidings the rules count (not refused by the server), by the id of the event each voids. */
export function voidingsIn(events: readonly TimelineEvent[]): Map<string, TimelineEvent> {
  return voidingsOf(events.filter((e) => !e.rejected));
}

/** Whether `me` may void `event` of `item` now: theirs to void, not voided, not a voiding. */
export function mayVoidEvent(me: Me, item: LocalCase, event: TimelineEvent): boolean {
  if (event.type === 'makulering' || event.rejected) return false;
  if (voidingsIn(item.events).has(event.id)) return false;
  // An event still in the outbox is the user's own.
  const recordedBy = event.recordedBy?.id ?? (event.pending ? me.id : null);
  return recordedBy !== null && mayVoid(me, item.decision, { recordedBy });
}

/** The form values that log `event` again: its own fields, as the event forms hold them. */
export function valuesOf(event: CaseEvent): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(event)) {
    if (
      ['id', 'decisionId', 'type', 'recordedAt', 'recordedBy', 'pending', 'rejected'].includes(name)
    )
      continue;
    if (typeof value === 'boolean') values[name] = value ? CHECKED : '';
    else if (typeof value === 'string') values[name] = value;
  }
  return values;
}

function isFormType(type: string): type is FormEventType {
  return (EVENT_FORM_TYPES as readonly string[]).includes(type);
}

/** "Makulerad av Anna den 3 mars 2026: skäl", said in words, not only by the strike-through. */
export function VoidedNote({ voiding, me }: { voiding: TimelineEvent; me?: Me | undefined }) {
  const who =
    (me && voiding.recordedBy?.id === me.id) || (!voiding.recordedBy && voiding.pending)
      ? 'dig'
      : (voiding.recordedBy?.namn ?? 'okänd användare');
  const reason = voiding.type === 'makulering' ? voiding.text : '';
  return (
    <p className="voided-note">
      Makulerad av {who} den {formatDate(voiding.date)}: {reason}
      {voiding.pending && ' (väntar på att skickas)'}
    </p>
  );
}

type Mode = 'makulera' | 'ratta';

/**
 * The buttons "Makulera" and "Rätta" of one timeline event, and the reason they ask for.
 * `onCorrect` opens the event's form (filled in from a draft written here) with the voiding, which
 * the form queues with its own event.
 */
export function VoidActions({
  me,
  item,
  event,
  onCorrect,
  onDone,
}: {
  me: Me;
  item: LocalCase;
  event: TimelineEvent;
  onCorrect: (type: FormEventType, voiding: CaseEvent) => void;
  onDone: (message: string) => void;
}) {
  const { db, engine } = useServices();
  const today = useToday();
  const [mode, setMode] = useState<Mode | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  if (!mayVoidEvent(me, item, event)) return null;
  const label = EVENT_TYPE_LABELS[event.type].toLocaleLowerCase('sv');
  const canCorrect = isFormType(event.type);
  const what = `${label} ${formatDate(event.date)}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = CaseEventSchema.safeParse({
      id: uuidv7(),
      decisionId: item.decision.id,
      type: 'makulering',
      date: today,
      makulerarId: event.id,
      text: reason,
    });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Skriv varför händelsen makuleras');
      return;
    }
    try {
      // Judged as the server will judge it, against every event the rules count.
      assertEventFits(
        toDomainDecision(item.decision),
        item.events.filter((x) => !x.rejected) as CaseEvent[],
        { ...parsed.data, recordedAt: new Date().toISOString() },
        today,
      );
    } catch (caught) {
      if (caught instanceof DomainError) {
        setError(caught.message);
        return;
      }
      throw caught;
    }
    setMode(null);
    setReason('');
    if (mode === 'ratta' && isFormType(event.type)) {
      // Not queued yet: the form queues the voiding with the event that replaces it, or neither.
      await saveDraft(db, event.type, item.decision.id, valuesOf(event));
      onCorrect(event.type, parsed.data);
      return;
    }
    await engine.enqueueEvent(parsed.data);
    const sent = navigator.onLine ? '' : ' Den skickas när du är ansluten igen.';
    onDone(`Händelsen är makulerad.${sent}`);
  }

  if (!mode) {
    return (
      <div className="void-actions">
        <button
          type="button"
          className="button-link"
          onClick={() => setMode('makulera')}
          aria-label={`Makulera ${what}`}
        >
          Makulera
        </button>
        {canCorrect && (
          <button
            type="button"
            className="button-link"
            onClick={() => setMode('ratta')}
            aria-label={`Rätta ${what}`}
          >
            Rätta
          </button>
        )}
      </div>
    );
  }
  const heading = mode === 'ratta' ? `Rätta ${what}` : `Makulera ${what}`;
  return (
    <form className="form void-form" onSubmit={submit} aria-labelledby={`${id}-h`} noValidate>
      <h3 id={`${id}-h`}>{heading}</h3>
      <p>
        {mode === 'ratta'
          ? 'Formuläret öppnas ifyllt med det som registrerades. När du sparar det makuleras händelsen och den rättade sparas i dess ställe.'
          : 'Händelsen finns kvar men räknas inte längre. Det syns vem som makulerade den och varför.'}
      </p>
      <div className="field">
        <label htmlFor={`${id}-reason`}>Varför makuleras händelsen?</label>
        <textarea
          id={`${id}-reason`}
          name="text"
          rows={2}
          required
          maxLength={MAX_REASON}
          value={reason}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => setReason(e.target.value)}
        />
        {error && (
          <p className="error" id={`${id}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button-primary">
          {mode === 'ratta' ? 'Rätta i formuläret' : 'Makulera händelsen'}
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            setMode(null);
            setError(null);
          }}
        >
          Avbryt
        </button>
      </div>
    </form>
  );
}
