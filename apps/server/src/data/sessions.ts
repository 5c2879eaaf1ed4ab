import type { Db } from '../db/database';

export type SessionRecord = { id: string; secretHash: string; userId: string; expiresAt: Date };

export async function insertSession(db: Db, session: SessionRecord): Promise<void> {
  await db.insertInto('session').values(session).execute();
}

/** The session and its user, if the user is still active. */
export async function findSession(db: Db, id: string) {
  return db
    .selectFrom('session')
    .innerJoin('appUser', 'appUser.id', 'session.userId')
    .select([
      'session.id',
      'session.secretHash',
      'session.userId',
      'session.expiresAt',
      'appUser.username',
      'appUser.displayName',
      'appUser.active',
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
}

export async function extendSession(db: Db, id: string, expiresAt: Date): Promise<void> {
  await db.updateTable('session').set({ expiresAt }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

/** Ends every session of a user at once: on removal or a change of roles. */
export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('session').where('userId', '=', userId).execute();
}
