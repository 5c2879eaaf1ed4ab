import { type Kysely, sql } from 'kysely';

/*
 * Web Push reminders (issue 12): the push channel beside the e-mail digest.
 *
 * - `push_subscription`: one row per device (browser) a user subscribed, with the push service's
 *   endpoint (unique: one device, one user) and the keys the payload is encrypted with. A push
 *   service that answers 404 or 410 for an endpoint removes its row.
 * - `reminder_preference.push_enabled`: the user's choice of the push channel (off by default).
 * - `reminder_sent.channel` may also be 'push': each user's push reminder of a day is claimed once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('push_subscription')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) =>
      c.notNull().unique().check(sql`char_length(endpoint) <= 2000`),
    )
    .addColumn('p256dh', 'text', (c) => c.notNull().check(sql`char_length(p256dh) <= 200`))
    .addColumn('auth', 'text', (c) => c.notNull().check(sql`char_length(auth) <= 100`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_success_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('push_subscription_user')
    .on('push_subscription')
    .column('user_id')
    .execute();

  await db.schema
    .alterTable('reminder_preference')
    .addColumn('push_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();

  await sql`alter table reminder_sent drop constraint reminder_sent_channel_check`.execute(db);
  await sql`alter table reminder_sent add constraint reminder_sent_channel_check
    check (channel in ('email', 'push'))`.execute(db);
}
