import { type RawBuilder, sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import { nextSeq, PERSON_DETAIL_COLUMNS, visibleTo } from './decisions';

/*
 * The SQL of sync: the client_mutation table (one answer per client mutation id), drafts, and the
 * change streams a pull reads.
 */

// ---------------------------------------------------------------------------------------------
// Client mutations

export type StoredMutation = { userId: string; response: unknown };

export async function findClientMutation(db: Db, id: string): Promise<StoredMutation | undefined> {
  return db
    .selectFrom('clientMutation')
    .select(['userId', 'response'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The stored answers among these mutation ids, by id. */
export async function findClientMutations(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, StoredMutation>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('clientMutation')
    .select(['id', 'userId', 'response'])
    .where(sql<boolean>`${sql.ref('id')} = any(${[...ids]}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.id, { userId: r.userId, response: r.response }]));
}

export async function insertClientMutation(
  db: Db,
  mutation: { id: string; userId: string; response: unknown },
): Promise<void> {
  await db
    .insertInto('clientMutation')
    .values({ ...mutation, response: JSON.stringify(mutation.response) })
    .execute();
}

/** Stores many answers in one statement; a unique violation means one id was stored already. */
export async function insertClientMutations(
  db: Db,
  mutations: readonly { id: string; userId: string; response: unknown }[],
): Promise<void> {
  if (mutations.length === 0) return;
  await db
    .insertInto('clientMutation')
    .values(mutations.map((m) => ({ ...m, response: JSON.stringify(m.response) })))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Drafts

export type DraftRow = {
  id: string;
  userId: string;
  decisionId: string | null;
  form: string | null;
  data: Record<string, unknown> | null;
  updatedAt: Date;
  deletedAt: Date | null;
  seq: number;
};

export async function findDraft(db: Db, id: string): Promise<DraftRow | undefined> {
  return db.selectFrom('draft').selectAll().where('id', '=', id).executeTakeFirst();
}

export type DraftContent = {
  decisionId: string | null;
  form: string;
  data: Record<string, unknown>;
  updatedAt: Date;
};

/** Stores a new draft, or the newer content of an existing one (the caller checked the owner). */
export async function saveDraft(
  db: Db,
  draft: DraftContent & { id: string; userId: string },
): Promise<DraftRow> {
  const content = {
    decisionId: draft.decisionId,
    form: draft.form,
    data: JSON.stringify(draft.data),
    updatedAt: draft.updatedAt,
    seq: nextSeq(),
  };
  return db
    .insertInto('draft')
    .values({ id: draft.id, userId: draft.userId, deletedAt: null, ...content })
    .onConflict((oc) => oc.column('id').doUpdateSet(content))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Turns a draft into a tombstone, or leaves one for an id the server never saw. */
export async function deleteDraft(
  db: Db,
  draft: { id: string; userId: string; deletedAt: Date },
): Promise<void> {
  const tombstone = {
    form: null,
    data: null,
    decisionId: null,
    updatedAt: draft.deletedAt,
    deletedAt: draft.deletedAt,
    seq: nextSeq(),
  };
  await db
    .insertInto('draft')
    .values({ id: draft.id, userId: draft.userId, ...tombstone })
    .onConflict((oc) => oc.column('id').doUpdateSet(tombstone))
    .execute();
}

/** The user's live drafts of these decisions (to forget along with them). */
export async function draftIdsOfDecisions(
  db: Db,
  userId: string,
  decisionIds: readonly string[],
): Promise<string[]> {
  if (decisionIds.length === 0) return [];
  const rows = await db
    .selectFrom('draft')
    .select('id')
    .where('userId', '=', userId)
    .where('deletedAt', 'is', null)
    .where('decisionId', 'in', decisionIds)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// Change streams for pull

/**
 * Keys after `after` up to `upTo` (inclusive, when given), at most `limit` rows, in key order.
 * Every seq is drawn under the change-sequence lock, so no row with a key at or below a key a
 * pull has seen can commit later.
 */
export type KeyRange = { after: number; upTo?: number; limit?: number };

type Keyed = { key: number };

function inRange<Q extends { where: unknown }>(
  query: Q,
  key: RawBuilder<number>,
  range: KeyRange,
  tieBreak: string,
): Q {
  // The builder's where/orderBy/limit keep its type; the generic signature does not show it.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  let q = (query as any).where(key, '>', range.after);
  if (range.upTo !== undefined) q = q.where(key, '<=', range.upTo);
  q = q.orderBy(key).orderBy(sql.ref(tieBreak));
  if (range.limit !== undefined) q = q.limit(range.limit);
  return q as Q;
}

/**
 * Visible decisions with their person. A decision's key moves when it or its person changes, and
 * when it is ordered elsewhere (the trigger gives it a new seq then).
 */
export async function pullDecisions(db: Db, scope: DecisionScope, range: KeyRange) {
  const key = sql<number>`greatest(${sql.ref('decision.seq')}, ${sql.ref('person.seq')})`;
  const query = db
    .selectFrom('decision')
    .innerJoin('person', 'person.id', 'decision.personId')
    .where(visibleTo(scope))
    .select([
      'decision.id',
      'decision.namndId',
      'decision.verksamhetsomrade',
      'decision.inriktning',
      'decision.inriktningText',
      'decision.lagrum',
      'decision.insats',
      'decision.beslutsdatum',
      'decision.forhandsbesked',
      'decision.ersatterBeslutId',
      'decision.handlaggareId',
      'decision.enhetId',
      'decision.orderedAt',
      'decision.extern',
      'decision.createdAt',
      'person.id as personId',
      ...PERSON_DETAIL_COLUMNS,
      key.as('key'),
    ]);
  return inRange(query, key, range, 'decision.id').execute();
}

export type PulledEvent = Keyed & {
  id: string;
  decisionId: string;
  type: string;
  date: string;
  recordedAt: Date;
  recordedBy: string;
  /** Whoever logged it, by name: a phone shows who voided an event (makulering). */
  recordedByNamn: string;
  data: Record<string, unknown>;
  seq: number;
};

/**
 * Events of visible decisions. An event's key is its own seq, or its decision's last change of
 * scope when that is later: a decision that reaches a new unit brings all its events along.
 */
export async function pullEvents(
  db: Db,
  scope: DecisionScope,
  range: KeyRange,
): Promise<PulledEvent[]> {
  const key = sql<number>`greatest(${sql.ref('caseEvent.seq')}, ${sql.ref('decision.scopeSeq')})`;
  const query = db
    .selectFrom('caseEvent')
    .innerJoin('decision', 'decision.id', 'caseEvent.decisionId')
    .innerJoin('appUser', 'appUser.id', 'caseEvent.recordedBy')
    .where(visibleTo(scope))
    .selectAll('caseEvent')
    .select(['appUser.displayName as recordedByNamn', key.as('key')]);
  return inRange(query, key, range, 'caseEvent.seq').execute();
}

/**
 * Lines filed with IVO for visible decisions, keyed like events. Without the frozen copy of the
 * report: it holds the full identity, and a phone needs only which quarters are filed.
 */
export async function pullFilings(db: Db, scope: DecisionScope, range: KeyRange) {
  const key = sql<number>`greatest(${sql.ref('rapportFiling.seq')}, ${sql.ref('decision.scopeSeq')})`;
  const query = db
    .selectFrom('rapportFiling')
    .innerJoin('decision', 'decision.id', 'rapportFiling.decisionId')
    .where(visibleTo(scope))
    .select([
      'rapportFiling.id',
      'rapportFiling.decisionId',
      'rapportFiling.episodeStart',
      'rapportFiling.quarter',
      'rapportFiling.report',
      'rapportFiling.status',
      'rapportFiling.filedOn',
      'rapportFiling.filedBy',
      'rapportFiling.filedAt',
      key.as('key'),
    ]);
  return inRange(query, key, range, 'rapportFiling.seq').execute();
}

export type PulledDraft = Keyed & {
  id: string;
  decisionId: string | null;
  form: string;
  data: Record<string, unknown>;
  updatedAt: Date;
};

/**
 * The user's live drafts, of no decision or of one they still see; keyed like events, so that a
 * draft comes back when its decision is ordered back to the user's unit.
 */
export async function pullDrafts(
  db: Db,
  scope: DecisionScope,
  userId: string,
  range: KeyRange,
): Promise<PulledDraft[]> {
  const key = sql<number>`greatest(${sql.ref('draft.seq')}, coalesce(${sql.ref('decision.scopeSeq')}, 0))`;
  const query = db
    .selectFrom('draft')
    .leftJoin('decision', 'decision.id', 'draft.decisionId')
    .where('draft.userId', '=', userId)
    .where('draft.deletedAt', 'is', null)
    .where((eb) => eb.or([eb('draft.decisionId', 'is', null), visibleTo(scope)(eb)]))
    .select([
      'draft.id',
      'draft.decisionId',
      'draft.form',
      'draft.data',
      'draft.updatedAt',
      key.as('key'),
    ]);
  return (await inRange(query, key, range, 'draft.seq').execute()) as PulledDraft[];
}

/** The user's deleted drafts (tombstones). */
export async function pullDeletedDrafts(
  db: Db,
  userId: string,
  range: KeyRange,
): Promise<(Keyed & { id: string })[]> {
  const key = sql<number>`${sql.ref('draft.seq')}`;
  const query = db
    .selectFrom('draft')
    .where('draft.userId', '=', userId)
    .where('draft.deletedAt', 'is not', null)
    .select(['draft.id', key.as('key')]);
  return inRange(query, key, range, 'draft.id').execute();
}

/**
 * Decisions the caller could see before a change of scope in the range and cannot see now: the
 * phone should forget them. Judged by the caller's roles of today against the decision as it was.
 */
export async function pullRemovedDecisions(
  db: Db,
  scope: DecisionScope,
  range: KeyRange,
): Promise<(Keyed & { id: string })[]> {
  // The decision as it was before each change, named `decision` so the one visibility rule applies.
  const before = db
    .selectFrom('decisionScopeChange')
    .select([
      'decisionScopeChange.decisionId as id',
      'decisionScopeChange.seq',
      'decisionScopeChange.namndId',
      'decisionScopeChange.verksamhetsomrade',
      'decisionScopeChange.handlaggareId',
      'decisionScopeChange.enhetId',
    ])
    .where('decisionScopeChange.seq', '>', range.after)
    .$if(range.upTo !== undefined, (q) => q.where('decisionScopeChange.seq', '<=', range.upTo!))
    .as('decision');
  const stillVisible = db.selectFrom('decision').select('decision.id').where(visibleTo(scope));
  const key = sql<number>`max(${sql.ref('decision.seq')})`;
  return db
    .selectFrom(before)
    .where((eb) => visibleTo(scope)(eb))
    .where('decision.id', 'not in', stillVisible)
    .select(['decision.id', key.as('key')])
    .groupBy('decision.id')
    .orderBy(key)
    .orderBy('decision.id')
    .$if(range.limit !== undefined, (q) => q.limit(range.limit!))
    .execute();
}

/** The highest seq drawn so far (committed or not); 0 before the first. */
export async function lastChangeSeq(db: Db): Promise<number> {
  const { rows } = await sql<{
    lastValue: number;
    isCalled: boolean;
  }>`select last_value, is_called from change_seq`.execute(db);
  const row = rows[0];
  return row?.isCalled ? Number(row.lastValue) : 0;
}
