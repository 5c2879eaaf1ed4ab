import { type ExpressionBuilder, sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { DB } from '../db/schema';

/** The SQL condition "the caller may see this decision". */
export function visibleTo(scope: DecisionScope) {
  return (eb: ExpressionBuilder<DB, 'decision'>) => {
    const ors = [];
    if (scope.enhetIds.length > 0) ors.push(eb('decision.enhetId', 'in', scope.enhetIds));
    if (scope.handlaggareId) ors.push(eb('decision.handlaggareId', '=', scope.handlaggareId));
    for (const area of scope.namndAreas) {
      ors.push(
        area.verksamhetsomrade
          ? eb.and([
              eb('decision.namndId', '=', area.namndId),
              eb('decision.verksamhetsomrade', '=', area.verksamhetsomrade),
            ])
          : eb('decision.namndId', '=', area.namndId),
      );
    }
    return ors.length > 0 ? eb.or(ors) : sql<boolean>`false`;
  };
}

/** A decision the caller may see, or undefined (unknown and forbidden look the same). */
export async function findVisibleDecision(db: Db, scope: DecisionScope, id: string) {
  return db
    .selectFrom('decision')
    .selectAll('decision')
    .where('decision.id', '=', id)
    .where(visibleTo(scope))
    .executeTakeFirst();
}

export async function eventsOfDecision(db: Db, decisionId: string) {
  return db
    .selectFrom('caseEvent')
    .selectAll()
    .where('decisionId', '=', decisionId)
    .orderBy('date')
    .orderBy('recordedAt')
    .orderBy('id')
    .execute();
}

/**
 * Takes the one lock that orders writes which advance `change_seq`, for the rest of the
 * transaction: a transaction that drew a lower seq commits before one that draws a higher, so a
 * sync pull that has seen seq n will never later find a new row below n. (PGlite has one
 * connection, where this is a no-op in effect.)
 */
export async function lockChangeSequence(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(7331001)`.execute(db);
}

export function nextSeq() {
  return sql<number>`nextval('change_seq')`;
}

export type EventInsert = {
  id: string;
  decisionId: string;
  type: string;
  date: string;
  recordedAt: Date;
  recordedBy: string;
  data: Record<string, unknown>;
};

export async function findEventById(db: Db, id: string) {
  return db.selectFrom('caseEvent').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertEvent(db: Db, event: EventInsert) {
  return db
    .insertInto('caseEvent')
    .values({ ...event, data: JSON.stringify(event.data), seq: nextSeq() })
    .returningAll()
    .executeTakeFirstOrThrow();
}
