import type { CaseEvent } from '@evb/domain';
import { type RawBuilder, sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { DecisionRow, Person as PersonRow } from '../db/schema';
import { visibleTo } from './decisions';
import type { FilingRow } from './reports';

/*
 * What the quarter's exports (and the to-do view) read beyond the quarter's lines: for every
 * decision with a line, everything its individrapport is built from (the decision with its person
 * and nämnd, its events, its filings with their frozen copies, the rapportör's saved changes), in
 * set-based queries over the decisions' ids rather than one round of reads per line.
 *
 * The ids go as one array parameter (`= any($1)`), not one parameter per id: a statement with a
 * thousand parameters took PostgreSQL and the embedded database longer to plan and bind than to
 * run. Decisions and events, the bulk of the reading, come back as one JSON document each (as in
 * data/reporting.ts): receiving tens of thousands of rows one by one through the driver took
 * several times the CPU of one JSON.parse. And the ids are read IDS_PER_QUERY at a time, one
 * statement after another: the embedded database answers one statement at a time on the thread
 * that answers requests, and the largest nämnd's events in one statement held every other request
 * (a health check, a sign-in) for half a second.
 */

/**
 * Ids per statement: a few tens of milliseconds of the embedded database's time for the events
 * of the largest nämnd's decisions (about 20 each), so that other requests get in between.
 */
const IDS_PER_QUERY = 250;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `read` over `ids` (without repeats) IDS_PER_QUERY at a time, one statement after another. */
async function inChunks<T>(
  ids: readonly string[],
  read: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const rows: T[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    // Requests that came meanwhile get in first: the embedded database runs one statement at a
    // time, and statements queued together would run back to back.
    await nextTurn();
    for (const row of await read(unique.slice(i, i + IDS_PER_QUERY))) rows.push(row);
  }
  return rows;
}

/** `column = any(ids)`: the ids as one text[] parameter. */
function amongIds(column: string, ids: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} = any(${[...ids]}::text[])`;
}

/** Rows as one JSON document of arrays, one array per row (see above). */
function rowsAsJson(columns: readonly string[]): RawBuilder<string> {
  return sql<string>`coalesce(json_agg(json_build_array(${sql.join(
    columns.map((c) => sql.ref(c)),
  )})), '[]')::text`;
}

/** What an individrapport is built from of a decision, its person and its nämnd. */
export type ExportDecisionRow = Pick<
  DecisionRow,
  | 'id'
  | 'lagrum'
  | 'insats'
  | 'beslutsdatum'
  | 'forhandsbesked'
  | 'ersatterBeslutId'
  | 'verksamhetsomrade'
  | 'inriktning'
  | 'inriktningText'
> & {
  personFornamn: PersonRow['fornamn'];
  personEfternamn: PersonRow['efternamn'];
  personPersonnummer: PersonRow['personnummer'];
  personIdentitet: PersonRow['identitet'];
  personSkyddadIdentitet: PersonRow['skyddadIdentitet'];
  personIvoId: PersonRow['ivoId'];
  namndNamn: string;
};

const DECISION_COLUMNS = [
  'decision.id',
  'decision.lagrum',
  'decision.insats',
  'decision.beslutsdatum',
  'decision.forhandsbesked',
  'decision.ersatterBeslutId',
] as const;

type DecisionTuple = [
  ExportDecisionRow['id'],
  ExportDecisionRow['lagrum'],
  ExportDecisionRow['insats'],
  ExportDecisionRow['beslutsdatum'],
  ExportDecisionRow['forhandsbesked'],
  ExportDecisionRow['ersatterBeslutId'],
];

/**
 * The decisions with these ids that the caller may see, with what their individrapporter print
 * of their persons and nämnd: the columns of findReportDecision that the prefill reads.
 */
export async function reportDecisionsByIds(
  db: Db,
  scope: DecisionScope,
  ids: readonly string[],
): Promise<ExportDecisionRow[]> {
  return inChunks(ids, (chunk) => reportDecisionsOf(db, scope, chunk));
}

async function reportDecisionsOf(
  db: Db,
  scope: DecisionScope,
  ids: readonly string[],
): Promise<ExportDecisionRow[]> {
  const { rows } = await db
    .selectFrom('decision')
    .innerJoin('person', 'person.id', 'decision.personId')
    .innerJoin('namnd', 'namnd.id', 'decision.namndId')
    .select(
      rowsAsJson([
        ...DECISION_COLUMNS,
        'decision.verksamhetsomrade',
        'decision.inriktning',
        'decision.inriktningText',
        'person.fornamn',
        'person.efternamn',
        'person.personnummer',
        'person.identitet',
        'person.skyddadIdentitet',
        'person.ivoId',
        'namnd.namn',
      ]).as('rows'),
    )
    .where(amongIds('decision.id', ids))
    .where(visibleTo(scope))
    .executeTakeFirstOrThrow();
  type Row = [
    ...DecisionTuple,
    string,
    string | null,
    string | null,
    string,
    string,
    string | null,
    PersonRow['identitet'],
    boolean,
    string,
    string,
  ];
  return (JSON.parse(rows) as Row[]).map(
    ([
      id,
      lagrum,
      insats,
      beslutsdatum,
      forhandsbesked,
      ersatterBeslutId,
      verksamhetsomrade,
      inriktning,
      inriktningText,
      personFornamn,
      personEfternamn,
      personPersonnummer,
      personIdentitet,
      personSkyddadIdentitet,
      personIvoId,
      namndNamn,
    ]) => ({
      id,
      lagrum,
      insats,
      beslutsdatum,
      forhandsbesked,
      ersatterBeslutId,
      verksamhetsomrade,
      inriktning,
      inriktningText,
      personFornamn,
      personEfternamn,
      personPersonnummer,
      personIdentitet,
      personSkyddadIdentitet,
      personIvoId,
      namndNamn,
    }),
  );
}

/**
 * The decisions with these ids, whoever may see them: the decisions that later ones replaced,
 * which the prefill reads only to say whether they were ever executed.
 */
export async function decisionsByIds(db: Db, ids: readonly string[]) {
  return inChunks(ids, (chunk) => decisionsOf(db, chunk));
}

async function decisionsOf(db: Db, ids: readonly string[]) {
  const { rows } = await db
    .selectFrom('decision')
    .select(rowsAsJson(DECISION_COLUMNS).as('rows'))
    .where(amongIds('decision.id', ids))
    .executeTakeFirstOrThrow();
  return (JSON.parse(rows) as DecisionTuple[]).map(
    ([id, lagrum, insats, beslutsdatum, forhandsbesked, ersatterBeslutId]) => ({
      id,
      lagrum,
      insats,
      beslutsdatum,
      forhandsbesked,
      ersatterBeslutId,
    }),
  );
}

type EventRow = [
  id: string,
  decisionId: string,
  type: string,
  date: string,
  recordedAt: string,
  data: Record<string, unknown>,
];

/**
 * Events an individrapport never shows: notes (anteckning) are the utförare's and handläggare's
 * own jottings, which the domain's prefill leaves out of every field (övrigt tells the offers,
 * refusals, reasons, follow-up calls and summaries) and which no episode turns on. Left unread,
 * they are two fifths fewer events to read for the largest nämnd. A test builds a line whose
 * decision has notes both ways and compares it with reports.get, which reads every event.
 */
const NOT_IN_REPORTS = ['anteckning'];

/**
 * Every event of these decisions that an individrapport is built from, as the domain reads them
 * (what eventsOfDecision and toDomainEvent give, without NOT_IN_REPORTS), oldest first per
 * decision.
 */
export async function caseEventsOfDecisions(db: Db, ids: readonly string[]): Promise<CaseEvent[]> {
  return inChunks(ids, (chunk) => caseEventsOf(db, chunk));
}

async function caseEventsOf(db: Db, ids: readonly string[]): Promise<CaseEvent[]> {
  const e = (column: string) => sql.ref(`caseEvent.${column}`);
  const { rows } = await db
    .selectFrom('caseEvent')
    .select(
      sql<string>`coalesce(json_agg(json_build_array(${sql.join([
        e('id'),
        e('decisionId'),
        e('type'),
        e('date'),
        // Milliseconds truncated, as the driver's Date and toISOString do.
        sql`to_char(${e('recordedAt')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
        e('data'),
      ])}) order by ${sql.join([e('decisionId'), e('date'), e('recordedAt'), e('id')])}), '[]')::text`.as(
        'rows',
      ),
    )
    .where(amongIds('caseEvent.decisionId', ids))
    .where('caseEvent.type', 'not in', NOT_IN_REPORTS)
    .executeTakeFirstOrThrow();
  return (JSON.parse(rows) as EventRow[]).map(
    ([id, decisionId, type, date, recordedAt, data]) =>
      ({ ...data, id, decisionId, type, date, recordedAt }) as CaseEvent,
  );
}

/**
 * Every filing of these decisions up to a quarter (`2026-Q2`, inclusive), oldest quarter first,
 * with the frozen copies and who filed them.
 */
export async function filingsOfDecisionsUpTo(
  db: Db,
  ids: readonly string[],
  quarter: string,
): Promise<FilingRow[]> {
  return inChunks(
    ids,
    async (chunk) =>
      (await db
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
          'rapportFiling.snapshot',
          'rapportFiling.recorded',
          'rapportFiling.fieldsAsSent',
        ])
        .where(amongIds('rapportFiling.decisionId', chunk))
        .where('rapportFiling.quarter', '<=', quarter)
        .orderBy('rapportFiling.quarter')
        .orderBy('rapportFiling.episodeStart')
        // The schema types a generated timestamp as a nested ColumnType; the driver gives a Date.
        .execute()) as unknown as FilingRow[],
  );
}

/** The rapportör's saved changes to the lines of these decisions in a quarter (`2026-Q2`). */
export async function individrapportDraftsOf(db: Db, ids: readonly string[], quarter: string) {
  return inChunks(ids, async (chunk) =>
    (
      await db
        .selectFrom('individrapportDraft')
        .select([
          'individrapportDraft.decisionId',
          'individrapportDraft.episodeStart',
          'individrapportDraft.edits',
        ])
        .where(amongIds('individrapportDraft.decisionId', chunk))
        .where('individrapportDraft.quarter', '=', quarter)
        .execute()
    ).map((row) => ({
      decisionId: row.decisionId,
      episodeStart: row.episodeStart,
      edits: row.edits as unknown as Record<string, unknown>,
    })),
  );
}
