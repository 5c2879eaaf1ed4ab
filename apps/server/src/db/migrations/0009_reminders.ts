import { type Kysely, sql } from 'kysely';

/*
 * Reminders (issue 12): each user chooses how evb reminds them of their own tasks; nothing is sent
 * by default.
 *
 * - `reminder_preference`: one row per user who has chosen anything. `email_digest` turns the
 *   e-mail digest of each working morning on; `horizon_days` is how far ahead it looks. The private
 *   calendar feed is a random secret in its URL; only its SHA-256 is kept (`calendar_secret_hash`,
 *   as for sessions), with when it was made. Another channel (Web Push) adds its own column here.
 * - `reminder_sent`: one row per user, day and channel once that day's reminder is claimed, so it
 *   goes once a day however many servers run and however often they restart. `sent_at` is set
 *   when the day's digest was sent, or found to hold nothing (then no mail goes); `items` holds
 *   the counts per kind of task (never a person). Claims older than a month are deleted.
 * - An index on the audit log's sign-ins per user: the huvudrapportör's reminder counts the
 *   rapportörer who have not signed in for 90 days.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reminder_preference')
    .addColumn('user_id', 'text', (c) =>
      c.primaryKey().references('app_user.id').onDelete('cascade'),
    )
    .addColumn('email_digest', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('horizon_days', 'integer', (c) =>
      c.notNull().defaultTo(7).check(sql`horizon_days between 0 and 60`),
    )
    .addColumn('calendar_secret_hash', 'text', (c) => c.unique())
    .addColumn('calendar_created_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('reminder_sent')
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email')`))
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('items', 'jsonb')
    .addPrimaryKeyConstraint('reminder_sent_pkey', ['user_id', 'day', 'channel'])
    .execute();

  await db.schema
    .createIndex('audit_log_user_action_at')
    .on('audit_log')
    .columns(['user_id', 'action', 'at'])
    .execute();
}
