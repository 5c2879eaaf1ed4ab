import type { CaseEvent } from '@evb/domain';
import { type RawBuilder, sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { DecisionRow, Person as PersonRow } from '../db/schema';
import { visibleTo } from './decisions';
import type { FilingRow } from './reports';

/*
 * What the quarter's exports read beyond the quarter's lines: for every decision with a line,
 * everything its individrapport is built from (the decision with its person and nämnd, all its
 * events, its filings with their frozen copies, the rapportör's saved changes), each in one
 * set-based query over the decisions' ids rather than one round of reads per line.
 *
 * The ids go as one array parameter (`= any($1)`), not one parameter per id: the largest nämnd's
 * quarter has thousands of lines, and a statement with a thousand parameters took PostgreSQL and
 * the embedded database longer to plan and bind than to run. Decisions and events, the bulk of
 * the reading, come back as one JSON document each (as in data/reporting.ts): receiving tens of
 * thousands of rows one by one through the driver took several times the CPU of one JSON.parse.
 */

/** `column = any(ids)`: the ids as one text[] parameter. */
function amongIds(column: string, ids: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} = any(${[...new Set(ids)]}::text[])`;
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
  if (ids.length === 0) return [];
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
  if (ids.length === 0) return [];
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
 * Every event of these decisions as the domain reads them (what eventsOfDecision and
 * toDomainEvent give), oldest first per decision.
 */
export async function caseEventsOfDecisions(db: Db, ids: readonly string[]): Promise<CaseEvent[]> {
  if (ids.length === 0) return [];
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
  if (ids.length === 0) return [];
  return (await db
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
    .where(amongIds('rapportFiling.decisionId', ids))
    .where('rapportFiling.quarter', '<=', quarter)
    .orderBy('rapportFiling.quarter')
    .orderBy('rapportFiling.episodeStart')
    // The schema types a generated timestamp as a nested ColumnType; the driver gives a Date.
    .execute()) as unknown as FilingRow[];
}

/** The rapportör's saved changes to the lines of these decisions in a quarter (`2026-Q2`). */
export async function individrapportDraftsOf(db: Db, ids: readonly string[], quarter: string) {
  if (ids.length === 0) return [];
  return (
    await db
      .selectFrom('individrapportDraft')
      .select([
        'individrapportDraft.decisionId',
        'individrapportDraft.episodeStart',
        'individrapportDraft.edits',
      ])
      .where(amongIds('individrapportDraft.decisionId', ids))
      .where('individrapportDraft.quarter', '=', quarter)
      .execute()
  ).map((row) => ({
    decisionId: row.decisionId,
    episodeStart: row.episodeStart,
    edits: row.edits as unknown as Record<string, unknown>,
  }));
}
