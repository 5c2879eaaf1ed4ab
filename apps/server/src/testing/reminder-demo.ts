import { addDays, nextWorkingDay, todayInStockholm } from '@evb/domain';
import { beforeAll, expect } from 'vitest';
import type { Db } from '../db/database';
import { DEMO_USERNAMES } from '../seed/organisation';
import { seedDemoIfEmpty } from '../seed/startup';
import type { ServerClock } from '../trpc/context';
import { callerFor, useTestDatabase } from './harness';

/*
 * What the reminder tests (the calendar feed, the e-mail digest, the push reminder) stand on: the
 * demo kommun seeded once for the file as of a working day, its demo users by username, and every
 * seeded person's personal data, which no reminder may hold.
 */

/** A working day, so that the reminders go; the demo data is placed relative to it. */
export const REMINDER_DAY = nextWorkingDay(todayInStockholm());
/** 07:30 in Stockholm on REMINDER_DAY (UTC+1 or +2: 05:30 UTC is 06:30 or 07:30; 06:30 UTC is after 07). */
export const MORNING = new Date(`${REMINDER_DAY}T06:30:00Z`);
/** 07:30 or 08:30 in Stockholm on the first working day at least `days` after REMINDER_DAY. */
export const laterMorning = (days: number) =>
  new Date(`${nextWorkingDay(addDays(REMINDER_DAY, days))}T06:30:00Z`);

/**
 * The file's database (never emptied, no fixture) with the demo kommun seeded before its tests as
 * of REMINDER_DAY; `userId` names a demo user by username, `caller` is theirs at `clock`.
 */
export function useReminderDemo(clock: ServerClock) {
  const database = useTestDatabase({ reset: 'never', fixture: false });
  const users = new Map<string, string>();
  beforeAll(async () => {
    await seedDemoIfEmpty(database.db, REMINDER_DAY);
    for (const row of await database.db
      .selectFrom('appUser')
      .select(['id', 'username'])
      .where('username', 'in', [...DEMO_USERNAMES])
      .execute()) {
      users.set(row.username, row.id);
    }
  });
  const userId = (username: string): string => {
    const id = users.get(username);
    if (id === undefined) throw new Error(`No demo user ${username}`);
    return id;
  };
  const caller = (username: string) => callerFor(database, userId(username), clock);
  return { database, userId, caller };
}

/**
 * Every seeded person's names and identity numbers, in the forms they could be written, and the
 * staff's names (a reminder greets nobody by name).
 */
export async function personalData(db: Db): Promise<string[]> {
  const persons = await db
    .selectFrom('person')
    .select(['fornamn', 'efternamn', 'personnummer', 'ivoId'])
    .execute();
  expect(persons.length).toBeGreaterThan(100);
  const values = new Set<string>();
  for (const p of persons) {
    values.add(p.fornamn);
    values.add(p.efternamn);
    values.add(`${p.fornamn} ${p.efternamn}`);
    values.add(p.ivoId);
    if (p.personnummer) {
      values.add(p.personnummer);
      values.add(p.personnummer.slice(2));
      values.add(`${p.personnummer.slice(0, 8)}-${p.personnummer.slice(8)}`);
      values.add(`${p.personnummer.slice(2, 8)}-${p.personnummer.slice(8)}`);
    }
  }
  for (const u of await db.selectFrom('appUser').select('displayName').execute()) {
    values.add(u.displayName);
  }
  return [...values];
}

/** The values found in `text` as whole words (a first name inside another word is no leak). */
export function leaks(text: string, values: readonly string[]): string[] {
  return values.filter((value) => {
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
  });
}
