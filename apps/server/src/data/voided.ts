import { sql } from 'kysely';
import type { Db } from '../db/database';

/**
 * The condition "the event in `table` (a `case_event` row) is not voided": no makulering of its
 * decision names it (migration 0011's index `case_event_voiding` finds that at once). Reads that
 * pick events by type for the rules (episode events, reasons) leave the voidings themselves out,
 * so they must leave out what the voidings void too; reads of whole timelines with each event's
 * data need not, as the domain's withoutVoided does it.
 */
export function notVoided(table = 'caseEvent') {
  return sql<boolean>`not exists (
    select 1 from case_event as voiding
    where voiding.decision_id = ${sql.ref(`${table}.decisionId`)}
      and voiding.type = 'makulering'
      and voiding.data ->> 'makulerarId' = ${sql.ref(`${table}.id`)})`;
}

/** The change sequence numbers of a decision's events and of some of its filings. */
export async function changeSeqsOf(db: Db, decisionId: string, filingIds: readonly string[]) {
  const events = await db
    .selectFrom('caseEvent')
    .select(['id', 'seq'])
    .where('decisionId', '=', decisionId)
    .execute();
  const filings =
    filingIds.length === 0
      ? []
      : await db
          .selectFrom('rapportFiling')
          .select(['id', 'seq'])
          .where('decisionId', '=', decisionId)
          .where('id', 'in', [...filingIds])
          .execute();
  return {
    events: new Map(events.map((e) => [e.id, Number(e.seq)])),
    filings: new Map(filings.map((f) => [f.id, Number(f.seq)])),
  };
}

/** A voiding of a decision with a filing in the quarter, as `voidingsOfFiledDecisions` reads it. */
export type FiledVoiding = {
  decisionId: string;
  /** The episode and change sequence of the decision's filing for the quarter. */
  episodeStart: string;
  filingSeq: number;
  /** The voided event. */
  event: { id: string; type: string; date: string; recordedAt: string; seq: number };
  /** The voiding (makulering). */
  voiding: { id: string; date: string; seq: number };
};

/**
 * The voidings of the nämnd's decisions that have a filing for `quarter` (`2026-Q2`), each with
 * the event it voids, once per filing of the quarter, each with its change sequence. One
 * statement, driven by the voidings (migration 0011's partial index holds them alone, few beside
 * the events), so a quarter with thousands of filings and no voiding costs next to nothing; the
 * caller keeps the lines it shows.
 */
export async function voidingsOfFiledDecisions(
  db: Db,
  quarter: string,
  namndId: string,
): Promise<FiledVoiding[]> {
  const rows = await db
    .selectFrom('caseEvent as voiding')
    .innerJoin('decision', 'decision.id', 'voiding.decisionId')
    .innerJoin('caseEvent as voided', (join) =>
      join
        .onRef('voided.decisionId', '=', 'voiding.decisionId')
        .on(sql<boolean>`${sql.ref('voided.id')} = ${sql.ref('voiding.data')} ->> 'makulerarId'`),
    )
    .innerJoin('rapportFiling', (join) =>
      join
        .onRef('rapportFiling.decisionId', '=', 'voiding.decisionId')
        .on('rapportFiling.quarter', '=', quarter),
    )
    .select([
      'rapportFiling.decisionId',
      'rapportFiling.episodeStart',
      'rapportFiling.seq as filingSeq',
      'voided.id as eventId',
      'voided.type as eventType',
      'voided.date as eventDate',
      'voided.recordedAt as eventRecordedAt',
      'voided.seq as eventSeq',
      'voiding.id as voidingId',
      'voiding.date as voidingDate',
      'voiding.seq as voidingSeq',
    ])
    .where('voiding.type', '=', 'makulering')
    .where('decision.namndId', '=', namndId)
    .execute();
  return rows.map((r) => ({
    decisionId: r.decisionId,
    episodeStart: r.episodeStart,
    filingSeq: Number(r.filingSeq),
    event: {
      id: r.eventId,
      type: r.eventType,
      date: r.eventDate,
      recordedAt: new Date(r.eventRecordedAt).toISOString(),
      seq: Number(r.eventSeq),
    },
    voiding: { id: r.voidingId, date: r.voidingDate, seq: Number(r.voidingSeq) },
  }));
}
