import type { CaseEvent, IsoDate } from '@evb/domain';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import { type ReportingSelection, selected } from './reporting';
import { notVoided } from './voided';

/*
 * What the risk list reads beside the episode events (reporting.ts): the latest reason for the delay
 * logged on each selected decision up to a day — a `skal` event, or a refusal (`tackat_nej`), the
 * events whose orsak tells whether the person asked to postpone within LOV (the domain's
 * postponedWithinLov). One set-based query over every decision in view, never one per decision.
 */

/** The reason event types, as literals, so the plan does not depend on a parameter. */
const REASON_TYPES = sql<boolean>`${sql.ref('caseEvent.type')} in (${sql.join(
  ['skal', 'tackat_nej'].map((t) => sql.lit(t)),
)})`;

/**
 * The latest reason event of each selected decision dated on or before `date`, as the domain reads
 * it (latest by date, then by when it was recorded, then by id, as the domain's sortEvents orders
 * events). A decision with none is absent. Only the latest is needed: the domain takes the latest
 * reason within the open episode, and a reason before the episode began is older than any in it.
 */
export async function latestReasonEvents(
  db: Db,
  selection: ReportingSelection,
  date: IsoDate,
): Promise<Map<string, CaseEvent>> {
  const rows = await db
    .selectFrom('caseEvent')
    .innerJoin('decision', 'decision.id', 'caseEvent.decisionId')
    .where(selected(selection))
    .where(REASON_TYPES)
    .where(notVoided())
    .where('caseEvent.date', '<=', date)
    .distinctOn('caseEvent.decisionId')
    .select([
      'caseEvent.id',
      'caseEvent.decisionId',
      'caseEvent.type',
      'caseEvent.date',
      sql<string>`to_char(${sql.ref('caseEvent.recordedAt')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as(
        'recordedAt',
      ),
      'caseEvent.data',
    ])
    .orderBy('caseEvent.decisionId')
    .orderBy('caseEvent.date', 'desc')
    // To the millisecond, as the domain's recordedAt strings compare.
    .orderBy(sql`date_trunc('milliseconds', ${sql.ref('caseEvent.recordedAt')})`, 'desc')
    .orderBy('caseEvent.id', 'desc')
    .execute();
  return new Map(
    rows.map((row) => [
      row.decisionId,
      {
        ...(row.data as object),
        id: row.id,
        decisionId: row.decisionId,
        type: row.type,
        date: row.date,
        recordedAt: row.recordedAt,
      } as CaseEvent,
    ]),
  );
}
