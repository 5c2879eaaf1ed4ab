import type { Insertable } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { PersonTable } from '../db/schema';
import { nextSeq, visibleTo } from './decisions';

export async function findPersonById(db: Db, id: string) {
  return db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The kommun's person with this personnummer or samordningsnummer (12 digits, no dash). */
export async function findPersonByPersonnummer(db: Db, kommunId: string, personnummer: string) {
  return db
    .selectFrom('person')
    .selectAll()
    .where('kommunId', '=', kommunId)
    .where('personnummer', '=', personnummer)
    .executeTakeFirst();
}

/** Whether the caller may see at least one decision about the person. */
export async function personHasVisibleDecision(
  db: Db,
  scope: DecisionScope,
  personId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('decision')
    .select('decision.id')
    .where('decision.personId', '=', personId)
    .where(visibleTo(scope))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** IVO pseudo-ids already given to someone born on `birthDate` (`YYYYMMDD-…`), in any kommun. */
export async function ivoIdsBornOn(db: Db, birthDate: string): Promise<string[]> {
  const prefix = `${birthDate.replaceAll('-', '')}-`;
  const rows = await db
    .selectFrom('person')
    .select('ivoId')
    .where('ivoId', 'like', `${prefix}%`)
    .execute();
  return rows.map((r) => r.ivoId);
}

export type PersonInsert = Omit<Insertable<PersonTable>, 'seq' | 'createdAt'>;

/**
 * Inserts a person unless a unique key (the IVO id, or the kommun's personnummer) is taken: then
 * nothing is written and undefined is returned, without aborting the caller's transaction.
 */
export async function insertPersonUnlessTaken(db: Db, person: PersonInsert) {
  return db
    .insertInto('person')
    .values({ ...person, seq: nextSeq() })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}
