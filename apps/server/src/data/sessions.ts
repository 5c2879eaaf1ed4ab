import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { SignInMethod } from '../db/schema';

export type SessionRecord = {
  id: string;
  secretHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  /** How the session began; a password when not given. */
  signInMethod?: SignInMethod;
};

export async function insertSession(db: Db, session: SessionRecord): Promise<void> {
  await db
    .insertInto('session')
    .values({ ...session, lastUsedAt: session.createdAt })
    .execute();
}

/**
 * The session and its user, whether it has ended or not: the caller decides. With it, in the same
 * statement, what the MFA policy needs (auth/mfa/policy.ts): whether MFA is required, and only
 * then whether the user has a factor — no query of its own per request.
 */
export async function findSession(db: Db, id: string) {
  return db
    .selectFrom('session')
    .innerJoin('appUser', 'appUser.id', 'session.userId')
    .select([
      sql<boolean | null>`(select required from mfa_policy where id = 1)`.as('mfaRequired'),
      sql<boolean | null>`case when (select required from mfa_policy where id = 1)
        then exists (select 1 from mfa_totp t where t.user_id = session.user_id)
          or exists (select 1 from mfa_passkey p where p.user_id = session.user_id)
        end`.as('hasFactor'),
      'session.signInMethod',
      'session.id',
      'session.secretHash',
      'session.userId',
      'session.createdAt',
      'session.lastUsedAt',
      'session.revokedAt',
      'appUser.username',
      'appUser.displayName',
      'appUser.active',
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
}

/**
 * Records a use of the session, unless one was recorded less than `minGapMs` ago: one write a
 * minute at most, however many requests. The stored time can only be earlier than the last use,
 * so the idle rule ends a session early rather than late.
 */
export async function touchSession(db: Db, id: string, at: Date, minGapMs: number): Promise<void> {
  await db
    .updateTable('session')
    .set({ lastUsedAt: at })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .where('lastUsedAt', '<=', new Date(at.getTime() - minGapMs))
    .execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

/**
 * Ends every session of a user at once: on deactivation, a narrowing of roles or a new password.
 * The rows stay, marked revoked, so that the user's next request hears why; see
 * {@link deleteEndedSessions}.
 */
export async function deleteUserSessions(db: Db, userId: string, at = new Date()): Promise<void> {
  await db
    .updateTable('session')
    .set({ revokedAt: at })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .execute();
}

/**
 * Removes the sessions that ended longer than `keepMs` ago: idle since before `now - idleMs -
 * keepMs`, begun before `now - maxMs - keepMs`, or revoked before `now - keepMs`.
 */
export async function deleteEndedSessions(
  db: Db,
  now: Date,
  { idleMs, maxMs, keepMs }: { idleMs: number; maxMs: number; keepMs: number },
): Promise<number> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const result = await db
    .deleteFrom('session')
    .where((eb) =>
      eb.or([
        eb('lastUsedAt', '<', before(idleMs + keepMs)),
        eb('createdAt', '<', before(maxMs + keepMs)),
        eb('revokedAt', '<', before(keepMs)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How a session began (password, OIDC, SAML); undefined for a session that is gone. */
export async function sessionSignInMethod(db: Db, id: string) {
  const row = await db
    .selectFrom('session')
    .select('signInMethod')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.signInMethod;
}
