import type { Db } from '../db/database';

export async function findUserByUsername(db: Db, username: string) {
  return db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'passwordHash', 'active'])
    .where('username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
}

export async function rolesOfUser(db: Db, userId: string) {
  return db
    .selectFrom('userRole')
    .select(['id', 'role', 'namndId', 'verksamhetsomrade', 'enhetId'])
    .where('userId', '=', userId)
    .orderBy('role')
    .orderBy('id')
    .execute();
}
