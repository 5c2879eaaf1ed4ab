import { addMonths, daysBetween, type IsoDate } from './calendar/dates';
import {
  addQuarters,
  compareQuarters,
  DEFAULT_WINDOW_CALENDAR,
  type Quarter,
  quarterKey,
  quarterOf,
  reportingWindow,
  type WindowCalendar,
  type WindowCalendarName,
} from './calendar/quarters';
import { episodeMessages } from './messages';
import { isReportable } from './quarter-report';
import type { CaseEvent, Decision } from './schemas';
import {
  type Cycle,
  cycle,
  type DecisionState,
  type Episode,
  firstOverdueDay,
  walkTimeline,
} from './timeline';
import { withoutVoided } from './voided';

export type DeadlineKind = 'uppfoljning' | 'sammanfattning' | 'meddelande' | 'kvartalsrapport';

export type Deadline = {
  kind: DeadlineKind;
  /** The last day (for a quarter report: the day its IVO window closes). */
  date: IsoDate;
  /** The first day it can be done, where there is one. */
  from?: IsoDate;
  /** Cycle number, for the three-monthly routine. */
  k?: number;
  /** Days from today to `date`; negative when overdue. */
  daysLeft: number;
  overdue: boolean;
  /** For a quarter report: which quarter, and ny or återrapportering. */
  quarter?: Quarter;
  report?: 'ny' | 'ater';
  /** For a message: its title and key. */
  title?: string;
  messageKey?: string;
};

export type CaseStatus = {
  state: DecisionState;
  waiting: boolean;
  /** The open episode, or the last one when nothing is waiting. */
  episode: Episode;
  /** Days waited so far in the open episode (null when nothing is waiting). */
  daysWaited: number | null;
  /** The open episode has waited more than three months: it is reported to IVO. */
  overThreeMonths: boolean;
  /** The three-month cycle the open episode is in. */
  cycle: Cycle | null;
  deadlines: {
    uppfoljning: Deadline | null;
    sammanfattning: Deadline | null;
    meddelande: Deadline | null;
    kvartalsrapport: Deadline | null;
  };
  /** The most urgent deadline: an overdue one first, then the nearest. */
  next: Deadline | null;
  overdue: boolean;
};

export type CaseStatusOptions = {
  /** Keys of the rapportör messages already handled (see `rapportorMessages`). */
  handledMessages?: Iterable<string>;
  /**
   * Quarters (`quarterKey`) whose line for this decision is filed with IVO. Without it, a quarter
   * whose window has closed is taken as filed: the status then shows only what is still ahead.
   */
  filedQuarters?: Iterable<string>;
  calendar?: WindowCalendarName | WindowCalendar;
};

function deadline(
  kind: DeadlineKind,
  date: IsoDate,
  today: IsoDate,
  extra: Partial<Deadline> & { done?: boolean } = {},
): Deadline {
  const { done, ...rest } = extra;
  return {
    kind,
    date,
    daysLeft: daysBetween(today, date),
    overdue: !done && date < today,
    ...rest,
  };
}

/**
 * A recurring task (the follow-up call, the summary) of the cycle the episode is in. Cycle k's task
 * counts as done by an event dated from its window's start up to the next cycle's window; once done,
 * the next cycle's task is shown.
 */
function recurring(
  kind: 'uppfoljning' | 'sammanfattning',
  start: IsoDate,
  k: number,
  events: readonly CaseEvent[],
  today: IsoDate,
): Deadline {
  const current = cycle(start, k);
  const following = cycle(start, k + 1);
  const done = events.some(
    (e) => e.type === kind && e.date >= current.followUpFrom && e.date < following.followUpFrom,
  );
  const shown = done ? following : current;
  const date = kind === 'uppfoljning' ? shown.followUpBy : shown.summaryDue;
  return deadline(kind, date, today, { from: shown.followUpFrom, k: shown.k });
}

function quarterDeadline(
  episode: Episode,
  today: IsoDate,
  filed: Set<string> | undefined,
  calendar: WindowCalendarName | WindowCalendar,
): Deadline | null {
  if (!isReportable(episode)) return null;
  const overdueFrom = firstOverdueDay(episode.start);
  const first = quarterOf(overdueFrom);
  const last = quarterOf(episode.end?.date ?? (today > overdueFrom ? today : overdueFrom));
  // Without the server's filings, only quarters whose window has not closed matter: a window closes
  // at most two months after its quarter, so none before last quarter's.
  const earliestOpen = addQuarters(quarterOf(today), -1);
  const from = !filed && compareQuarters(earliestOpen, first) > 0 ? earliestOpen : first;
  for (let q = from; compareQuarters(q, last) <= 0; q = addQuarters(q, 1)) {
    const window = reportingWindow(q, calendar);
    const isFiled = filed ? filed.has(quarterKey(q)) : window.closes < today;
    if (isFiled) continue;
    return deadline('kvartalsrapport', window.closes, today, {
      from: window.opens,
      quarter: q,
      report: compareQuarters(q, first) === 0 ? 'ny' : 'ater',
    });
  }
  return null;
}

function messageDeadline(
  decision: Decision,
  episode: Episode,
  today: IsoDate,
  handled: Set<string> | undefined,
): Deadline | null {
  const k = cycleIndex(episode.start, today);
  // Look one cycle ahead so that a waiting decision always shows its next message. Without the
  // server's list of handled messages only those due from today on matter, and messages of cycles
  // before the current one were all due earlier.
  const horizon = cycle(episode.start, k + 1).messageDue;
  const candidates = episodeMessages(decision, episode, horizon, handled ? 1 : k - 1);
  const pending = handled
    ? candidates.find((m) => !handled.has(m.key))
    : candidates.find((m) => m.due >= today);
  if (!pending) return null;
  return deadline('meddelande', pending.due, today, {
    title: pending.title,
    messageKey: pending.key,
    ...(pending.k ? { k: pending.k } : {}),
  });
}

/** The cycle an open episode is in on `today`: the last one whose follow-up window has opened. */
function cycleIndex(start: IsoDate, today: IsoDate): number {
  // Cycle k's follow-up opens 3k − 1 months after the start: estimate k from the months elapsed,
  // then step to the exact one (month-end clamping can move it by one).
  const followUpFrom = (k: number) => addMonths(start, 3 * k - 1);
  const months =
    (Number(today.slice(0, 4)) - Number(start.slice(0, 4))) * 12 +
    Number(today.slice(5, 7)) -
    Number(start.slice(5, 7));
  let k = Math.max(1, Math.floor((months + 1) / 3));
  while (k > 1 && followUpFrom(k) > today) k--;
  while (followUpFrom(k + 1) <= today) k++;
  return k;
}

/** What a user needs to see of a decision at a glance on `today`. */
export function caseStatus(
  decision: Decision,
  allEvents: readonly CaseEvent[],
  today: IsoDate,
  options: CaseStatusOptions = {},
): CaseStatus {
  const events = withoutVoided(allEvents);
  const { episodes, state } = walkTimeline(decision, events);
  const episode = episodes[episodes.length - 1]!;
  const waiting = state === 'vantar';
  const handled = options.handledMessages ? new Set(options.handledMessages) : undefined;
  const filed = options.filedQuarters ? new Set(options.filedQuarters) : undefined;
  const calendar = options.calendar ?? DEFAULT_WINDOW_CALENDAR;

  const k = waiting ? cycleIndex(episode.start, today) : null;
  const deadlines: CaseStatus['deadlines'] = {
    uppfoljning: k ? recurring('uppfoljning', episode.start, k, events, today) : null,
    sammanfattning: k ? recurring('sammanfattning', episode.start, k, events, today) : null,
    meddelande: messageDeadline(decision, episode, today, handled),
    kvartalsrapport: quarterDeadline(episode, today, filed, calendar),
  };
  const all = deadlinesByUrgency(Object.values(deadlines));
  const next = all[0] ?? null;
  return {
    state,
    waiting,
    episode,
    daysWaited: waiting ? daysBetween(episode.start, today) : null,
    overThreeMonths: waiting && today >= cycle(episode.start, 1).overdueFrom,
    cycle: k ? { ...cycle(episode.start, k) } : null,
    deadlines,
    next,
    overdue: all.some((d) => d.overdue),
  };
}

/**
 * Whether the handläggare's two-month follow-up call is to be made now: the person is waiting and
 * the call's window has opened (two months after the wait began), or its last day has passed.
 */
export function isFollowUpDue(status: CaseStatus, today: IsoDate): boolean {
  const call = status.deadlines.uppfoljning;
  return status.waiting && call !== null && (call.overdue || (call.from ?? call.date) <= today);
}

/** The deadlines that exist, overdue ones first, then the nearest. */
export function deadlinesByUrgency(deadlines: readonly (Deadline | null)[]): Deadline[] {
  return deadlines
    .filter((d): d is Deadline => d !== null)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.date.localeCompare(b.date));
}

/** An overdue deadline first, then the nearest; null when there is none. */
export function mostUrgent(deadlines: readonly (Deadline | null)[]): Deadline | null {
  return deadlinesByUrgency(deadlines)[0] ?? null;
}

/** The most urgent of the deadlines of the given kinds, e.g. those that are a role's to meet. */
export function nextDeadlineOf(
  status: CaseStatus,
  kinds: readonly DeadlineKind[],
): Deadline | null {
  return mostUrgent(kinds.map((kind) => status.deadlines[kind]));
}
