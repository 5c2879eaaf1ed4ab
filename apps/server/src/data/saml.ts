import type { Db } from '../db/database';

/* The SAML service provider's tables (migration 0016): pending request ids, accepted assertion ids,
 * and the IdP's names for a session. */

export async function insertSamlRequest(db: Db, id: string, createdAt: Date): Promise<void> {
  await db
    .insertInto('samlRequest')
    .values({ id, createdAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** When a pending request was sent, if it was sent after `since`. */
export async function findSamlRequest(db: Db, id: string, since: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('samlRequest')
    .select('createdAt')
    .where('id', '=', id)
    .where('createdAt', '>', since)
    .executeTakeFirst();
  return row?.createdAt ?? null;
}

/** Removes a pending request; when it was sent, if it was there. */
export async function deleteSamlRequest(db: Db, id: string): Promise<Date | null> {
  const row = await db
    .deleteFrom('samlRequest')
    .where('id', '=', id)
    .returning('createdAt')
    .executeTakeFirst();
  return row?.createdAt ?? null;
}

/** How many requests are pending (sent after `since`). */
export async function countSamlRequestsSince(db: Db, since: Date): Promise<number> {
  const row = await db
    .selectFrom('samlRequest')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('createdAt', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteSamlRequestsBefore(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('samlRequest').where('createdAt', '<=', before).execute();
}

/**
 * Records an assertion's id as used; false when it was already (a replay). The primary key decides,
 * so two servers given the same assertion at the same moment accept it once between them.
 */
export async function claimSamlAssertion(db: Db, id: string, expiresAt: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('samlAssertion')
    .values({ id, expiresAt })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Forgets assertions past their end: they would be refused as expired anyway. */
export async function deleteExpiredSamlAssertions(db: Db, now: Date): Promise<void> {
  await db.deleteFrom('samlAssertion').where('expiresAt', '<', now).execute();
}

export type SamlSessionRecord = {
  sessionId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
};

export async function insertSamlSession(db: Db, record: SamlSessionRecord): Promise<void> {
  await db.insertInto('samlSession').values(record).execute();
}

export async function findSamlSession(
  db: Db,
  sessionId: string,
): Promise<SamlSessionRecord | undefined> {
  return db
    .selectFrom('samlSession')
    .selectAll()
    .where('sessionId', '=', sessionId)
    .executeTakeFirst();
}

/**
 * Ends the sessions the IdP names in a LogoutRequest: the NameID's, only the one with the
 * SessionIndex when it names one. Returns how many.
 */
export async function deleteSessionsOfSamlSubject(
  db: Db,
  nameId: string,
  sessionIndex: string | null,
): Promise<number> {
  let ids = db.selectFrom('samlSession').select('sessionId').where('nameId', '=', nameId);
  if (sessionIndex !== null) ids = ids.where('sessionIndex', '=', sessionIndex);
  const deleted = await db.deleteFrom('session').where('id', 'in', ids).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Keeps a SAML session's subject for the sign-out that follows, under the ticket's hash. */
export async function insertSamlLogout(
  db: Db,
  id: string,
  record: Omit<SamlSessionRecord, 'sessionId'>,
  createdAt: Date,
): Promise<void> {
  await db
    .deleteFrom('samlLogout')
    .where('createdAt', '<', new Date(createdAt.getTime() - 3600_000))
    .execute();
  await db
    .insertInto('samlLogout')
    .values({ id, ...record, createdAt })
    .execute();
}

/** Takes a sign-out under way (once), if it began after `since`. */
export async function takeSamlLogout(
  db: Db,
  id: string,
  since: Date,
): Promise<Omit<SamlSessionRecord, 'sessionId'> | undefined> {
  return db
    .deleteFrom('samlLogout')
    .where('id', '=', id)
    .where('createdAt', '>', since)
    .returning(['nameId', 'nameIdFormat', 'sessionIndex'])
    .executeTakeFirst();
}
