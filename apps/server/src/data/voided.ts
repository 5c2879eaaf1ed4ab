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
