import { addMonths, type IsoDate } from './calendar/dates';
import type { Role } from './codes/roles';
import type { CaseEvent, Decision } from './schemas';
import { walkTimeline } from './timeline';

/*
 * What a device keeps offline (issue 13). A phone or tablet holds the decisions its user works on:
 * those still waiting, and those that ended or last changed within the sync window. Older ones
 * are read online when opened, so a kommun in its fifth year does not send five years of closed
 * cases to every phone.
 */

/** The window a device keeps settled decisions for, unless the kommun configures another. */
export const DEFAULT_SYNC_WINDOW_MONTHS = 13;

/**
 * The roles whose work happens on a device, offline too: their decisions are synced to it. A
 * rapportör's or an administrator's screens read online, and their device keeps only drafts.
 */
export const OFFLINE_ROLES: readonly Role[] = ['utforare', 'matchare', 'handlaggare'];

/** The first day of the window on `today`: a decision settled before it is not kept. */
export function syncWindowStart(today: IsoDate, months: number): IsoDate {
  return addMonths(today, -months);
}

/**
 * Whether a device keeps a decision: it is still waiting (`settledOn` null), or it ended or last
 * changed on or after the window's first day.
 */
export function isKeptOnDevice(settledOn: IsoDate | null, windowStart: IsoDate): boolean {
  return settledOn === null || settledOn >= windowStart;
}

/**
 * The day a decision settled: null while it is waiting; else the latest of its beslutsdatum and
 * its events' dates (the wait's end is among them). The server keeps this in a column for its
 * reads, derived in SQL the cautious way: null whenever the wait may still be open.
 */
export function settledOn(decision: Decision, events: readonly CaseEvent[]): IsoDate | null {
  if (walkTimeline(decision, events).state === 'vantar') return null;
  return events.reduce((latest, e) => (e.date > latest ? e.date : latest), decision.beslutsdatum);
}
