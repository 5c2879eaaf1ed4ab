import { addDays, addMonths, formatSwedishDate, type IsoDate } from './calendar/dates';
import { nextWorkingDay, previousWorkingDay } from './calendar/working-days';
import { DomainError } from './errors';
import type { CaseEvent, CaseEventType, Decision } from './schemas';
import { withoutVoided } from './voided';

export type EpisodeEnd = { type: 'verkstalld' | 'avslutad'; date: IsoDate };
/** A period of waiting that is reported on its own: from the decision, or from an interruption. */
export type Episode = { kind: 'beslut' | 'avbrott'; start: IsoDate; end?: EpisodeEnd };

/**
 * Events in the order they happened: by date, then by when they were recorded, then by id so that
 * the same events in any order always give the same timeline.
 */
export function sortEvents<E extends Pick<CaseEvent, 'id' | 'date' | 'recordedAt'>>(
  events: readonly E[],
): E[] {
  return [...events].sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      (a.recordedAt ?? '').localeCompare(b.recordedAt ?? '') ||
      a.id.localeCompare(b.id),
  );
}

/**
 * The event types that start or end an episode: `episodes` and `quarterReport` depend on these
 * alone, so a reader that only needs the episodes may load only them.
 */
export const EPISODE_EVENT_TYPES = [
  'verkstalld',
  'avbrott',
  'avslutad',
] as const satisfies readonly CaseEventType[];

/** Where a decision stands after a sequence of events. */
export type DecisionState = 'vantar' | 'verkstalld' | 'avslutad';

export type Timeline = { episodes: Episode[]; state: DecisionState };

const CLOSED = 'Beslutet är avslutat; det kan inte längre verkställas eller avbrytas';

/**
 * Walks the events and returns the episodes plus the final state. Throws a DomainError with a
 * Swedish message on an impossible sequence. Voided events (and their voidings) count as never
 * logged.
 */
export function walkTimeline(decision: Decision, events: readonly CaseEvent[]): Timeline {
  const episodes: Episode[] = [{ kind: 'beslut', start: decision.beslutsdatum }];
  let state: DecisionState = 'vantar';
  for (const event of sortEvents(withoutVoided(events))) {
    if (event.date < decision.beslutsdatum) {
      throw new DomainError(
        `Händelsen den ${formatSwedishDate(event.date)} är daterad före beslutsdatum ${formatSwedishDate(decision.beslutsdatum)}`,
        event.id,
      );
    }
    const open = episodes[episodes.length - 1]!;
    switch (event.type) {
      case 'verkstalld':
        if (state !== 'vantar') {
          throw new DomainError(
            state === 'verkstalld'
              ? `Beslutet är redan verkställt; registrera ett avbrott först (${formatSwedishDate(event.date)})`
              : CLOSED,
            event.id,
          );
        }
        open.end = { type: 'verkstalld', date: event.date };
        state = 'verkstalld';
        break;
      case 'avbrott':
        if (state !== 'verkstalld') {
          throw new DomainError(
            state === 'vantar'
              ? `Ett avbrott kan bara registreras när insatsen är verkställd (${formatSwedishDate(event.date)})`
              : CLOSED,
            event.id,
          );
        }
        episodes.push({ kind: 'avbrott', start: event.date });
        state = 'vantar';
        break;
      case 'avslutad':
        if (state === 'avslutad') throw new DomainError('Beslutet är redan avslutat', event.id);
        if (state === 'vantar') open.end = { type: 'avslutad', date: event.date };
        state = 'avslutad';
        break;
      default:
        // Offers, refusals, notes and the like describe the waiting; they never end it.
        break;
    }
  }
  return { episodes, state };
}

/** The decision's waiting episodes, oldest first. */
export function episodes(decision: Decision, events: readonly CaseEvent[]): Episode[] {
  return walkTimeline(decision, events).episodes;
}

/** Waiting, executed or closed, after all the events. */
export function decisionState(decision: Decision, events: readonly CaseEvent[]): DecisionState {
  return walkTimeline(decision, events).state;
}

export type Cycle = {
  k: number;
  threeMonthDate: IsoDate;
  overdueFrom: IsoDate;
  followUpFrom: IsoDate;
  followUpBy: IsoDate;
  summaryDue: IsoDate;
  messageDue: IsoDate;
};

/** The first day an episode starting on `start` has waited more than three months. */
export function firstOverdueDay(start: IsoDate): IsoDate {
  return addDays(addMonths(start, 3), 1);
}

const cycleCache = new Map<string, Cycle>();
const CYCLE_CACHE_LIMIT = 100_000;

/**
 * Cycle k of an episode: the routine repeats every three months, counted from the start. Cycles are
 * asked for over and over (every list shows every decision's deadlines) and decisions share start
 * dates, so computed ones are kept, up to a bound.
 */
export function cycle(start: IsoDate, k: number): Cycle {
  const key = `${start}#${k}`;
  const cached = cycleCache.get(key);
  if (cached) return cached;
  const threeMonthDate = addMonths(start, 3 * k);
  const overdueFrom = addDays(threeMonthDate, 1);
  const followUpFrom = addMonths(start, 3 * k - 1);
  const computed: Cycle = Object.freeze({
    k,
    threeMonthDate,
    overdueFrom,
    followUpFrom,
    followUpBy: addDays(followUpFrom, 14),
    summaryDue: previousWorkingDay(threeMonthDate),
    messageDue: nextWorkingDay(overdueFrom),
  });
  if (cycleCache.size >= CYCLE_CACHE_LIMIT) cycleCache.clear();
  cycleCache.set(key, computed);
  return computed;
}

/** The first `count` cycles of an episode. */
export function cycles(episode: Episode, count: number): Cycle[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => ({ ...cycle(episode.start, i + 1) }));
}
