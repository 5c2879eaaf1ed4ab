import type { Db } from '../db/database';
import type { EnhetTyp } from '../db/schema';

/*
 * Read-only lookups in the organisation: nämnder, the verksamhetsområden each reports for, and the
 * units and matching teams that carry out orders. Who may see what is decided by the caller.
 */

export async function findNamnd(db: Db, id: string) {
  return db.selectFrom('namnd').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The nämnder with these ids, or every nämnd when `ids` is null. Ordered by name. */
export async function listNamnder(db: Db, ids: readonly string[] | null) {
  if (ids?.length === 0) return [];
  let query = db.selectFrom('namnd').selectAll().orderBy('namn').orderBy('id');
  if (ids) query = query.where('id', 'in', ids);
  return query.execute();
}

/** The verksamhetsområden these nämnder report for. */
export async function verksamhetsomradenOf(db: Db, namndIds: readonly string[]) {
  if (namndIds.length === 0) return [];
  return db
    .selectFrom('namndVerksamhetsomrade')
    .selectAll()
    .where('namndId', 'in', namndIds)
    .orderBy('namndId')
    .orderBy('verksamhetsomrade')
    .execute();
}

export async function findEnhet(db: Db, id: string) {
  return db.selectFrom('enhet').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The units and teams with these ids. */
export async function findEnheter(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('enhet').selectAll().where('id', 'in', ids).execute();
}

/** The units and teams of these nämnder, optionally of one kind only. Ordered by name. */
export async function enheterOf(db: Db, namndIds: readonly string[], typ?: EnhetTyp) {
  if (namndIds.length === 0) return [];
  let query = db
    .selectFrom('enhet')
    .selectAll()
    .where('namndId', 'in', namndIds)
    .orderBy('namn')
    .orderBy('id');
  if (typ) query = query.where('typ', '=', typ);
  return query.execute();
}
