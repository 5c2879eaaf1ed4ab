import {
  addDays,
  type CalendarEntry,
  type CaseEvent,
  calendarEntries,
  caseTasks,
  type DatedTask,
  dueReminders,
  type IsoDate,
  inactiveReporterTask,
  isInactiveReporter,
  isWindowBound,
  quarterBounds,
  quarterKey,
  quarterReport,
  type ReminderItem,
  type ReminderKind,
  reminderKindsOf,
  reminderQuarters,
  windowTasks,
} from '@evb/domain';
import type { DecisionScope } from '../access/scope';
import { insertAudit } from '../data/audit';
import { timelinesOf } from '../data/decisions';
import {
  claimReminder,
  filedEpisodes,
  markReminderSent,
  releaseReminder,
  reminderDecisions,
  reportersActivity,
} from '../data/reminders';
import { rolesOfUser } from '../data/users';
import type { Db } from '../db/database';
import { logError } from '../logging';
import type { RoleGrant } from '../trpc/context';
import { SYSTEM_ROLE } from './administrator';
import { toDomainDecision } from './case-events';
import { loadCaseStatuses } from './decisions';

/*
 * A user's reminders: the tasks of their own roles (the domain's `reminders` rules) read from the
 * database. Only ids, dates and counts are read and kept: no person, no name.
 */

const HANDLAGGARE_KINDS = new Set<ReminderKind>(['uppfoljning', 'meddelande']);
const UNIT_KINDS = new Set<ReminderKind>(['sammanfattning']);
/** How far back an ended wait may still have its message to the rapportör due. */
const MESSAGE_LOOKBACK_DAYS = 92;

/** Every dated task of a user with these roles on `today`, for the digest and the calendar. */
export async function tasksOfUser(
  db: Db,
  user: { id: string; roles: readonly Omit<RoleGrant, 'id'>[] },
  today: IsoDate,
): Promise<DatedTask[]> {
  const kinds = reminderKindsOf(user.roles.map((r) => r.role));
  const tasks: DatedTask[] = [];
  if (kinds.has('uppfoljning')) {
    const own: DecisionScope = { enhetIds: [], handlaggareId: user.id, namndAreas: [] };
    // Executed or closed lately: its slutrapportering's message may be due.
    const since = addDays(today, -MESSAGE_LOOKBACK_DAYS);
    tasks.push(...(await caseTasksIn(db, own, today, HANDLAGGARE_KINDS, since)));
  }
  const enhetIds = user.roles
    .filter((r) => (r.role === 'utforare' || r.role === 'matchare') && r.enhetId)
    .map((r) => r.enhetId!);
  if (enhetIds.length > 0) {
    const units: DecisionScope = { enhetIds, handlaggareId: null, namndAreas: [] };
    tasks.push(...(await caseTasksIn(db, units, today, UNIT_KINDS)));
  }
  const reporting = user.roles.filter(
    (r) => (r.role === 'rapportor' || r.role === 'huvudrapportor') && r.namndId,
  );
  if (reporting.length > 0) {
    const scope: DecisionScope = {
      enhetIds: [],
      handlaggareId: null,
      namndAreas: reporting.map((r) => ({
        namndId: r.namndId!,
        verksamhetsomrade: r.verksamhetsomrade,
      })),
    };
    tasks.push(...(await windowTasksIn(db, scope, today)));
  }
  const heads = [
    ...new Set(user.roles.filter((r) => r.role === 'huvudrapportor').map((r) => r.namndId!)),
  ].filter(Boolean);
  if (heads.length > 0) {
    const reporters = await reportersActivity(db, heads);
    const inactive = reporters.filter(
      (r) => r.id !== user.id && isInactiveReporter(r.lastSignIn ?? r.created, today),
    ).length;
    const task = inactiveReporterTask(inactive, today);
    if (task) tasks.push(task);
  }
  return tasks;
}

async function caseTasksIn(
  db: Db,
  scope: DecisionScope,
  today: IsoDate,
  kinds: ReadonlySet<ReminderKind>,
  endedSince: IsoDate | null = null,
): Promise<DatedTask[]> {
  const decisions = await reminderDecisions(db, scope, endedSince);
  const statuses = await loadCaseStatuses(db, decisions, today);
  return caseTasks(statuses.values(), kinds);
}

/** The reporting windows' tasks: per period, the lines not filed, and those bound to the window. */
async function windowTasksIn(db: Db, scope: DecisionScope, today: IsoDate): Promise<DatedTask[]> {
  const quarters = reminderQuarters(today);
  const decisions = await reminderDecisions(db, scope, quarterBounds(quarters[0]!).start);
  const ids = decisions.map((d) => d.id);
  const timelines = new Map<string, CaseEvent[]>();
  for (const row of await timelinesOf(db, ids)) {
    const event = {
      id: row.id,
      decisionId: row.decisionId,
      type: row.type,
      date: row.date,
      recordedAt: row.recordedAt,
    } as CaseEvent;
    const list = timelines.get(row.decisionId);
    if (list) list.push(event);
    else timelines.set(row.decisionId, [event]);
  }
  const filed = new Set(
    (await filedEpisodes(db, ids)).map((f) => `${f.decisionId}|${f.episodeStart}|${f.quarter}`),
  );
  const periods = quarters.map((quarter) => {
    const key = quarterKey(quarter);
    let lines = 0;
    let unfiled = 0;
    for (const d of decisions) {
      for (const line of quarterReport(toDomainDecision(d), timelines.get(d.id) ?? [], quarter)) {
        if (filed.has(`${d.id}|${line.episode.start}|${key}`)) continue;
        lines++;
        if (isWindowBound(line)) unfiled++;
      }
    }
    return { quarter, lines, unfiled };
  });
  return windowTasks(periods);
}

/** What today's digest of a user holds: counts per kind due within the horizon. */
export async function digestOfUser(
  db: Db,
  userId: string,
  today: IsoDate,
  horizonDays: number,
): Promise<ReminderItem[]> {
  const roles = await rolesOfUser(db, userId);
  return dueReminders(await tasksOfUser(db, { id: userId, roles }, today), today, horizonDays);
}

/** How one user's reminder of a day on one channel went (see remindOnce). */
export type ReminderOutcome =
  | 'alreadyClaimed'
  | 'nothingDue'
  | 'delivered'
  | 'undelivered'
  | 'failed';

/**
 * One user's reminder of `day` on one channel, the same way for e-mail and push: claimed once
 * (another server or an earlier run may have it), today's digest read, handed to `deliver` when
 * something is due, the claim marked sent with the counts, and what `deliver` says audited (counts
 * only). A failure is logged without its message (a mail or push error may quote an address) and
 * gives the claim back, so that the next run tries again. `deliver` answers whether the reminder
 * reached the user and the audit's further details, or null for no audit row.
 */
export async function remindOnce(
  db: Db,
  reminder: {
    userId: string;
    horizonDays: number;
    channel: 'email' | 'push';
    day: IsoDate;
    now: Date;
    /** The channel as the audit names it. */
    kanal: string;
    /** The log's event when it fails. */
    failure: string;
  },
  deliver: (
    items: ReminderItem[],
  ) => Promise<{ delivered: boolean; audit: Record<string, unknown> | null }>,
): Promise<ReminderOutcome> {
  const { userId, channel, day } = reminder;
  if (!(await claimReminder(db, userId, day, channel, reminder.now))) return 'alreadyClaimed';
  try {
    const items = await digestOfUser(db, userId, day, reminder.horizonDays);
    const counts = Object.fromEntries(items.map((i) => [i.kind, i.count]));
    const result = items.length > 0 ? await deliver(items) : null;
    await markReminderSent(db, userId, day, channel, counts, new Date());
    if (result?.audit) {
      await insertAudit(db, {
        userId: null,
        role: SYSTEM_ROLE,
        action: 'paminnelse_skickad',
        subjectType: 'anvandare',
        subjectId: userId,
        details: { kanal: reminder.kanal, dag: day, antal: counts, ...result.audit },
      });
    }
    if (!result) return 'nothingDue';
    return result.delivered ? 'delivered' : 'undelivered';
  } catch (error) {
    logError(reminder.failure, error, { userId });
    await releaseReminder(db, userId, day, channel).catch((release) =>
      logError('reminder claim not released', release, { userId }),
    );
    return 'failed';
  }
}

/** How far back and ahead the calendar feed reaches. */
export const CALENDAR_DAYS_BACK = 31;
export const CALENDAR_DAYS_AHEAD = 366;

/**
 * The calendar feed's entries of a user: every task on its last day, from a month back to a year
 * ahead; a task overdue today (not a window's: a closed window is history) is shown today.
 */
export async function calendarOfUser(
  db: Db,
  userId: string,
  today: IsoDate,
): Promise<CalendarEntry[]> {
  const roles = await rolesOfUser(db, userId);
  const tasks = (await tasksOfUser(db, { id: userId, roles }, today)).map((task) =>
    task.date < today && task.kind !== 'fonster_oppnar' && task.kind !== 'fonster_stanger'
      ? { ...task, date: today }
      : task,
  );
  return calendarEntries(
    tasks,
    addDays(today, -CALENDAR_DAYS_BACK),
    addDays(today, CALENDAR_DAYS_AHEAD),
  );
}
