import { daysBetween, type IsoDate } from './calendar/dates';
import { sarskildAvgiftRange } from './codes/law';
import type { CaseEvent, Decision } from './schemas';
import { type WaitBucket, waitBucket } from './statistics';
import { type Episode, episodes, firstOverdueDay } from './timeline';

/*
 * Risk of särskild avgift: a decision whose waiting has passed three months may lead IVO to ask the
 * court for a fee. The nämnd sees its longest waits first, with the range of fee the law gives for
 * the decision's date (domain.md, "The law today"), so it can act before IVO does.
 */

export type OverdueWait = {
  /** The episode open on the day asked about; it started with the decision or an interruption. */
  episode: Episode;
  overdueFrom: IsoDate;
  /** Days from the episode's start to the day asked about. */
  daysWaited: number;
  vantetid: WaitBucket;
  /** The särskild avgift the court may impose, in kronor, by the decision's date. */
  avgift: { min: number; max: number };
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
  const all = episodes(
    decision,
    events.filter((e) => e.date <= date),
  );
  const last = all[all.length - 1];
  if (!last || last.end) return null;
  const vantetid = waitBucket(last.start, date);
  if (!vantetid) return null;
  return {
    episode: last,
    overdueFrom: firstOverdueDay(last.start),
    daysWaited: daysBetween(last.start, date),
    vantetid,
    avgift: sarskildAvgiftRange(decision.beslutsdatum),
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
