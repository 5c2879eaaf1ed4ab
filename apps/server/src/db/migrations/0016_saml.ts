import { type Kysely, sql } from 'kysely';

/*
 * Sign-in through the kommun's identity provider with SAML 2.0 (issue 14). Kept in the database,
 * not in the process, so that two evb servers behind one address agree:
 *
 * - `saml_request`: the ids of AuthnRequests (and LogoutRequests) evb sent and has not yet seen
 *   answered. A Response is taken only in reply to one of them (InResponseTo), within ten
 *   minutes; the id is removed when its answer is checked. node-saml reads and writes it through
 *   its cache provider (auth/saml/request-store.ts).
 * - `saml_assertion`: the id of every assertion accepted, kept until the assertion's
 *   NotOnOrAfter has passed (plus the clock skew allowed), so that the same assertion is never
 *   accepted twice — the primary key decides between two servers receiving it at once.
 * - `saml_session`: for a session that began with SAML, the NameID and SessionIndex the IdP
 *   gave, which single logout (SLO) names in either direction. Goes with its session.
 * - `saml_logout`: a sign-out under way. auth.logout ends the evb session (and its saml_session
 *   row) and hands the browser a one-time ticket to /api/auth/saml/logout, which sends it on to
 *   the IdP with a LogoutRequest for the subject kept here. The id is the SHA-256 of the ticket;
 *   the row is taken once, within five minutes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('saml_request')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`char_length(id) <= 128`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('saml_request_created')
    .on('saml_request')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('saml_assertion')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`char_length(id) <= 256`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('saml_assertion_expires')
    .on('saml_assertion')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('saml_session')
    .addColumn('session_id', 'text', (c) =>
      c.primaryKey().references('session.id').onDelete('cascade'),
    )
    .addColumn('name_id', 'text', (c) => c.notNull().check(sql`char_length(name_id) <= 512`))
    .addColumn('name_id_format', 'text', (c) => c.check(sql`char_length(name_id_format) <= 256`))
    .addColumn('session_index', 'text', (c) => c.check(sql`char_length(session_index) <= 256`))
    .execute();
  await db.schema
    .createIndex('saml_session_name_id')
    .on('saml_session')
    .column('name_id')
    .execute();

  await db.schema
    .createTable('saml_logout')
    .addColumn('id', 'text', (c) => c.primaryKey().check(sql`char_length(id) = 64`))
    .addColumn('name_id', 'text', (c) => c.notNull().check(sql`char_length(name_id) <= 512`))
    .addColumn('name_id_format', 'text', (c) => c.check(sql`char_length(name_id_format) <= 256`))
    .addColumn('session_index', 'text', (c) => c.check(sql`char_length(session_index) <= 256`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('saml_logout_created')
    .on('saml_logout')
    .column('created_at')
    .execute();
}
