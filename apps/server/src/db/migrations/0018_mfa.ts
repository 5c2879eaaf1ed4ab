import { type Kysely, sql } from 'kysely';

/*
 * MFA for local accounts (issue 14): a second factor after a right password — an app for one-time
 * codes (TOTP), passkeys (WebAuthn) and one-time recovery codes — and the administrator's switch
 * that requires it of every password sign-in.
 *
 * - `mfa_totp`: a user's confirmed TOTP key (base32), with the last time step a code was accepted
 *   for, so that a code is accepted once.
 * - `mfa_passkey`: a user's WebAuthn credentials: id (base64url), public key (COSE, base64url),
 *   the authenticator's signature counter.
 * - `mfa_recovery_code`: SHA-256 (hex) of each recovery code; used ones are kept, marked, until the
 *   codes are made again.
 * - `mfa_enrolment`: a TOTP key or passkey challenge being enrolled, tied to the session that
 *   began it (gone with the session).
 * - `mfa_pending_sign_in`: a sign-in whose password was right, waiting for its second factor:
 *   keyed by the browser's evb_mfa cookie (the database keeps the SHA-256 of its secret).
 * - `mfa_policy`: one row, whether MFA is required of password sign-ins.
 */

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table mfa_totp (
      user_id text primary key references app_user (id) on delete cascade,
      secret text not null check (char_length(secret) <= 64),
      last_used_step bigint,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table mfa_passkey (
      id text primary key check (char_length(id) <= 1400),
      user_id text not null references app_user (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 60),
      public_key text not null,
      counter bigint not null default 0,
      transports text,
      created_at timestamptz not null default now(),
      last_used_at timestamptz
    )`.execute(db);
  await sql`create index mfa_passkey_user on mfa_passkey (user_id)`.execute(db);
  await sql`
    create table mfa_recovery_code (
      user_id text not null references app_user (id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      primary key (user_id, code_hash)
    )`.execute(db);
  await sql`
    create table mfa_enrolment (
      session_id text not null references session (id) on delete cascade,
      kind text not null check (kind in ('totp', 'passkey')),
      value text not null,
      created_at timestamptz not null default now(),
      primary key (session_id, kind)
    )`.execute(db);
  await sql`
    create table mfa_pending_sign_in (
      id text primary key,
      secret_hash text not null,
      user_id text not null references app_user (id) on delete cascade,
      expires_at timestamptz not null,
      failures integer not null default 0,
      challenge text
    )`.execute(db);
  await sql`
    create table mfa_policy (
      id integer primary key check (id = 1),
      required boolean not null default false,
      changed_at timestamptz,
      changed_by text references app_user (id)
    )`.execute(db);
  await sql`insert into mfa_policy (id, required) values (1, false)`.execute(db);
}
