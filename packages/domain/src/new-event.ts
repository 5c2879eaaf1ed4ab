import { formatSwedishDate, type IsoDate } from './calendar/dates';
import { DomainError } from './errors';
import { assertVoidingFits } from './makulering';
import type { CaseEvent, CaseEventType, Decision } from './schemas';
import { type Episode, walkTimeline } from './timeline';
import { withoutVoided } from './voided';

/** Events that describe a wait: they only make sense while the person is waiting. */
const DURING_WAIT: ReadonlySet<CaseEventType> = new Set([
  'erbjudande',
  'tackat_nej',
  'delvis_verkstalld',
  'kompenserande_insats',
  'skal',
  'uppfoljning',
  'sammanfattning',
]);

function episodeOn(episodes: readonly Episode[], date: IsoDate): Episode | undefined {
  return episodes.find((e) => e.start <= date && (!e.end || date <= e.end.date));
}

/**
 * Whether `event` may be added to a decision's events on `today`. Throws a DomainError with the
 * Swedish reason when it may not: a date in the future or before the decision, a sequence the rules
 * do not allow (e.g. verkställd twice), a wait-only event when nothing is waiting, a refusal of an
 * offer made before the wait began, or anything but a note after the decision was closed. Voided
 * events count as never logged; a voiding (makulering) is judged by assertVoidingFits.
 */
export function assertEventFits(
  decision: Decision,
  allEvents: readonly CaseEvent[],
  event: CaseEvent,
  today: IsoDate,
): void {
  if (event.type === 'makulering') {
    assertVoidingFits(decision, allEvents, event, today);
    return;
  }
  const events = withoutVoided(allEvents);
  if (event.decisionId !== decision.id) {
    throw new DomainError('Händelsen hör till ett annat beslut', event.id);
  }
  if (event.date > today) {
    throw new DomainError(`Datumet ${formatSwedishDate(event.date)} ligger i framtiden`, event.id);
  }
  const before = walkTimeline(decision, events);
  const closedOn = before.state === 'avslutad' ? lastClosing(events) : undefined;
  if (closedOn && event.type !== 'anteckning' && event.date >= closedOn) {
    throw new DomainError(
      `Beslutet avslutades ${formatSwedishDate(closedOn)}; bara anteckningar kan läggas till`,
      event.id,
    );
  }
  const after = walkTimeline(decision, [...events, event]);
  if (DURING_WAIT.has(event.type)) {
    const episode = episodeOn(after.episodes, event.date);
    if (!episode) {
      throw new DomainError(
        `Den ${formatSwedishDate(event.date)} väntade den enskilde inte på insatsen; händelsen kan inte registreras då`,
        event.id,
      );
    }
    const offeredOn =
      event.type === 'tackat_nej' || event.type === 'skal' ? event.erbjudandedatum : undefined;
    if (offeredOn && offeredOn < episode.start) {
      throw new DomainError(
        `Erbjudandet (${formatSwedishDate(offeredOn)}) gjordes före väntetidens början ${formatSwedishDate(episode.start)}`,
        event.id,
      );
    }
    if (
      event.type === 'uppfoljning' &&
      event.korttidsenhetErbjuden !== undefined &&
      !remindsOfKorttidsenhet(decision)
    ) {
      throw new DomainError(
        'Korttidsvistelse på korttidsenhet erbjuds i väntan på stödfamilj: bara för korttidsvistelse i form av stödfamilj (LSS 9 § 6)',
        event.id,
      );
    }
  }
}

/**
 * Seed 001: when the decision is korttidsvistelse under LSS 9 § 6 in the form of a stödfamilj and
 * none is found yet, the handläggare's follow-up call offers korttidsvistelse on a korttidsenhet
 * meanwhile (even if it was refused before), and the call records that it was offered.
 */
export function remindsOfKorttidsenhet(decision: Pick<Decision, 'insats'>): boolean {
  return decision.insats === 'LSS_9_6_STODFAMILJ';
}

function lastClosing(events: readonly CaseEvent[]): IsoDate | undefined {
  return events
    .filter((e) => e.type === 'avslutad')
    .map((e) => e.date)
    .sort()
    .at(-1);
}
