import { type Kysely, sql } from 'kysely';

/*
 * Sign-in through the kommun's identity provider (issue 14): OpenID Connect and SAML.
 *
 * - `app_user.external_id`: the value of the IdP's configured claim or attribute (HSA-id,
 *   employee number, UPN, e-mail) that signs this user in, when an administrator set one; without
 *   it the value is matched against the username. Unique without regard to case, as it is matched
 *   (auth/external-identity.ts).
 * - `app_user.break_glass`: may still sign in with a password when LOCAL_PASSWORDS=off.
 * - `session.sign_in_method`: how the session began, so that signing out can also end the
 *   provider's session (RP-initiated logout, SAML SLO) only for sessions that came from it.
 * - `oidc_login`: an OpenID Connect sign-in under way, between the redirect to the provider and
 *   its answer (at most ten minutes, used once). Its id is the SHA-256 of a secret that only the
 *   browser's HttpOnly cookie holds, so an answer is accepted only in the browser that asked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('app_user')
    .addColumn('external_id', 'text', (c) =>
      c.check(sql`char_length(external_id) between 1 and 256`),
    )
    .addColumn('break_glass', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await sql`create unique index app_user_external_id on app_user (lower(external_id))`.execute(db);

  await db.schema
    .alterTable('session')
    .addColumn('sign_in_method', 'text', (c) =>
      c.notNull().defaultTo('password').check(sql`sign_in_method in ('password', 'oidc', 'saml')`),
    )
    .execute();

  await db.schema
    .createTable('oidc_login')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`char_length(state) <= 128`))
    .addColumn('nonce', 'text', (c) => c.notNull().check(sql`char_length(nonce) <= 128`))
    .addColumn('code_verifier', 'text', (c) =>
      c.notNull().check(sql`char_length(code_verifier) <= 128`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('oidc_login_created').on('oidc_login').column('created_at').execute();
}
