import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type SqlBool,
  sql,
} from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { DB, DecisionTable } from '../db/schema';
import { notVoided } from './voided';

/**
 * A person's details as a decision read selects them beside the decision, prefixed `person…`. Kept
 * here, not in persons.ts, which uses this module's visibleTo and nextSeq: no import cycle.
 */
export const PERSON_DETAIL_COLUMNS = [
  'person.fornamn as personFornamn',
  'person.efternamn as personEfternamn',
  'person.personnummer as personPersonnummer',
  'person.identitet as personIdentitet',
  'person.kon as personKon',
  'person.fodelsedatum as personFodelsedatum',
  'person.skyddadIdentitet as personSkyddadIdentitet',
  'person.ivoId as personIvoId',
] as const;

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

/** The stored events among these ids. */
export async function findEventsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('caseEvent').selectAll().where(oneOf('caseEvent.id', ids)).execute();
}

/**
 * Inserts events in one statement, each with its own seq drawn in the order given, and returns
 * the rows as stored (in no promised order: match them by id).
 */
export async function insertEvents(db: Db, events: readonly EventInsert[]) {
  if (events.length === 0) return [];
  return db
    .insertInto('caseEvent')
    .values(events.map((event) => ({ ...event, data: JSON.stringify(event.data), seq: nextSeq() })))
    .returningAll()
    .execute();
}

/** The condition "column is one of ids", as one array parameter however many ids there are. */
function oneOf(column: string, ids: readonly string[]) {
  return sql<boolean>`${sql.ref(column)} = any(${[...ids]}::text[])`;
}

/** The decisions among these ids that the caller may see. */
export async function findVisibleDecisions(db: Db, scope: DecisionScope, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('decision')
    .selectAll('decision')
    .where(oneOf('decision.id', ids))
    .where(visibleTo(scope))
    .execute();
}

/** An event as the domain reads it: the common columns, recordedAt as an ISO string, its fields. */
export type TimelineEvent = {
  id: string;
  type: string;
  date: string;
  recordedAt: string;
  data: Record<string, unknown>;
};

/**
 * The whole timeline, or its events of some types, of each of many decisions, events unordered
 * (the domain orders a timeline itself). One row per decision with its events as one JSON
 * document: thousands of events cost far more to receive row by row than the query takes. Each decision's events are found through
 * the decision index (`offset 0` keeps the planner from scanning every event instead, which it
 * picks on estimates alone when a table has no statistics yet).
 */
export async function timelinesWithFieldsOf(
  db: Db,
  decisionIds: readonly string[],
  /** Only events of these types (as literals, so a partial index on them can serve). */
  types?: readonly string[],
): Promise<Map<string, TimelineEvent[]>> {
  const timelines = new Map<string, TimelineEvent[]>();
  if (decisionIds.length === 0) return timelines;
  // Of some types: without the voidings, so without what they void either (the domain cannot).
  const ofTypes = types
    ? sql`and type in (${sql.join(types.map((t) => sql.lit(t)))}) and ${notVoided()}`
    : sql``;
  const { rows } = await sql<{ decisionId: string; events: string }>`
    select d.id as decision_id, json_agg(json_build_array(
      e.id, e.type, e.date,
      to_char(e.recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), e.data
    ))::text as events
    from unnest(${[...decisionIds]}::text[]) as d(id)
    cross join lateral (
      select * from case_event where decision_id = d.id ${ofTypes} offset 0
    ) as e
    group by d.id`.execute(db);
  for (const row of rows) {
    const events = JSON.parse(row.events) as [
      string,
      string,
      string,
      string,
      TimelineEvent['data'],
    ][];
    timelines.set(
      row.decisionId,
      events.map(([id, type, date, recordedAt, data]) => ({ id, type, date, recordedAt, data })),
    );
  }
  return timelines;
}

/** Any decision by id, visible or not: only for checks inside a write (idempotency, conflicts). */
export async function findDecisionById(db: Db, id: string) {
  return db.selectFrom('decision').selectAll().where('id', '=', id).executeTakeFirst();
}

export type DecisionInsert = Omit<Insertable<DecisionTable>, 'seq' | 'createdAt'>;

export async function insertDecision(db: Db, decision: DecisionInsert) {
  return db
    .insertInto('decision')
    .values({ ...decision, seq: nextSeq() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Routes the decision's order (beställning) to a unit or team. */
export async function setDecisionOrder(
  db: Db,
  id: string,
  order: { enhetId: string; extern: boolean; orderedAt: Date },
) {
  return db
    .updateTable('decision')
    .set({ ...order, seq: nextSeq() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * What a decision list can be narrowed by in SQL. The text search matches the person's name, IVO
 * id, the given insats codes (those whose label matched, decided by the caller), and the
 * personnummer only on decisions in `personnummerScope` (where the caller sees full identities).
 */
export type DecisionFilter = {
  search?: {
    text: string;
    insatsCodes: readonly string[];
    personnummer: { digits: string; scope: DecisionScope } | null;
  };
  namndId?: string;
  enhetId?: string;
  verksamhetsomrade?: string;
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function matchesFilter(filter: DecisionFilter) {
  return (eb: ExpressionBuilder<DB, 'decision' | 'person'>) => {
    const ands: Expression<SqlBool>[] = [];
    if (filter.namndId) ands.push(eb('decision.namndId', '=', filter.namndId));
    if (filter.enhetId) ands.push(eb('decision.enhetId', '=', filter.enhetId));
    if (filter.verksamhetsomrade) {
      ands.push(eb('decision.verksamhetsomrade', '=', filter.verksamhetsomrade));
    }
    if (filter.search) {
      const { text, insatsCodes, personnummer } = filter.search;
      const pattern = `%${escapeLike(text)}%`;
      const ors: Expression<SqlBool>[] = [
        eb(
          sql`${sql.ref('person.fornamn')} || ' ' || ${sql.ref('person.efternamn')}`,
          'ilike',
          pattern,
        ),
        eb('person.ivoId', 'ilike', pattern),
      ];
      if (insatsCodes.length > 0) ors.push(oneOf('decision.insats', insatsCodes));
      if (personnummer) {
        ors.push(
          eb.and([
            eb('person.personnummer', 'like', `%${escapeLike(personnummer.digits)}%`),
            visibleTo(personnummer.scope)(eb),
          ]),
        );
      }
      ands.push(eb.or(ors));
    }
    return eb.and(ands);
  };
}

/** Decisions with the person, the unit or team and the handläggare's name, for lists and views. */
function decisionsWithPeople(db: Db) {
  return db
    .selectFrom('decision')
    .innerJoin('person', 'person.id', 'decision.personId')
    .innerJoin('appUser as handlaggare', 'handlaggare.id', 'decision.handlaggareId')
    .leftJoin('enhet', 'enhet.id', 'decision.enhetId')
    .selectAll('decision')
    .select([
      ...PERSON_DETAIL_COLUMNS,
      'enhet.namn as enhetNamn',
      'enhet.typ as enhetTyp',
      'handlaggare.displayName as handlaggareNamn',
    ]);
}

export type DecisionWithPeople = NonNullable<
  Awaited<ReturnType<typeof findVisibleDecisionWithPeople>>
>;

/** One visible decision with its person, unit and handläggare, or undefined. */
export async function findVisibleDecisionWithPeople(db: Db, scope: DecisionScope, id: string) {
  return decisionsWithPeople(db)
    .where('decision.id', '=', id)
    .where(visibleTo(scope))
    .executeTakeFirst();
}

export type DecisionPage = { order: 'oldest' | 'newest'; limit: number; offset: number };

/**
 * The visible decisions that match `filter`, with their people: all of them, or one page ordered
 * by beslutsdatum (then id, so that pages never overlap).
 */
export async function listVisibleDecisions(
  db: Db,
  scope: DecisionScope,
  filter: DecisionFilter,
  page?: DecisionPage,
) {
  let query = decisionsWithPeople(db).where(visibleTo(scope)).where(matchesFilter(filter));
  if (page) {
    const direction = page.order === 'oldest' ? 'asc' : 'desc';
    query = query
      .orderBy('decision.beslutsdatum', direction)
      .orderBy('decision.id', direction)
      .limit(page.limit)
      .offset(page.offset);
  }
  return query.execute();
}

export async function countVisibleDecisions(
  db: Db,
  scope: DecisionScope,
  filter: DecisionFilter,
): Promise<number> {
  const row = await db
    .selectFrom('decision')
    .innerJoin('person', 'person.id', 'decision.personId')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where(visibleTo(scope))
    .where(matchesFilter(filter))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The timeline of many decisions in one query: each event's id, type, date and recordedAt (ISO
 * string), without its type-specific fields (most of the row, and all of its JSON). Unordered: the
 * domain orders a timeline itself.
 */
export async function timelinesOf(db: Db, decisionIds: readonly string[]) {
  if (decisionIds.length === 0) return [];
  return (
    db
      .selectFrom('caseEvent')
      .select([
        'id',
        'decisionId',
        'type',
        'date',
        // The instant as Date.toISOString() writes it, formatted by the database: a list reads
        // thousands, and turning each into a Date and back costs more than the query.
        sql<string>`to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as(
          'recordedAt',
        ),
      ])
      .where(oneOf('caseEvent.decisionId', decisionIds))
      // Without its data a voiding cannot say what it voids: leave the voided events out here.
      .where(notVoided())
      .execute()
  );
}

/** The keys of the rapportör messages handled, and the quarters filed, for these decisions. */
export async function reportingDoneFor(db: Db, decisionIds: readonly string[]) {
  if (decisionIds.length === 0) return { handled: [], filed: [] };
  const handled = await db
    .selectFrom('messageHandled')
    .select(['decisionId', 'messageKey'])
    .where(oneOf('messageHandled.decisionId', decisionIds))
    .execute();
  const filed = await db
    .selectFrom('rapportFiling')
    .select(['decisionId', 'quarter'])
    .where(oneOf('rapportFiling.decisionId', decisionIds))
    .execute();
  return { handled, filed };
}

/** A decision's events with the name of whoever recorded each. */
export async function eventsWithRecorder(db: Db, decisionId: string) {
  return db
    .selectFrom('caseEvent')
    .innerJoin('appUser', 'appUser.id', 'caseEvent.recordedBy')
    .selectAll('caseEvent')
    .select('appUser.displayName as recordedByNamn')
    .where('caseEvent.decisionId', '=', decisionId)
    .execute();
}

/** The rapportör messages already handled, for these decisions. */
export async function handledMessagesOf(db: Db, decisionIds: readonly string[]) {
  if (decisionIds.length === 0) return [];
  const rows = await db
    .selectFrom('messageHandled')
    .innerJoin('appUser', 'appUser.id', 'messageHandled.handledBy')
    .select([
      'messageHandled.messageKey',
      'messageHandled.decisionId',
      'messageHandled.handledAt',
      'messageHandled.handledBy',
      'appUser.displayName as handledByNamn',
    ])
    .where(oneOf('messageHandled.decisionId', decisionIds))
    .execute();
  // The schema types a generated timestamp as a nested ColumnType; the driver gives a Date.
  return rows.map((row) => ({ ...row, handledAt: row.handledAt as unknown as Date }));
}

/**
 * The lines filed with IVO for these decisions, without the frozen copy (which holds the full
 * identity and is read only where a rapportör needs it).
 */
export async function filingsOf(db: Db, decisionIds: readonly string[]) {
  if (decisionIds.length === 0) return [];
  const rows = await db
    .selectFrom('rapportFiling')
    .innerJoin('appUser', 'appUser.id', 'rapportFiling.filedBy')
    .select([
      'rapportFiling.id',
      'rapportFiling.decisionId',
      'rapportFiling.episodeStart',
      'rapportFiling.quarter',
      'rapportFiling.report',
      'rapportFiling.status',
      'rapportFiling.filedOn',
      'rapportFiling.filedAt',
      'rapportFiling.filedBy',
      'appUser.displayName as filedByNamn',
    ])
    .where(oneOf('rapportFiling.decisionId', decisionIds))
    .orderBy('rapportFiling.quarter')
    .orderBy('rapportFiling.episodeStart')
    .execute();
  return rows.map((row) => ({ ...row, filedAt: row.filedAt as unknown as Date }));
}
