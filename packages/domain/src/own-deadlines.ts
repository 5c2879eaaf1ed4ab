import { daysBetween, type IsoDate } from './calendar/dates';
import {
  type CaseStatus,
  type Deadline,
  type DeadlineKind,
  deadlinesByUrgency,
} from './case-status';
import type { Role } from './codes/roles';
import { cycle } from './timeline';

/*
 * Whose deadline is whose (seed 001's routine), so that each user's list puts first what that user
 * must do next, and a decision's page tells the viewer's own tasks from other roles' deadlines:
 * - utförare and matchare carry the decision out: the three-month date is theirs (carried out on or
 *   before it is within the limit; it comes back every three months while the wait goes on), and so
 *   is the summary of the last three months, due the last working day before it;
 * - the handläggare makes the two-month follow-up call and sends the message to the rapportör;
 * - the rapportör files the individrapport within IVO's window.
 */

/** The deadlines of `CaseStatus`, and the three-month date the unit or team works towards. */
export type OwnDeadlineKind = DeadlineKind | 'tremanadersdag';

export type OwnDeadline = Omit<Deadline, 'kind'> & { kind: OwnDeadlineKind };

export const OWN_DEADLINE_KINDS: Record<Role, readonly OwnDeadlineKind[]> = {
  utforare: ['tremanadersdag', 'sammanfattning'],
  matchare: ['tremanadersdag', 'sammanfattning'],
  handlaggare: ['uppfoljning', 'meddelande'],
  rapportor: ['kvartalsrapport'],
  huvudrapportor: ['kvartalsrapport'],
  loggranskare: [],
  admin: [],
};

// The summary before the three-month date: on the same day (it is due the last working day before
// it), the summary is the task to do.
const ALL_KINDS: readonly OwnDeadlineKind[] = [
  'sammanfattning',
  'tremanadersdag',
  'uppfoljning',
  'meddelande',
  'kvartalsrapport',
];

/** The kinds of deadline that are a user's to meet, over every role they hold. */
export function ownDeadlineKinds(roles: Role | readonly Role[]): OwnDeadlineKind[] {
  const held = new Set<Role>(typeof roles === 'string' ? [roles] : roles);
  return ALL_KINDS.filter((kind) => [...held].some((r) => OWN_DEADLINE_KINDS[r].includes(kind)));
}

/**
 * The next three-month date of a waiting decision: the first cycle's until it has passed, then the
 * next cycle's (the routine repeats every three months until the decision is carried out). Never
 * overdue: a wait past three months is reported to IVO, and the next three-month date is the next
 * one the unit or team works towards. Null when nothing is waiting.
 */
export function nextThreeMonthDate(status: CaseStatus, today: IsoDate): OwnDeadline | null {
  if (!status.waiting) return null;
  const start = status.episode.start;
  let k = status.cycle?.k ?? 1;
  while (cycle(start, k).threeMonthDate < today) k++;
  const date = cycle(start, k).threeMonthDate;
  return { kind: 'tremanadersdag', date, k, daysLeft: daysBetween(today, date), overdue: false };
}

function deadlineOfKind(
  kind: OwnDeadlineKind,
  status: CaseStatus,
  today: IsoDate,
): OwnDeadline | null {
  return kind === 'tremanadersdag' ? nextThreeMonthDate(status, today) : status.deadlines[kind];
}

function byUrgency(deadlines: readonly (OwnDeadline | null)[]): OwnDeadline[] {
  // deadlinesByUrgency only reads `overdue` and `date`: the extra kind sorts the same way.
  return deadlinesByUrgency(deadlines as readonly (Deadline | null)[]) as OwnDeadline[];
}

/** The deadlines of a decision that are the user's to meet, overdue ones first, then the nearest. */
export function ownDeadlines(
  roles: Role | readonly Role[],
  status: CaseStatus,
  today: IsoDate,
): OwnDeadline[] {
  return byUrgency(ownDeadlineKinds(roles).map((kind) => deadlineOfKind(kind, status, today)));
}

/** The user's own next deadline on a decision: an overdue one first, then the nearest; or null. */
export function ownNextDeadline(
  roles: Role | readonly Role[],
  status: CaseStatus,
  today: IsoDate,
): OwnDeadline | null {
  return ownDeadlines(roles, status, today)[0] ?? null;
}

/**
 * The deadlines of a decision that other roles meet, nearest first: information for the user, who
 * cannot act on them (a screen shows them without an alarm).
 */
export function otherDeadlines(
  roles: Role | readonly Role[],
  status: CaseStatus,
  today: IsoDate,
): OwnDeadline[] {
  const own = new Set(ownDeadlineKinds(roles));
  return ALL_KINDS.filter((kind) => !own.has(kind))
    .map((kind) => deadlineOfKind(kind, status, today))
    .filter((d): d is OwnDeadline => d !== null)
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** Overdue first, then the nearest; a decision without a deadline of the user's own last. */
export function compareOwnDeadlines(a: OwnDeadline | null, b: OwnDeadline | null): number {
  if (!a || !b) return Number(!a) - Number(!b);
  return Number(b.overdue) - Number(a.overdue) || a.date.localeCompare(b.date);
}

/** What a list needs of each decision to order it by the user's own next deadline. */
export type OwnDeadlineRanked = {
  own: OwnDeadline | null;
  daysWaited: number | null;
  beslutsdatum: IsoDate;
  id: string;
};

/**
 * A list of decisions ordered by the user's own next deadline: overdue first, then the nearest,
 * then those with none of the user's own; ties by the longer wait, the earlier decision and the id,
 * so the order is the same on every call.
 */
export function byOwnDeadline(a: OwnDeadlineRanked, b: OwnDeadlineRanked): number {
  return (
    compareOwnDeadlines(a.own, b.own) ||
    (b.daysWaited ?? -1) - (a.daysWaited ?? -1) ||
    a.beslutsdatum.localeCompare(b.beslutsdatum) ||
    a.id.localeCompare(b.id)
  );
}
