import { formatSwedishDate, type IsoDate } from './calendar/dates';
import { EVENT_TYPE_LABELS } from './codes/roles';
import { DomainError } from './errors';
import { assertEventFits } from './new-event';
import type { CaseEvent, CaseEventOf, Decision } from './schemas';
import { sortEvents } from './timeline';
import { isVoided, voidingsOf, withoutVoided } from './voided';

export { isVoided, voidingsOf, withoutVoided } from './voided';

/**
 * Correcting the record (domain.md): an event logged by mistake is voided (makulerad) by a later
 * `makulering` event that names it (`makulerarId`) and says why (`text`). The log stays
 * append-only. Every rule treats a voided event as never logged: each rule's entry point applies
 * `withoutVoided` to the events it is given, so this file is the one place that says what that
 * means.
 */
export type Makulering = CaseEventOf<'makulering'>;

/**
 * Who may void an event: whoever logged it, or the decision's handläggare. (They must also see the
 * decision; the caller checks that as for any event.)
 */
export function mayVoid(
  user: { id: string },
  decision: { handlaggareId: string },
  target: { recordedBy: string },
): boolean {
  return target.recordedBy === user.id || decision.handlaggareId === user.id;
}

/**
 * The first event of a timeline that does not fit the events before it, as a new event would be
 * judged (assertEventFits), with the reason; undefined when every event fits.
 */
function firstMisfit(
  decision: Decision,
  events: readonly CaseEvent[],
  today: IsoDate,
): { event: CaseEvent; error: DomainError } | undefined {
  const sorted = sortEvents(events);
  for (let i = 0; i < sorted.length; i++) {
    try {
      assertEventFits(decision, sorted.slice(0, i), sorted[i]!, today);
    } catch (error) {
      if (error instanceof DomainError) return { event: sorted[i]!, error };
      throw error;
    }
  }
  return undefined;
}

/**
 * Whether `voiding` may be added to a decision's `events` (every event of the decision, voidings
 * included) on `today`. Throws a DomainError with the Swedish reason when it may not: the event
 * is not one of the decision's, is itself a voiding, is voided already, or voiding it would leave
 * a sequence the rules do not allow (e.g. an avbrott that a later verkställd resumes): then the
 * later event must be voided first. A sequence that was already irregular before (e.g. imported)
 * does not block a voiding that leaves it no worse.
 */
export function assertVoidingFits(
  decision: Decision,
  events: readonly CaseEvent[],
  voiding: Makulering,
  today: IsoDate,
): void {
  if (voiding.decisionId !== decision.id) {
    throw new DomainError('Händelsen hör till ett annat beslut', voiding.id);
  }
  if (voiding.date > today) {
    throw new DomainError(
      `Datumet ${formatSwedishDate(voiding.date)} ligger i framtiden`,
      voiding.id,
    );
  }
  const target = events.find((e) => e.id === voiding.makulerarId);
  if (!target || target.decisionId !== decision.id) {
    throw new DomainError('Händelsen som ska makuleras finns inte på det här beslutet', voiding.id);
  }
  if (target.type === 'makulering') {
    throw new DomainError('En makulering kan inte makuleras', voiding.id);
  }
  if (isVoided(events, target.id)) {
    throw new DomainError('Händelsen är redan makulerad', voiding.id);
  }
  const before = withoutVoided(events);
  const after = before.filter((e) => e.id !== target.id);
  const misfit = firstMisfit(decision, after, today);
  if (!misfit) return;
  const earlier = firstMisfit(decision, before, today);
  if (earlier && earlier.event.id === misfit.event.id) return;
  throw new DomainError(
    `Händelsen kan inte makuleras: ${misfit.error.message}. Makulera först den senare händelsen ”${EVENT_TYPE_LABELS[misfit.event.type]}” den ${formatSwedishDate(misfit.event.date)}.`,
    voiding.id,
  );
}

/**
 * The events a filed report was built on that have been voided since: dated in the filed episode
 * up to the quarter's reference date, stored when it was filed (`existedAtFiling`: the server
 * compares its change sequence, which clocks cannot disturb) and voided by a makulering stored
 * after it. The filed copy never changes; the line says this.
 */
export function voidedSinceFiling(
  filing: { episodeStart: IsoDate; referenceDate: IsoDate },
  events: readonly CaseEvent[],
  existedAtFiling: (event: CaseEvent) => boolean,
): CaseEvent[] {
  const voidings = voidingsOf(events);
  return sortEvents(events).filter((e) => {
    const voiding = voidings.get(e.id);
    return (
      voiding !== undefined &&
      e.type !== 'makulering' &&
      e.date >= filing.episodeStart &&
      e.date <= filing.referenceDate &&
      existedAtFiling(e) &&
      !existedAtFiling(voiding)
    );
  });
}

/** What a filed line says when its report used events since voided; null when none. */
export function voidedSinceFilingNote(
  voided: readonly Pick<CaseEvent, 'type' | 'date'>[],
): string | null {
  if (voided.length === 0) return null;
  const which = voided
    .map((e) => `${EVENT_TYPE_LABELS[e.type]} ${formatSwedishDate(e.date)}`)
    .join(', ');
  return voided.length === 1
    ? `Den inlämnade rapporten bygger på en händelse som sedan makulerats: ${which}.`
    : `Den inlämnade rapporten bygger på ${voided.length} händelser som sedan makulerats: ${which}.`;
}
