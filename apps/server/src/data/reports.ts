import { sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { FilingRecorded } from '../db/schema';
import { nextSeq, PERSON_DETAIL_COLUMNS, visibleTo } from './decisions';

/*
 * What the individrapport procedures read and write: one decision the rapportör reports with its
 * person and nämnd, the filings of a decision (with their frozen copies), and the rapportör's
 * unfinished changes to a line's report (`individrapport_draft`, migration 0004).
 */

/** A report line's key: the decision, its episode's start, and the quarter (`2026-Q2`). */
export type ReportLineKey = { decisionId: string; episodeStart: string; quarter: string };

/** A decision the caller may see, with its person's details and its nämnd's name; or undefined. */
export async function findReportDecision(db: Db, scope: DecisionScope, decisionId: string) {
  return db
    .selectFrom('decision')
    .innerJoin('person', 'person.id', 'decision.personId')
    .innerJoin('namnd', 'namnd.id', 'decision.namndId')
    .selectAll('decision')
    .select([...PERSON_DETAIL_COLUMNS, 'namnd.namn as namndNamn'])
    .where('decision.id', '=', decisionId)
    .where(visibleTo(scope))
    .executeTakeFirst();
}

export type ReportDecision = NonNullable<Awaited<ReturnType<typeof findReportDecision>>>;

/** A filing as read back, with the name of whoever filed it. */
export type FilingRow = {
  id: string;
  decisionId: string;
  episodeStart: string;
  quarter: string;
  report: 'ny' | 'ater';
  status: string;
  filedOn: string;
  filedAt: Date;
  filedBy: string;
  filedByNamn: string;
  snapshot: Record<string, unknown>;
  /** How it came into evb: marked as filed, recorded afterwards, or imported (migration 0008). */
  recorded: FilingRecorded;
  /** False when the copy is evb's prefill at the time it was recorded, not the report as sent. */
  fieldsAsSent: boolean;
};

function filingsQuery(db: Db) {
  return db
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
    .orderBy('rapportFiling.quarter')
    .orderBy('rapportFiling.episodeStart');
}

// The schema types a generated timestamp as a nested ColumnType; the driver gives a Date.
const asFilingRows = (rows: unknown[]) => rows as FilingRow[];

/** Every filing of one episode of a decision, oldest quarter first, with the frozen copies. */
export async function filingsOfEpisode(db: Db, decisionId: string, episodeStart: string) {
  return asFilingRows(
    await filingsQuery(db)
      .where('rapportFiling.decisionId', '=', decisionId)
      .where('rapportFiling.episodeStart', '=', episodeStart)
      .execute(),
  );
}

/** Every filing of a decision, by quarter and episode, with the frozen copies. */
export async function filingsOfDecisionWithSnapshots(db: Db, decisionId: string) {
  return asFilingRows(
    await filingsQuery(db).where('rapportFiling.decisionId', '=', decisionId).execute(),
  );
}

export type FilingInsert = ReportLineKey & {
  id: string;
  report: 'ny' | 'ater';
  status: string;
  filedOn: string;
  filedBy: string;
  snapshot: Record<string, unknown>;
  /** Default `evb`: marked as filed in evb with the report as shown. */
  recorded?: FilingRecorded;
  /** Default true. */
  fieldsAsSent?: boolean;
};

/**
 * Records a line as filed. The caller holds the change-sequence lock (lockChangeSequence) in its
 * transaction, as for every row with a seq. Undefined when the line was already filed for the
 * quarter (the unique key `rapport_filing_once`), without aborting the transaction.
 */
export async function insertFiling(db: Db, filing: FilingInsert) {
  return db
    .insertInto('rapportFiling')
    .values({ ...filing, snapshot: JSON.stringify(filing.snapshot), seq: nextSeq() })
    .onConflict((oc) => oc.columns(['decisionId', 'episodeStart', 'quarter']).doNothing())
    .returning(['id', 'filedAt'])
    .executeTakeFirst();
}

/** The rapportör's saved changes to a line's report, or undefined. */
export async function findIndividrapportDraft(db: Db, key: ReportLineKey, forUpdate = false) {
  let query = db
    .selectFrom('individrapportDraft')
    .innerJoin('appUser', 'appUser.id', 'individrapportDraft.updatedBy')
    .select([
      'individrapportDraft.edits',
      'individrapportDraft.updatedBy',
      'individrapportDraft.updatedAt',
      'appUser.displayName as updatedByNamn',
    ])
    .where('individrapportDraft.decisionId', '=', key.decisionId)
    .where('individrapportDraft.episodeStart', '=', key.episodeStart)
    .where('individrapportDraft.quarter', '=', key.quarter);
  if (forUpdate) query = query.forUpdate('individrapportDraft');
  const row = await query.executeTakeFirst();
  return row
    ? {
        edits: row.edits as unknown as Record<string, unknown>,
        updatedBy: row.updatedBy,
        updatedByNamn: row.updatedByNamn,
        updatedAt: row.updatedAt as unknown as Date,
      }
    : undefined;
}

/** Stores the changes to a line's report, replacing what was stored. */
export async function saveIndividrapportDraft(
  db: Db,
  key: ReportLineKey,
  edits: Record<string, unknown>,
  updatedBy: string,
): Promise<void> {
  const json = JSON.stringify(edits);
  await db
    .insertInto('individrapportDraft')
    .values({ ...key, edits: json, updatedBy })
    .onConflict((oc) =>
      oc
        .columns(['decisionId', 'episodeStart', 'quarter'])
        .doUpdateSet({ edits: json, updatedBy, updatedAt: sql`now()` }),
    )
    .execute();
}

/** Forgets the changes to a line's report (once it is filed, the filing holds what was sent). */
export async function deleteIndividrapportDraft(db: Db, key: ReportLineKey): Promise<void> {
  await db
    .deleteFrom('individrapportDraft')
    .where('decisionId', '=', key.decisionId)
    .where('episodeStart', '=', key.episodeStart)
    .where('quarter', '=', key.quarter)
    .execute();
}

/**
 * The lines filed for `quarter` (`2026-Q2`) of the decisions in `scope` that have a voiding, each
 * with its decision and person as quarter.lines reads them. A voiding is what can take a filed
 * episode out of a decision's timeline (an avbrott voided after its line was filed): quarter.lines
 * shows those lines from their filing. Each of the quarter's filings in scope is checked against
 * migration 0011's partial index of the voidings, so few rows come back, and none without one.
 */
export async function filedLinesOfVoidedDecisions(db: Db, scope: DecisionScope, quarter: string) {
  return db
    .selectFrom('rapportFiling')
    .innerJoin('decision', 'decision.id', 'rapportFiling.decisionId')
    .innerJoin('person', 'person.id', 'decision.personId')
    .select([
      'decision.id',
      'decision.namndId',
      'decision.verksamhetsomrade',
      'decision.lagrum',
      'decision.insats',
      'decision.beslutsdatum',
      'decision.forhandsbesked',
      'decision.ersatterBeslutId',
      'person.fornamn as personFornamn',
      'person.efternamn as personEfternamn',
      'person.ivoId as personIvoId',
      'person.skyddadIdentitet as personSkyddadIdentitet',
      'rapportFiling.episodeStart',
    ])
    .where('rapportFiling.quarter', '=', quarter)
    .where(visibleTo(scope))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('caseEvent as voiding')
          .select(sql.lit(1).as('one'))
          .whereRef('voiding.decisionId', '=', 'decision.id')
          .where('voiding.type', '=', 'makulering'),
      ),
    )
    .execute();
}
