import { addMonths, daysBetween, type IsoDate } from './calendar/dates';
import { type LegalReference, sarskildAvgiftRange, uppskovLovReference } from './codes/law';
import type { CaseEvent, CaseEventOf, Decision } from './schemas';
import { type WaitBucket, waitBucket } from './statistics';
import { type Episode, episodes, firstOverdueDay, sortEvents } from './timeline';
import { withoutVoided } from './voided';

/*
 * Risk of särskild avgift: a decision whose waiting has passed three months may lead IVO to ask the
 * court for a fee. The nämnd sees its longest waits first, with the range of fee the law gives for
 * the decision's date (domain.md, "The law today"), the last day the court can serve IVO's
 * application on the kommun (sarskildAvgiftDeadline), and whether the person asked to postpone
 * within a valfrihetssystem, which gives no fee (postponedWithinLov), so it can act before IVO does.
 */

/**
 * The last day on which the administrative court can serve IVO's application for a särskild avgift
 * on the kommun for this wait (SoL 2025:400 34 kap. 10 §, LSS 28 c §; the references are in the law
 * table, avgiftFristReference). As domain.md states the rule, from IVO's FAQ: the court must serve
 * the application "within two years of the favourable decision". So:
 * - for a `beslut` episode, two years from the beslutsdatum (the favourable decision);
 * - for an `avbrott` episode, two years from the day of the interruption: the interruption is what
 *   is reported and what the fee would be for (SoL 34 kap. 1 §, LSS 28 a §: not providing the
 *   insats again within reasonable time). That starting point is evb's reading, not the FAQ's words.
 * "Two years from" a day ends on the same date two years later (addMonths: 29 February gives
 * 28 February), the way Swedish statutes count years; the day is not moved past a weekend or
 * holiday, so the date shown is never later than the one the court keeps to.
 */
export function sarskildAvgiftDeadline(
  decision: Pick<Decision, 'beslutsdatum'>,
  episode: Pick<Episode, 'kind' | 'start'>,
): IsoDate {
  const from = episode.kind === 'beslut' ? decision.beslutsdatum : episode.start;
  return addMonths(from, 24);
}

/** The orsak (hos den enskilde) a wait the person asked to postpone within LOV is logged with. */
export const UPPSKOV_LOV_ORSAK = 'uppskov_lov';

type ReasonEvent = CaseEventOf<'skal'> | CaseEventOf<'tackat_nej'>;

/**
 * The latest reason for the delay logged in `episode` up to `date`: a `skal` event, or a refusal
 * (`tackat_nej`, whose skäl is "Den enskilde har tackat nej"), as the individrapport takes it.
 */
export function latestReason(
  episode: Pick<Episode, 'start' | 'end'>,
  events: readonly CaseEvent[],
  date: IsoDate,
): ReasonEvent | undefined {
  const last = episode.end && episode.end.date < date ? episode.end.date : date;
  return sortEvents(
    withoutVoided(events).filter(
      (e): e is ReasonEvent =>
        (e.type === 'skal' || e.type === 'tackat_nej') && e.date >= episode.start && e.date <= last,
    ),
  ).at(-1);
}

/**
 * Whether the wait of `episode` is one the person asked to postpone within a valfrihetssystem
 * (LOV), for which no särskild avgift is imposed (SoL 2025:400 34 kap. 6 §): the latest reason
 * logged in the episode up to `date` is the orsak UPPSKOV_LOV_ORSAK, and the decision's law has that
 * exception on `date` (uppskovLovReference: SoL, not LSS). Returns the reference, or null.
 * A later reason (the person no longer waits by choice) ends it.
 */
export function postponedWithinLov(
  decision: Pick<Decision, 'lagrum'>,
  episode: Pick<Episode, 'start' | 'end'>,
  events: readonly CaseEvent[],
  date: IsoDate,
): LegalReference | null {
  const reason = latestReason(episode, events, date);
  if (reason?.type !== 'skal' || reason.orsak !== UPPSKOV_LOV_ORSAK) return null;
  return uppskovLovReference(decision.lagrum, date);
}

export type OverdueWait = {
  /** The episode open on the day asked about; it started with the decision or an interruption. */
  episode: Episode;
  overdueFrom: IsoDate;
  /** Days from the episode's start to the day asked about. */
  daysWaited: number;
  vantetid: WaitBucket;
  /**
   * The särskild avgift the court may impose, in kronor, by the decision's date; null when none can
   * be imposed because the person asked to postpone within LOV (`uppskovLov`).
   */
  avgift: { min: number; max: number } | null;
  /** The last day the court can serve IVO's application for a fee (sarskildAvgiftDeadline). */
  avgiftDeadline: IsoDate;
  /** That day is before the day asked about: no application can be served in time any more. */
  avgiftDeadlinePassed: boolean;
  /** The law that gives no fee for a wait the person asked to postpone within LOV, or null. */
  uppskovLov: LegalReference | null;
};

/**
 * The decision's wait that is open on `date` and has lasted more than three months by then, or
 * null when there is none. Events after `date` have not happened as far as this day is concerned.
 */
export function overdueWaitOn(
  decision: Decision,
  events: readonly CaseEvent[],
  date: IsoDate,
): OverdueWait | null {
  if (decision.beslutsdatum > date) return null;
  // Voided first: a voiding dated after `date` still voids an event before it.
  const all = episodes(
    decision,
    withoutVoided(events).filter((e) => e.date <= date),
  );
  const last = all[all.length - 1];
  if (!last || last.end) return null;
  const vantetid = waitBucket(last.start, date);
  if (!vantetid) return null;
  const avgiftDeadline = sarskildAvgiftDeadline(decision, last);
  const uppskovLov = postponedWithinLov(decision, last, events, date);
  return {
    episode: last,
    overdueFrom: firstOverdueDay(last.start),
    daysWaited: daysBetween(last.start, date),
    vantetid,
    avgift: uppskovLov ? null : sarskildAvgiftRange(decision.beslutsdatum),
    avgiftDeadline,
    avgiftDeadlinePassed: avgiftDeadline < date,
    uppskovLov,
  };
}

/** Longest wait first; then the older decision, then by id so the order is stable. */
export function compareOverdueWaits(
  a: { daysWaited: number; beslutsdatum: IsoDate; decisionId: string },
  b: { daysWaited: number; beslutsdatum: IsoDate; decisionId: string },
): number {
  return (
    b.daysWaited - a.daysWaited ||
    a.beslutsdatum.localeCompare(b.beslutsdatum) ||
    a.decisionId.localeCompare(b.decisionId)
  );
}

const KRONOR = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });

/** Swedish amount in kronor: "1 500 000 kr" (non-breaking spaces, so it never wraps inside). */
export function formatKronor(amount: number): string {
  return `${KRONOR.format(amount)}\u00a0kr`;
}
