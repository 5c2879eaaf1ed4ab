import { sql } from 'kysely';
import type { Db } from '../db/database';

/** How long a sign-in may stay at the provider before its answer is refused. */
export const OIDC_LOGIN_TTL_MS = 10 * 60 * 1000;

/**
 * At most this many sign-ins under way at once: anyone may start one without being signed in, so
 * a flood of them must not fill the database. Far above what a kommun's staff start in ten minutes.
 */
export const MAX_PENDING_OIDC_LOGINS = 10_000;

/**
 * Remembers a sign-in under way; sign-ins older than the limit are removed on the way. False (and
 * nothing stored) when the most allowed are under way already.
 */
export async function insertOidcLogin(
  db: Db,
  login: { id: string; state: string; nonce: string; codeVerifier: string; createdAt: Date },
  max = MAX_PENDING_OIDC_LOGINS,
): Promise<boolean> {
  await db
    .deleteFrom('oidcLogin')
    .where('createdAt', '<', new Date(login.createdAt.getTime() - OIDC_LOGIN_TTL_MS))
    .execute();
  if ((await countOidcLogins(db)) >= max) return false;
  await db.insertInto('oidcLogin').values(login).execute();
  return true;
}

/**
 * Takes the sign-in under way with the id, if it is younger than the limit: deleted in the same
 * statement, so an answer is used once however many requests carry it.
 */
export async function takeOidcLogin(db: Db, id: string, now: Date) {
  const row = await db
    .deleteFrom('oidcLogin')
    .where('id', '=', id)
    .returning(['state', 'nonce', 'codeVerifier', 'createdAt'])
    .executeTakeFirst();
  if (!row || row.createdAt.getTime() <= now.getTime() - OIDC_LOGIN_TTL_MS) return undefined;
  return row;
}

/** How many sign-ins are under way (for tests). */
export async function countOidcLogins(db: Db): Promise<number> {
  const { count } = await db
    .selectFrom('oidcLogin')
    .select(sql<number>`count(*)::int`.as('count'))
    .executeTakeFirstOrThrow();
  return count;
}
