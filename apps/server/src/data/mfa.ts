import { sql } from 'kysely';
import type { Db } from '../db/database';

/*
 * The second factors of local accounts (migration 0018): TOTP keys, passkeys, recovery codes, the
 * enrolments and sign-ins under way, and the policy row. Rules live in auth/mfa/.
 */

// --- Policy ---

/** Whether MFA is required of password sign-ins; no row (a truncated test database): not. */
export async function findMfaPolicy(db: Db) {
  const row = await db
    .selectFrom('mfaPolicy')
    .select(['required', 'changedAt'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row ?? { required: false, changedAt: null };
}

export async function saveMfaPolicy(db: Db, required: boolean, by: string, at: Date) {
  await db
    .insertInto('mfaPolicy')
    .values({ id: 1, required, changedAt: at, changedBy: by })
    .onConflict((oc) => oc.column('id').doUpdateSet({ required, changedAt: at, changedBy: by }))
    .execute();
}

// --- What a user has ---

export type FactorSummary = { totp: boolean; passkeys: number; recoveryCodesLeft: number };

export async function factorSummary(db: Db, userId: string): Promise<FactorSummary> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('mfaTotp').select('userId').where('userId', '=', userId)).as('totp'),
      eb
        .selectFrom('mfaPasskey')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('userId', '=', userId)
        .as('passkeys'),
      eb
        .selectFrom('mfaRecoveryCode')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('userId', '=', userId)
        .where('usedAt', 'is', null)
        .as('recoveryCodesLeft'),
    ])
    .executeTakeFirstOrThrow();
  return {
    totp: Boolean(row.totp),
    passkeys: Number(row.passkeys ?? 0),
    recoveryCodesLeft: Number(row.recoveryCodesLeft ?? 0),
  };
}

/** Per user with any factor: whether TOTP is on and how many passkeys (users.list). */
export async function factorsOfAllUsers(db: Db) {
  const rows = await db
    .selectFrom('appUser')
    .select((eb) => [
      'appUser.id',
      eb
        .exists(eb.selectFrom('mfaTotp').select('userId').whereRef('userId', '=', 'appUser.id'))
        .as('totp'),
      eb
        .selectFrom('mfaPasskey')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('userId', '=', 'appUser.id')
        .as('passkeys'),
    ])
    .execute();
  return new Map(
    rows.map((r) => [r.id, { totp: Boolean(r.totp), passkeys: Number(r.passkeys ?? 0) }]),
  );
}

/** Deletes every factor and recovery code of a user (an administrator's reset). */
export async function deleteAllFactors(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('mfaTotp').where('userId', '=', userId).execute();
  await db.deleteFrom('mfaPasskey').where('userId', '=', userId).execute();
  await db.deleteFrom('mfaRecoveryCode').where('userId', '=', userId).execute();
  await db.deleteFrom('mfaPendingSignIn').where('userId', '=', userId).execute();
}

// --- TOTP ---

export async function findTotp(db: Db, userId: string) {
  return db
    .selectFrom('mfaTotp')
    .select(['secret', 'lastUsedStep'])
    .where('userId', '=', userId)
    .executeTakeFirst();
}

export async function saveTotp(db: Db, userId: string, secret: string, step: number, at: Date) {
  await db
    .insertInto('mfaTotp')
    .values({ userId, secret, lastUsedStep: step, createdAt: at })
    .onConflict((oc) =>
      oc.column('userId').doUpdateSet({ secret, lastUsedStep: step, createdAt: at }),
    )
    .execute();
}

/**
 * Records that the code of `step` was used, only if no code of this or a later step was: false
 * when another request used it first (a replay), in one statement.
 */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('mfaTotp')
    .set({ lastUsedStep: step })
    .where('userId', '=', userId)
    .where((eb) => eb.or([eb('lastUsedStep', 'is', null), eb('lastUsedStep', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTotp(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('mfaTotp').where('userId', '=', userId).execute();
}

// --- Passkeys ---

export async function listPasskeys(db: Db, userId: string) {
  return db
    .selectFrom('mfaPasskey')
    .select(['id', 'name', 'publicKey', 'counter', 'transports', 'createdAt', 'lastUsedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export async function findPasskey(db: Db, userId: string, id: string) {
  return db
    .selectFrom('mfaPasskey')
    .select(['id', 'publicKey', 'counter', 'transports'])
    .where('userId', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function passkeyIdTaken(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('mfaPasskey')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertPasskey(
  db: Db,
  passkey: {
    id: string;
    userId: string;
    name: string;
    publicKey: string;
    counter: number;
    transports: string | null;
    createdAt: Date;
  },
): Promise<void> {
  await db.insertInto('mfaPasskey').values(passkey).execute();
}

export async function recordPasskeyUse(db: Db, id: string, counter: number, at: Date) {
  await db
    .updateTable('mfaPasskey')
    .set({ counter, lastUsedAt: at })
    .where('id', '=', id)
    .execute();
}

/** Deletes one of the user's passkeys; false when they have none with the id. */
export async function deletePasskey(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('mfaPasskey')
    .where('userId', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

// --- Recovery codes ---

/** Replaces the user's recovery codes with these (hashes): the old ones are void. */
export async function replaceRecoveryCodes(db: Db, userId: string, hashes: readonly string[]) {
  await db.deleteFrom('mfaRecoveryCode').where('userId', '=', userId).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('mfaRecoveryCode')
    .values(hashes.map((codeHash) => ({ userId, codeHash })))
    .execute();
}

export async function unusedRecoveryCodeHashes(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('mfaRecoveryCode')
    .select('codeHash')
    .where('userId', '=', userId)
    .where('usedAt', 'is', null)
    .execute();
  return rows.map((r) => r.codeHash);
}

/** Marks a code used, only if it was not: false when another request used it first. */
export async function useRecoveryCode(db: Db, userId: string, hash: string, at: Date) {
  const result = await db
    .updateTable('mfaRecoveryCode')
    .set({ usedAt: at })
    .where('userId', '=', userId)
    .where('codeHash', '=', hash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- Enrolments under way (tied to a session) ---

export async function saveEnrolment(
  db: Db,
  sessionId: string,
  kind: 'totp' | 'passkey',
  value: string,
  at: Date,
): Promise<void> {
  await db
    .insertInto('mfaEnrolment')
    .values({ sessionId, kind, value, createdAt: at })
    .onConflict((oc) => oc.columns(['sessionId', 'kind']).doUpdateSet({ value, createdAt: at }))
    .execute();
}

export async function findEnrolment(db: Db, sessionId: string, kind: 'totp' | 'passkey') {
  return db
    .selectFrom('mfaEnrolment')
    .select(['value', 'createdAt'])
    .where('sessionId', '=', sessionId)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

/** Takes an enrolment (deleted in the same statement, so a challenge is answered once). */
export async function takeEnrolment(db: Db, sessionId: string, kind: 'totp' | 'passkey') {
  return db
    .deleteFrom('mfaEnrolment')
    .where('sessionId', '=', sessionId)
    .where('kind', '=', kind)
    .returning(['value', 'createdAt'])
    .executeTakeFirst();
}

// --- Sign-ins waiting for their second factor ---

export async function insertPendingSignIn(
  db: Db,
  row: { id: string; secretHash: string; userId: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await db.deleteFrom('mfaPendingSignIn').where('expiresAt', '<=', now).execute();
  await db.insertInto('mfaPendingSignIn').values(row).execute();
}

/** The pending sign-in with its user, expired or not: the caller decides. */
export async function findPendingSignIn(db: Db, id: string) {
  return db
    .selectFrom('mfaPendingSignIn')
    .innerJoin('appUser', 'appUser.id', 'mfaPendingSignIn.userId')
    .select([
      'mfaPendingSignIn.id',
      'mfaPendingSignIn.secretHash',
      'mfaPendingSignIn.userId',
      'mfaPendingSignIn.expiresAt',
      'mfaPendingSignIn.failures',
      'mfaPendingSignIn.challenge',
      'appUser.username',
      'appUser.displayName',
      'appUser.active',
    ])
    .where('mfaPendingSignIn.id', '=', id)
    .executeTakeFirst();
}

export async function setPendingChallenge(db: Db, id: string, challenge: string | null) {
  await db.updateTable('mfaPendingSignIn').set({ challenge }).where('id', '=', id).execute();
}

/**
 * Uses up the open passkey challenge if it is `challenge` (the one the answer signed), in one
 * statement: false when it is not, or another request used it first.
 */
export async function claimPendingChallenge(db: Db, id: string, challenge: string) {
  const result = await db
    .updateTable('mfaPendingSignIn')
    .set({ challenge: null })
    .where('id', '=', id)
    .where('challenge', '=', challenge)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Counts a wrong answer; the count after it. */
export async function countPendingFailure(db: Db, id: string): Promise<number> {
  const row = await db
    .updateTable('mfaPendingSignIn')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('id', '=', id)
    .returning('failures')
    .executeTakeFirst();
  return row?.failures ?? Number.POSITIVE_INFINITY;
}

/** Ends a pending sign-in; false when it was gone already (another request finished it). */
export async function deletePendingSignIn(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('mfaPendingSignIn').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
