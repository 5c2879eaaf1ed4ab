import { sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { DecisionRow } from '../db/schema';
import { visibleTo } from './decisions';

/*
 * The reminders' SQL: each user's choice (reminder_preference), the once-a-day claim of a digest
 * (reminder_sent), and the reads a user's reminders are computed from. None of them reads a
 * person's name or personnummer: decisions without their person, users by id.
 */

export type ReminderPreference = {
  emailDigest: boolean;
  horizonDays: number;
  calendarCreatedAt: Date | null;
};

export async function findReminderPreference(
  db: Db,
  userId: string,
): Promise<ReminderPreference | undefined> {
  return db
    .selectFrom('reminderPreference')
    .select(['emailDigest', 'horizonDays', 'calendarCreatedAt'])
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/** Writes the given choices, creating the row on the first one. */
export async function saveReminderPreference(
  db: Db,
  userId: string,
  values: { emailDigest?: boolean; horizonDays?: number },
  at: Date,
): Promise<void> {
  await db
    .insertInto('reminderPreference')
    .values({ userId, ...values, updatedAt: at })
    .onConflict((oc) => oc.column('userId').doUpdateSet({ ...values, updatedAt: at }))
    .execute();
}

/** Sets (a new hash) or clears (null) the user's calendar feed secret. */
export async function setCalendarSecretHash(
  db: Db,
  userId: string,
  hash: string | null,
  at: Date,
): Promise<void> {
  const values = { calendarSecretHash: hash, calendarCreatedAt: hash ? at : null, updatedAt: at };
  await db
    .insertInto('reminderPreference')
    .values({ userId, ...values })
    .onConflict((oc) => oc.column('userId').doUpdateSet(values))
    .execute();
}

/** The active user whose calendar feed has this secret hash, or undefined. */
export async function findCalendarFeedUser(db: Db, hash: string) {
  return db
    .selectFrom('reminderPreference')
    .innerJoin('appUser', 'appUser.id', 'reminderPreference.userId')
    .select('appUser.id as userId')
    .where('reminderPreference.calendarSecretHash', '=', hash)
    .where('appUser.active', '=', true)
    .executeTakeFirst();
}

/** The active users who chose the e-mail digest and have an address, with their horizon. */
export async function emailDigestRecipients(db: Db) {
  return db
    .selectFrom('reminderPreference')
    .innerJoin('appUser', 'appUser.id', 'reminderPreference.userId')
    .select(['appUser.id as userId', 'appUser.email', 'reminderPreference.horizonDays'])
    .where('reminderPreference.emailDigest', '=', true)
    .where('appUser.active', '=', true)
    .where('appUser.email', 'is not', null)
    .where('appUser.email', '<>', '')
    .orderBy('appUser.id')
    .execute();
}

/**
 * Claims the user's reminder of `day` on `channel`: true for the one caller that inserted the row,
 * false when it was claimed before (by this server or another).
 */
export async function claimReminder(
  db: Db,
  userId: string,
  day: string,
  channel: 'email' | 'push',
  at: Date,
): Promise<boolean> {
  const row = await db
    .insertInto('reminderSent')
    .values({ userId, day, channel, claimedAt: at })
    .onConflict((oc) => oc.columns(['userId', 'day', 'channel']).doNothing())
    .returning('userId')
    .executeTakeFirst();
  return row !== undefined;
}

export async function markReminderSent(
  db: Db,
  userId: string,
  day: string,
  channel: 'email' | 'push',
  items: unknown,
  at: Date,
): Promise<void> {
  await db
    .updateTable('reminderSent')
    .set({ sentAt: at, items: JSON.stringify(items) })
    .where('userId', '=', userId)
    .where('day', '=', day)
    .where('channel', '=', channel)
    .execute();
}

/** Gives a claim back after a failed send, so that the next run tries again. */
export async function releaseReminder(
  db: Db,
  userId: string,
  day: string,
  channel: 'email' | 'push',
): Promise<void> {
  await db
    .deleteFrom('reminderSent')
    .where('userId', '=', userId)
    .where('day', '=', day)
    .where('channel', '=', channel)
    .where('sentAt', 'is', null)
    .execute();
}

/**
 * The decisions in `scope` (without their person) that may still have a task: waiting ones, and
 * with `endedSince`, also those whose waiting ended on or after that day.
 */
export async function reminderDecisions(
  db: Db,
  scope: DecisionScope,
  endedSince: string | null,
): Promise<DecisionRow[]> {
  return db
    .selectFrom('decision')
    .selectAll('decision')
    .where(visibleTo(scope))
    .where((eb) =>
      endedSince === null
        ? eb('decision.waitingEndedBy', 'is', null)
        : eb.or([
            eb('decision.waitingEndedBy', 'is', null),
            eb('decision.waitingEndedBy', '>=', endedSince),
          ]),
    )
    .execute();
}

/** The episodes filed, per decision: decision id, episode start, quarter key. */
export async function filedEpisodes(db: Db, decisionIds: readonly string[]) {
  if (decisionIds.length === 0) return [];
  return db
    .selectFrom('rapportFiling')
    .select(['decisionId', 'episodeStart', 'quarter'])
    .where(sql<boolean>`${sql.ref('rapportFiling.decisionId')} = any(${[...decisionIds]}::text[])`)
    .execute();
}

/**
 * The active users with a rapportör grant in these nämnder, with their last sign-in (from the
 * audit log) and when they were created, as dates (Europe/Stockholm). Ids only, no names.
 */
export async function reportersActivity(db: Db, namndIds: readonly string[]) {
  if (namndIds.length === 0) return [];
  return db
    .selectFrom('appUser')
    .select([
      'appUser.id',
      sql<string>`to_char(app_user.created_at at time zone 'Europe/Stockholm', 'YYYY-MM-DD')`.as(
        'created',
      ),
      sql<string | null>`(select to_char(max(a.at) at time zone 'Europe/Stockholm', 'YYYY-MM-DD')
        from audit_log a where a.user_id = app_user.id and a.action = 'inloggning')`.as(
        'lastSignIn',
      ),
    ])
    .where('appUser.active', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('userRole')
          .select('userRole.id')
          .whereRef('userRole.userId', '=', 'appUser.id')
          .where('userRole.role', '=', 'rapportor')
          .where(sql<boolean>`${sql.ref('userRole.namndId')} = any(${[...namndIds]}::text[])`),
      ),
    )
    .execute();
}

/** Forgets the claims of days before `before`: only today's matter, the audit log keeps the rest. */
export async function deleteRemindersBefore(db: Db, before: string): Promise<void> {
  await db.deleteFrom('reminderSent').where('day', '<', before).execute();
}
