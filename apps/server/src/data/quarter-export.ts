import type { CaseEvent } from '@evb/domain';
import { sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import { visibleTo } from './decisions';
import { PERSON_DETAIL_COLUMNS } from './persons';
import type { FilingRow } from './reports';

/*
 * What the quarter's exports read beyond the quarter's lines: for every decision with a line,
 * everything its individrapport is built from (the decision with its person and nämnd, all its
 * events, its filings with their frozen copies, the rapportör's saved changes), each in a few
 * set-based queries over the decisions' ids rather than one round of reads per line.
 */

/** Ids per query: well below PostgreSQL's limit of 65 535 parameters in one statement. */
const IDS_PER_QUERY = 1000;

async function inChunks<T>(
  ids: readonly string[],
  read: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const rows: T[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    rows.push(...(await read(unique.slice(i, i + IDS_PER_QUERY))));
  }
  return rows;
}

/**
 * The decisions with these ids that the caller may see, with their persons' details and their
 * nämnd's name: the rows findReportDecision gives, for many decisions at once.
 */
export async function reportDecisionsByIds(db: Db, scope: DecisionScope, ids: readonly string[]) {
  return inChunks(ids, (chunk) =>
    db
      .selectFrom('decision')
      .innerJoin('person', 'person.id', 'decision.personId')
      .innerJoin('namnd', 'namnd.id', 'decision.namndId')
      .selectAll('decision')
      .select([...PERSON_DETAIL_COLUMNS, 'namnd.namn as namndNamn'])
      .where('decision.id', 'in', chunk)
      .where(visibleTo(scope))
      .execute(),
  );
}

/**
 * The decisions with these ids, whoever may see them: the decisions that later ones replaced,
 * which the prefill reads only to say whether they were ever executed.
 */
export async function decisionsByIds(db: Db, ids: readonly string[]) {
  return inChunks(ids, (chunk) =>
    db.selectFrom('decision').selectAll().where('id', 'in', chunk).execute(),
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
 * toDomainEvent give), oldest first per decision. The rows come as one JSON document per query, as
 * in data/reporting.ts: a quarter's decisions have tens of thousands of events, and receiving them
 * row by row took several times the CPU.
 */
export async function caseEventsOfDecisions(db: Db, ids: readonly string[]): Promise<CaseEvent[]> {
  return inChunks(ids, async (chunk) => {
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
      .where('caseEvent.decisionId', 'in', chunk)
      .executeTakeFirstOrThrow();
    return (JSON.parse(rows) as EventRow[]).map(
      ([id, decisionId, type, date, recordedAt, data]) =>
        ({ ...data, id, decisionId, type, date, recordedAt }) as CaseEvent,
    );
  });
}

/**
 * Every filing of these decisions up to a quarter (`2026-Q2`, inclusive), oldest quarter first,
 * with the frozen copies and who filed them.
 */
export async function filingsOfDecisionsUpTo(db: Db, ids: readonly string[], quarter: string) {
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
        ])
        .where('rapportFiling.decisionId', 'in', chunk)
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
        .where('individrapportDraft.decisionId', 'in', chunk)
        .where('individrapportDraft.quarter', '=', quarter)
        .execute()
    ).map((row) => ({
      decisionId: row.decisionId,
      episodeStart: row.episodeStart,
      edits: row.edits as unknown as Record<string, unknown>,
    })),
  );
}
