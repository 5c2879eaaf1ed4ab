import { addDays, type IsoDate } from './calendar/dates';
import {
  addQuarters,
  DEFAULT_WINDOW_CALENDAR,
  type Quarter,
  quarterKey,
  quarterLabel,
  quarterOf,
  reportingWindow,
  type WindowCalendar,
  type WindowCalendarName,
} from './calendar/quarters';
import type { CaseStatus } from './case-status';

/*
 * Reminders (issue 12): what a user has to do within a horizon of days, as counts per kind of
 * task, and the same tasks dated for a calendar feed. A reminder never names a person: it carries
 * a count, the kind of task, a date and the path of the evb screen where the list is.
 */

/** The kinds of task a reminder counts. */
export type ReminderKind =
  /** Handläggare: the two-month follow-up call. */
  | 'uppfoljning'
  /** Handläggare: the message to the rapportör after three months. */
  | 'meddelande'
  /** Utförare, matchare: the summary of the last three months. */
  | 'sammanfattning'
  /** Rapportör: a reporting window opens; the count is the lines to file in it. */
  | 'fonster_oppnar'
  /** Rapportör: a reporting window closes within a week with lines not filed. */
  | 'fonster_stanger'
  /** Huvudrapportör: rapportörer who have not signed in for INACTIVE_REPORTER_DAYS. */
  | 'inaktiva_rapportorer';

/** The roles that get reminders, and the kinds each one gets. */
export const REMINDER_KINDS_OF_ROLE = {
  handlaggare: ['uppfoljning', 'meddelande'],
  utforare: ['sammanfattning'],
  matchare: ['sammanfattning'],
  rapportor: ['fonster_oppnar', 'fonster_stanger'],
  huvudrapportor: ['fonster_oppnar', 'fonster_stanger', 'inaktiva_rapportorer'],
} as const satisfies Record<string, readonly ReminderKind[]>;

/** Days ahead a digest looks: the user's choice, within these bounds. */
export const REMINDER_HORIZON_DAYS = { min: 0, max: 60, default: 7 } as const;
/** A rapportör unused this long is one for the huvudrapportör to review (the data is sensitive). */
export const INACTIVE_REPORTER_DAYS = 90;
/** The closing reminder starts this many days before a window closes. */
export const WINDOW_CLOSING_DAYS = 7;

/** One task with its date: the last day, and for a task with a window, the first. */
export type DatedTask = {
  kind: ReminderKind;
  /** The last day of the task (the window's closing day, the call's last day…). */
  date: IsoDate;
  /** The first day it can be done, where that matters for "due" (the follow-up call's window). */
  opens?: IsoDate;
  /** How many things the task stands for (lines to file, rapportörer to review); 1 by default. */
  count?: number;
  /** For the window tasks: the reporting period. */
  quarter?: Quarter;
};

/** The path of the evb screen that lists each kind of task: a reminder links there. */
export const REMINDER_PATHS: Record<ReminderKind, string> = {
  uppfoljning: '/uppfoljningar',
  meddelande: '/meddelanden',
  sammanfattning: '/bestallningar',
  fonster_oppnar: '/kvartal',
  fonster_stanger: '/kvartal',
  inaktiva_rapportorer: '/rapportorer',
};

type CaseKind = 'uppfoljning' | 'meddelande' | 'sammanfattning';

/**
 * The case tasks of a user's own decisions, one per decision and kind, from their statuses: the
 * handläggare's follow-up calls and messages, the utförare's and matchare's summaries. `kinds` are
 * the kinds the user's roles get (REMINDER_KINDS_OF_ROLE). Calls and summaries are a waiting
 * decision's; a message is also due once it is executed or closed (the slutrapportering).
 */
export function caseTasks(
  statuses: Iterable<CaseStatus>,
  kinds: ReadonlySet<ReminderKind>,
): DatedTask[] {
  const tasks: DatedTask[] = [];
  for (const status of statuses) {
    // The call and the summary exist only while waiting; a message also after (slutrapportering).
    for (const kind of [
      'uppfoljning',
      'meddelande',
      'sammanfattning',
    ] as const satisfies CaseKind[]) {
      if (!kinds.has(kind)) continue;
      const deadline = status.deadlines[kind];
      if (!deadline) continue;
      tasks.push({
        kind,
        date: deadline.date,
        ...(kind === 'uppfoljning' && deadline.from ? { opens: deadline.from } : {}),
      });
    }
  }
  return tasks;
}

/**
 * The reporting periods whose window a reminder on `today` may concern: the last three quarters
 * (a window opens at the earliest the day after its quarter ends and closes within two months).
 */
export function reminderQuarters(today: IsoDate): Quarter[] {
  const current = quarterOf(today);
  return [addQuarters(current, -2), addQuarters(current, -1), current];
}

/**
 * A rapportör's window tasks for the periods given with their counts: `lines` is the number of
 * lines of the period (for the opening), `unfiled` those bound to the window not yet filed (for the
 * closing). The opening is dated on the day the window opens; the closing on the day it closes,
 * and exists only with unfiled lines. Periods without lines get no task.
 */
export function windowTasks(
  periods: readonly { quarter: Quarter; lines: number; unfiled: number }[],
  calendar: WindowCalendarName | WindowCalendar = DEFAULT_WINDOW_CALENDAR,
): DatedTask[] {
  const tasks: DatedTask[] = [];
  for (const { quarter, lines, unfiled } of periods) {
    const window = reportingWindow(quarter, calendar);
    if (lines > 0) {
      tasks.push({ kind: 'fonster_oppnar', date: window.opens, count: lines, quarter });
    }
    if (unfiled > 0) {
      tasks.push({
        kind: 'fonster_stanger',
        date: window.closes,
        opens: addDays(window.closes, -WINDOW_CLOSING_DAYS),
        count: unfiled,
        quarter,
      });
    }
  }
  return tasks;
}

/** The huvudrapportör's review of rapportörer unused for INACTIVE_REPORTER_DAYS, due today. */
export function inactiveReporterTask(inactive: number, today: IsoDate): DatedTask | null {
  return inactive > 0 ? { kind: 'inaktiva_rapportorer', date: today, count: inactive } : null;
}

/** Whether a reporter last signed in (or, never having done so, was created) too long ago. */
export function isInactiveReporter(lastActive: IsoDate, today: IsoDate): boolean {
  return lastActive <= addDays(today, -INACTIVE_REPORTER_DAYS);
}

/** One line of a digest: how many tasks of a kind are due, how many of them overdue. */
export type ReminderItem = {
  kind: ReminderKind;
  count: number;
  overdue: number;
  /** The earliest last day among them. */
  firstDate: IsoDate;
  quarter?: Quarter;
};

/**
 * The tasks due within `horizonDays` of `today`: a task is due when it can be done by then (its
 * `opens`, else its last day, is on or before today + horizon); a window's opening until the day
 * it opens, and its closing in the last WINDOW_CLOSING_DAYS days before it closes, whatever the
 * horizon. Overdue tasks (last day before today) are counted as due and as overdue;
 * a window task is never overdue (a closed window is history). Counts per kind (and period),
 * in REMINDER_PATHS' order of kinds.
 */
export function dueReminders(
  tasks: readonly DatedTask[],
  today: IsoDate,
  horizonDays: number,
): ReminderItem[] {
  const until = addDays(today, horizonDays);
  const groups = new Map<string, ReminderItem>();
  for (const task of tasks) {
    const isWindow = task.kind === 'fonster_oppnar' || task.kind === 'fonster_stanger';
    if (isWindow && task.date < today) continue;
    // The closing reminds in the window's last week whatever the horizon: that is its point.
    const from = task.kind === 'fonster_stanger' ? today : until;
    if ((task.opens ?? task.date) > from) continue;
    const key = `${task.kind}|${task.quarter ? quarterKey(task.quarter) : ''}`;
    const count = task.count ?? 1;
    const overdue = !isWindow && task.date < today ? count : 0;
    const group = groups.get(key);
    if (group) {
      group.count += count;
      group.overdue += overdue;
      if (task.date < group.firstDate) group.firstDate = task.date;
    } else {
      groups.set(key, {
        kind: task.kind,
        count,
        overdue,
        firstDate: task.date,
        ...(task.quarter ? { quarter: task.quarter } : {}),
      });
    }
  }
  const order = Object.keys(REMINDER_PATHS);
  return [...groups.values()].sort(
    (a, b) =>
      order.indexOf(a.kind) - order.indexOf(b.kind) || a.firstDate.localeCompare(b.firstDate),
  );
}

/** One calendar entry: a count of one kind of task on one day. */
export type CalendarEntry = { kind: ReminderKind; date: IsoDate; count: number; quarter?: Quarter };

/**
 * The tasks as a calendar's entries: one per day and kind with the count, on the task's last day,
 * from `from` to `to` (inclusive), ordered by date.
 */
export function calendarEntries(
  tasks: readonly DatedTask[],
  from: IsoDate,
  to: IsoDate,
): CalendarEntry[] {
  const groups = new Map<string, CalendarEntry>();
  for (const task of tasks) {
    if (task.date < from || task.date > to) continue;
    const key = `${task.date}|${task.kind}|${task.quarter ? quarterKey(task.quarter) : ''}`;
    const group = groups.get(key);
    if (group) group.count += task.count ?? 1;
    else {
      groups.set(key, {
        kind: task.kind,
        date: task.date,
        count: task.count ?? 1,
        ...(task.quarter ? { quarter: task.quarter } : {}),
      });
    }
  }
  const order = Object.keys(REMINDER_PATHS);
  return [...groups.values()].sort(
    (a, b) => a.date.localeCompare(b.date) || order.indexOf(a.kind) - order.indexOf(b.kind),
  );
}

/**
 * The Swedish text of a count of a kind of task: "3 uppföljningssamtal att göra". Never more than
 * a count, the kind and a reporting period.
 */
export function reminderText(item: {
  kind: ReminderKind;
  count: number;
  quarter?: Quarter;
}): string {
  const n = item.count;
  const period = item.quarter ? ` för ${quarterLabel(item.quarter)}` : '';
  switch (item.kind) {
    case 'uppfoljning':
      return `${n} uppföljningssamtal att göra`;
    case 'meddelande':
      return `${n} ${n === 1 ? 'meddelande' : 'meddelanden'} till rapportören att skicka`;
    case 'sammanfattning':
      return `${n} ${n === 1 ? 'sammanfattning' : 'sammanfattningar'} att skriva`;
    case 'fonster_oppnar':
      return `Rapporteringsperioden${period} öppnar: ${n} ${n === 1 ? 'individrapport' : 'individrapporter'} att lämna`;
    case 'fonster_stanger':
      return `Rapporteringsperioden${period} stänger snart: ${n} ${n === 1 ? 'individrapport' : 'individrapporter'} inte lämnade`;
    case 'inaktiva_rapportorer':
      return `${n} ${n === 1 ? 'rapportör' : 'rapportörer'} utan inloggning på ${INACTIVE_REPORTER_DAYS} dagar att se över`;
  }
}

/** The reminder kinds of a user's roles. */
export function reminderKindsOf(roles: Iterable<string>): Set<ReminderKind> {
  const kinds = new Set<ReminderKind>();
  for (const role of roles) {
    const own = (REMINDER_KINDS_OF_ROLE as Record<string, readonly ReminderKind[]>)[role];
    for (const kind of own ?? []) kinds.add(kind);
  }
  return kinds;
}
