import { sql } from 'kysely';
import type { Db } from '../db/database';

export type CountedAttempt = { failures: number; lockedUntil: Date | null };

/**
 * Counts one more attempt for `username` as a failure, before its password is checked, in one
 * statement: the row is locked while it is updated, so parallel attempts are counted one after
 * the other on PostgreSQL as on PGlite, and each one sees the count including itself.
 *
 * - A lock that has run out, or a last failure older than `forgetMs`, starts the count again at 1.
 * - Otherwise the count goes up by one (also while locked: those attempts are refused unchecked).
 * - The attempt that brings the count to `lockAfter` begins the lock, until `now + lockMs`.
 *
 * A successful check then deletes the row ({@link clearThrottle}).
 */
export async function countAttempt(
  db: Db,
  username: string,
  now: Date,
  { lockAfter, lockMs, forgetMs }: { lockAfter: number; lockMs: number; forgetMs: number },
): Promise<CountedAttempt> {
  const lockEnd = new Date(now.getTime() + lockMs);
  const forgottenBefore = new Date(now.getTime() - forgetMs);
  const row = await db
    .insertInto('loginThrottle')
    .values({
      username,
      failures: 1,
      lastFailureAt: now,
      lockedUntil: lockAfter <= 1 ? lockEnd : null,
    })
    .onConflict((oc) =>
      oc.column('username').doUpdateSet(() => {
        // Whether the count starts again: evaluated on the row as it was before this update.
        const restart = sql<boolean>`(login_throttle.locked_until is not null and login_throttle.locked_until <= ${now})
          or (login_throttle.locked_until is null and login_throttle.last_failure_at < ${forgottenBefore})`;
        const failures = sql<number>`case when ${restart} then 1 else login_throttle.failures + 1 end`;
        return {
          failures,
          lastFailureAt: now,
          lockedUntil: sql<Date | null>`case
            when ${restart} then ${lockAfter <= 1 ? lockEnd : null}::timestamptz
            when login_throttle.locked_until is not null then login_throttle.locked_until
            when login_throttle.failures + 1 >= ${lockAfter} then ${lockEnd}::timestamptz
            else null end`,
        };
      }),
    )
    .returning(['failures', 'lockedUntil'])
    .executeTakeFirstOrThrow();
  return { failures: row.failures, lockedUntil: row.lockedUntil };
}

export async function clearThrottle(db: Db, username: string): Promise<void> {
  await db.deleteFrom('loginThrottle').where('username', '=', username).execute();
}
