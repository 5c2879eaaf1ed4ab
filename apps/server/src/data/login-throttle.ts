import type { Db } from '../db/database';

export async function findThrottle(db: Db, username: string) {
  return db
    .selectFrom('loginThrottle')
    .select(['failures', 'lastFailureAt', 'lockedUntil'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function saveThrottle(
  db: Db,
  username: string,
  failures: number,
  at: Date,
  lockedUntil: Date | null,
): Promise<void> {
  await db
    .insertInto('loginThrottle')
    .values({ username, failures, lastFailureAt: at, lockedUntil })
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({ failures, lastFailureAt: at, lockedUntil }),
    )
    .execute();
}

export async function clearThrottle(db: Db, username: string): Promise<void> {
  await db.deleteFrom('loginThrottle').where('username', '=', username).execute();
}
