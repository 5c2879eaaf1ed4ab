import type { IsoDate } from './calendar/dates';
import { AVSLUTSANLEDNINGAR } from './codes/avslut';
import { orsakerFor } from './codes/skal';
import { DomainError } from './errors';
import { assertEventFits } from './new-event';
import type { CaseEvent, CaseEventOf, CaseEventType, Decision } from './schemas';
import { sortEvents, walkTimeline } from './timeline';
import { withoutVoided } from './voided';

/**
 * The event types a user logs through a form, in the order they are offered (the most used first).
 * A voiding (makulering) is not among them: it is done from the event it voids.
 */
export const EVENT_FORM_TYPES = [
  'erbjudande',
  'tackat_nej',
  'delvis_verkstalld',
  'kompenserande_insats',
  'avbrott',
  'verkstalld',
  'sammanfattning',
  'uppfoljning',
  'skal',
  'anteckning',
  'avslutad',
] as const satisfies readonly CaseEventType[];
export type FormEventType = (typeof EVENT_FORM_TYPES)[number];

/** A recordedAt later than any real one: a new event is recorded after everything logged. */
const RECORDED_LAST = '9999-12-31T23:59:59.999Z';

/**
 * The smallest valid event of a type, dated `date` and recorded after every logged event: what
 * `assertEventFits` judges by state and date alone (its free texts and codes do not matter to it).
 */
export function probeEvent(decisionId: string, type: FormEventType, date: IsoDate): CaseEvent {
  const base = { id: `probe-${type}`, decisionId, date, recordedAt: RECORDED_LAST };
  switch (type) {
    case 'verkstalld':
      return { ...base, type };
    case 'avbrott':
      return { ...base, type };
    case 'avslutad':
      return { ...base, type, anledning: AVSLUTSANLEDNINGAR[0]!.code };
    case 'tackat_nej':
      return { ...base, type, erbjudandedatum: date, orsak: orsakerFor('tackat_nej')[0]!.code };
    case 'skal':
      return { ...base, type, skal: 'hos_kommunen', orsak: orsakerFor('hos_kommunen')[0]!.code };
    case 'uppfoljning':
      return { ...base, type, kontakt: 'Den enskilde', text: '–' };
    default:
      return { ...base, type, text: '–' };
  }
}

/**
 * The forms a user is offered on a decision today (issue 12): the event types `mayLog` allows
 * (their roles', see `loggableEventTypes`) that the rules would accept, dated today, after the
 * events logged so far — exactly what `assertEventFits` accepts, as it is asked. So a closed
 * decision offers only a note; an executed one an interruption, a closing and notes; a waiting one
 * (also after an interruption, or when partially executed) everything that describes the wait, its
 * execution and its closing, but no interruption. On the day of an execution the wait-only forms
 * stay: that day still belongs to the wait. Never a form whose event would then be refused.
 */
export function offeredEventTypes(
  decision: Decision,
  events: readonly CaseEvent[],
  today: IsoDate,
  mayLog: ReadonlySet<CaseEventType>,
): FormEventType[] {
  return EVENT_FORM_TYPES.filter(
    (type) =>
      mayLog.has(type) && fits(decision, events, probeEvent(decision.id, type, today), today),
  );
}

function fits(
  decision: Decision,
  events: readonly CaseEvent[],
  event: CaseEvent,
  today: IsoDate,
): boolean {
  try {
    assertEventFits(decision, events, event, today);
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
}

/**
 * The latest offer (erbjudande) of the wait going on, which a refusal form starts from (its date
 * and what was offered): none when nothing is waiting or no offer was made since the wait began
 * (an offer before an interruption belongs to an earlier wait, and a refusal cannot refer to it).
 */
export function latestOfferOfWait(
  decision: Decision,
  events: readonly CaseEvent[],
): CaseEventOf<'erbjudande'> | undefined {
  const seen = withoutVoided(events);
  let timeline: ReturnType<typeof walkTimeline>;
  try {
    timeline = walkTimeline(decision, seen);
  } catch (e) {
    if (e instanceof DomainError) return undefined;
    throw e;
  }
  const wait = timeline.episodes.at(-1);
  if (!wait || wait.end) return undefined;
  return sortEvents(seen)
    .filter((e): e is CaseEventOf<'erbjudande'> => e.type === 'erbjudande' && e.date >= wait.start)
    .at(-1);
}
