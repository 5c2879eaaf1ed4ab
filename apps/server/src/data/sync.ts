import { type ExpressionBuilder, type RawBuilder, sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { DB } from '../db/schema';
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
// What a pull reads
//
// A device holds the decisions of its user's offline roles (`scope`, see access/scope.ts:
// syncScope) that it keeps (`keptFrom`: waiting, or settled within the window). A first sync reads
// them in pages of decisions, most urgent first, each with all its events and filings; later pulls
// read the changes after a seq. Every read is a keyset read on an index: its cost follows the rows
// it returns, not where the cursor stands or how large the database is (sync/pull.test.ts checks
// the plans on PostgreSQL).

/** The SQL condition "a device keeps this decision": it waits, or settled on or after `windowStart`. */
export function keptFrom(windowStart: string) {
  return (eb: ExpressionBuilder<DB, 'decision'>) =>
    eb.or([eb('decision.settledOn', 'is', null), eb('decision.settledOn', '>=', windowStart)]);
}

/**
 * The order a first sync sends decisions in, as one number: waiting ones first, the longest wait
 * first (the open episode's start: the last avbrott, or the beslutsdatum); then settled ones, the
 * most recently settled first. Days are counted from fixed days, so the number is the same in
 * every query.
 */
const URGENCY = sql<number>`case when ${sql.ref('decision.settledOn')} is null
  then coalesce(${sql.ref('decision.lastInterruption')}, ${sql.ref('decision.beslutsdatum')}) - date '1900-01-01'
  else 200000 + (date '2200-01-01' - ${sql.ref('decision.settledOn')}) end`;

const DECISION_COLUMNS = [
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
  'decision.extern',
  'decision.settledOn',
  'person.id as personId',
  ...PERSON_DETAIL_COLUMNS,
] as const;

function decisionsWithPerson(db: Db) {
  return db.selectFrom('decision').innerJoin('person', 'person.id', 'decision.personId');
}

export type PulledDecision = Awaited<ReturnType<typeof readDecisionsByIds>>[number];

/** These decisions with their person (the caller has checked that they may be sent). */
export async function readDecisionsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return decisionsWithPerson(db)
    .select(DECISION_COLUMNS)
    .where(sql<boolean>`${sql.ref('decision.id')} = any(${[...ids]}::text[])`)
    .execute();
}

/** Where a first sync stands: after this decision in the urgency order. */
export type SnapshotPosition = { urgency: number; id: string };

/** The next decisions of a first sync after `after`, most urgent first, with their urgency. */
export async function snapshotDecisions(
  db: Db,
  scope: DecisionScope,
  windowStart: string,
  after: SnapshotPosition | null,
  limit: number,
) {
  return decisionsWithPerson(db)
    .select([...DECISION_COLUMNS, URGENCY.as('urgency')])
    .where(visibleTo(scope))
    .where(keptFrom(windowStart))
    .$if(after !== null, (q) =>
      q.where(
        sql<boolean>`(${URGENCY}, ${sql.ref('decision.id')}) > (${after!.urgency}, ${after!.id})`,
      ),
    )
    .orderBy(URGENCY)
    .orderBy('decision.id')
    .limit(limit)
    .execute();
}

/** How many decisions a first sync sends in all. */
export async function countKeptDecisions(
  db: Db,
  scope: DecisionScope,
  windowStart: string,
): Promise<number> {
  const row = await db
    .selectFrom('decision')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(visibleTo(scope))
    .where(keptFrom(windowStart))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type PulledEvent = {
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

function eventsWithAuthor(db: Db) {
  return db
    .selectFrom('caseEvent')
    .innerJoin('appUser', 'appUser.id', 'caseEvent.recordedBy')
    .selectAll('caseEvent')
    .select('appUser.displayName as recordedByNamn');
}

/** All events of these decisions (the caller has checked that they may be sent). */
export async function eventsOfDecisions(
  db: Db,
  decisionIds: readonly string[],
): Promise<PulledEvent[]> {
  if (decisionIds.length === 0) return [];
  return eventsWithAuthor(db)
    .where(sql<boolean>`${sql.ref('caseEvent.decisionId')} = any(${[...decisionIds]}::text[])`)
    .execute();
}

/** What a device needs of a filed line: which quarter of which decision is filed with IVO. */
const FILING_COLUMNS = [
  'rapportFiling.id',
  'rapportFiling.decisionId',
  'rapportFiling.quarter',
] as const;

/**
 * Lines filed with IVO for these decisions. Without the frozen copy of the report: it holds the
 * full identity, and a phone needs only which quarters are filed.
 */
export async function filingsOfDecisions(db: Db, decisionIds: readonly string[]) {
  if (decisionIds.length === 0) return [];
  return db
    .selectFrom('rapportFiling')
    .select(FILING_COLUMNS)
    .where(sql<boolean>`${sql.ref('rapportFiling.decisionId')} = any(${[...decisionIds]}::text[])`)
    .execute();
}

/**
 * Seqs after `after` up to `upTo` (inclusive), at most `limit` rows, in seq order. Every seq is
 * drawn under the change-sequence lock, so no row with a seq at or below one a pull has seen can
 * commit later.
 */
export type KeyRange = { after: number; upTo: number; limit?: number };

type Keyed = { key: number };

function inRange<Q>(query: Q, key: RawBuilder<number>, range: KeyRange, tieBreak: string): Q {
  // The builder's where/orderBy/limit keep its type; the generic signature does not show it.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  let q = (query as any).where(key, '>', range.after).where(key, '<=', range.upTo);
  q = q.orderBy(key).orderBy(sql.ref(tieBreak));
  if (range.limit !== undefined) q = q.limit(range.limit);
  return q as Q;
}

/**
 * Visible decisions written in the range (new, changed, settled), kept or not: one the device no
 * longer keeps is for it to forget.
 */
export async function changedDecisions(db: Db, scope: DecisionScope, range: KeyRange) {
  const key = sql<number>`${sql.ref('decision.seq')}`;
  const query = db
    .selectFrom('decision')
    .select(['decision.id', 'decision.settledOn', key.as('key')])
    .where(visibleTo(scope));
  return inRange(query, key, range, 'decision.id').execute();
}

/** Kept decisions whose person changed in the range (a name, a protected identity). */
export async function decisionsOfChangedPersons(
  db: Db,
  scope: DecisionScope,
  windowStart: string,
  range: KeyRange,
): Promise<(Keyed & { id: string })[]> {
  const key = sql<number>`${sql.ref('person.seq')}`;
  const query = decisionsWithPerson(db)
    .select(['decision.id', key.as('key')])
    .where(visibleTo(scope))
    .where(keptFrom(windowStart));
  return inRange(query, key, range, 'decision.id').execute();
}

/**
 * Kept decisions that reached the caller's devices in the range: new, ordered to their unit, or
 * given to them. They come with their whole history.
 */
export async function decisionsEntered(
  db: Db,
  scope: DecisionScope,
  windowStart: string,
  range: KeyRange,
): Promise<(Keyed & { id: string })[]> {
  const key = sql<number>`${sql.ref('decision.scopeSeq')}`;
  const query = db
    .selectFrom('decision')
    .select(['decision.id', key.as('key')])
    .where(visibleTo(scope))
    .where(keptFrom(windowStart));
  return inRange(query, key, range, 'decision.id').execute();
}

/**
 * Kept decisions that a device keeping the window from `deviceWindow` had let go and that changed
 * in the range (a later note, an avbrott): they had settled before that window. They come with
 * their whole history.
 */
export async function decisionsRegained(
  db: Db,
  scope: DecisionScope,
  windowStart: string,
  deviceWindow: string,
  range: KeyRange,
): Promise<(Keyed & { id: string })[]> {
  const key = sql<number>`max(${sql.ref('decisionSettledChange.seq')})`;
  return db
    .selectFrom('decisionSettledChange')
    .innerJoin('decision', 'decision.id', 'decisionSettledChange.decisionId')
    .where('decisionSettledChange.seq', '>', range.after)
    .where('decisionSettledChange.seq', '<=', range.upTo)
    .where('decisionSettledChange.settledBefore', '<', deviceWindow)
    .where(visibleTo(scope))
    .where(keptFrom(windowStart))
    .select(['decision.id', key.as('key')])
    .groupBy('decision.id')
    .orderBy(key)
    .orderBy('decision.id')
    .$if(range.limit !== undefined, (q) => q.limit(range.limit!))
    .execute();
}

/** Events logged in the range on kept decisions. */
export async function changedEvents(
  db: Db,
  scope: DecisionScope,
  windowStart: string,
  range: KeyRange,
): Promise<(PulledEvent & Keyed)[]> {
  const key = sql<number>`${sql.ref('caseEvent.seq')}`;
  const query = eventsWithAuthor(db)
    .innerJoin('decision', 'decision.id', 'caseEvent.decisionId')
    .select(key.as('key'))
    .where(visibleTo(scope))
    .where(keptFrom(windowStart));
  return inRange(query, key, range, 'caseEvent.seq').execute();
}

/** Lines filed in the range for kept decisions. */
export async function changedFilings(
  db: Db,
  scope: DecisionScope,
  windowStart: string,
  range: KeyRange,
) {
  const key = sql<number>`${sql.ref('rapportFiling.seq')}`;
  const query = db
    .selectFrom('rapportFiling')
    .innerJoin('decision', 'decision.id', 'rapportFiling.decisionId')
    .select([...FILING_COLUMNS, key.as('key')])
    .where(visibleTo(scope))
    .where(keptFrom(windowStart));
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
 * The user's live drafts, of no decision or of one they still see; keyed by their own seq or
 * their decision's last change of scope, so that a draft comes back when its decision is ordered
 * back to the user's unit. (A user has few drafts: they are read by user.)
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
 * device should forget them. Judged by the caller's roles of today against the decision as it was.
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
    .where('decisionScopeChange.seq', '<=', range.upTo)
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

/**
 * Visible decisions that settled on a day in [from, to): on a day when the window starts at `to`,
 * a device that kept the window from `from` lets them go.
 */
export async function decisionsLeavingWindow(
  db: Db,
  scope: DecisionScope,
  from: string,
  to: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('decision')
    .select('decision.id')
    .where(visibleTo(scope))
    .where('decision.settledOn', '>=', from)
    .where('decision.settledOn', '<', to)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The highest seq of a committed row this transaction sees; 0 before the first. Writers draw seqs
 * under one lock held until they commit, so every row with a lower seq is committed too: a pull
 * that has read up to it will find nothing new below it later. (The sequence's own last value may
 * belong to a transaction still open, whose rows a later pull must still find.)
 */
export async function lastCommittedSeq(db: Db): Promise<number> {
  const { rows } = await sql<{ seq: string | number | null }>`
    select greatest(
      (select max(seq) from decision), (select max(seq) from case_event),
      (select max(seq) from person), (select max(seq) from rapport_filing),
      (select max(seq) from draft), (select max(seq) from decision_scope_change)
    ) as seq`.execute(db);
  return Number(rows[0]?.seq ?? 0);
}
