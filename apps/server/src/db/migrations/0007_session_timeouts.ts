import { type Kysely, sql } from 'kysely';

/*
 * Sessions end after an idle time and at an absolute lifetime (ASVS L2, issue 10), instead of
 * living 30 days with sliding renewal:
 *
 * - `last_used_at`: when the session was last used, written at most once a minute; the session
 *   ends when it has been idle for SESSION_IDLE_MINUTES. Existing sessions start their idle time
 *   now.
 * - `revoked_at`: when the session was ended for the user (deactivated, roles narrowed, password
 *   changed). The row is kept for a while after that, like a session that ran out, so that the
 *   next request can be told why it was signed out; old rows are cleaned up at each sign-in.
 *
 * The absolute end is `created_at` plus SESSION_MAX_HOURS, read at each request; `expires_at`
 * keeps the end as it was when the session began.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('session')
    .addColumn('last_used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
}
