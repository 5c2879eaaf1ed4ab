import { type CaseEvent, EPISODE_EVENT_TYPES, type IsoDate } from '@evb/domain';
import { type ExpressionBuilder, sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import type { DB } from '../db/schema';
import { visibleTo } from './decisions';

/*
 * What the rapportör's views read: a nämnd's decisions with their persons, the events that shape
 * their waiting episodes, what has been filed with IVO and which messages are handled. Each is one
 * set-based query over every decision in view (never one per decision), so a nämnd with thousands
 * of open decisions answers in one round of reads.
 */

export type ReportingSelection = {
  scope: DecisionScope;
  /** Only decisions made on or before this day (a quarter's reference date). */
  decidedBy?: IsoDate;
  /**
   * Leave out decisions whose every episode ended before this day (a quarter's first day): such
   * an episode is not reportable in the quarter (domain.md, "Quarters"). Read from
   * `decision.waiting_ended_by`, which a trigger keeps as a day on or after the last episode's end
   * (migration 0003), so a decision that may still wait is never left out. This only narrows the
   * read; the domain still decides every line.
   */
  waitingOnOrAfter?: IsoDate;
};

/**
 * The episode event types as literals, not parameters, so that PostgreSQL can use the partial
 * index `case_event_episode` whatever plan it makes.
 */
const episodeEventTypes = sql<boolean>`${sql.ref('caseEvent.type')} in (${sql.join(
  EPISODE_EVENT_TYPES.map((t) => sql.lit(t)),
)})`;

/** The condition on `decision` that picks the selected decisions. */
function selected(selection: ReportingSelection) {
  return (eb: ExpressionBuilder<DB, 'decision'>) => {
    const ands = [visibleTo(selection.scope)(eb)];
    if (selection.decidedBy) ands.push(eb('decision.beslutsdatum', '<=', selection.decidedBy));
    if (selection.waitingOnOrAfter) {
      ands.push(
        eb.or([
          eb('decision.waitingEndedBy', 'is', null),
          eb('decision.waitingEndedBy', '>=', selection.waitingOnOrAfter),
        ]),
      );
    }
    return eb.and(ands);
  };
}

/**
 * The selected decisions, with what the domain needs of each and the person it concerns.
 */
export async function reportingDecisions(db: Db, selection: ReportingSelection) {
  return db
    .selectFrom('decision')
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
    ])
    .where(selected(selection))
    .execute();
}

/** The episode events of every selected decision. */
export async function reportingEpisodeEvents(db: Db, selection: ReportingSelection) {
  return db
    .selectFrom('caseEvent')
    .innerJoin('decision', 'decision.id', 'caseEvent.decisionId')
    .select([
      'caseEvent.id',
      'caseEvent.decisionId',
      'caseEvent.type',
      'caseEvent.date',
      'caseEvent.recordedAt',
      'caseEvent.data',
    ])
    .where(episodeEventTypes)
    .where(selected(selection))
    .execute();
}

/** The lines of the selected decisions filed with IVO for a quarter (`2026-Q2`). */
export async function reportingFilings(db: Db, selection: ReportingSelection, quarter: string) {
  return db
    .selectFrom('rapportFiling')
    .innerJoin('decision', 'decision.id', 'rapportFiling.decisionId')
    .select([
      'rapportFiling.decisionId',
      'rapportFiling.episodeStart',
      'rapportFiling.report',
      'rapportFiling.status',
      'rapportFiling.filedOn',
    ])
    .where('rapportFiling.quarter', '=', quarter)
    .where(selected(selection))
    .execute();
}

/** The handled messages of the selected decisions, with who handled them. */
export async function handledMessages(db: Db, selection: ReportingSelection) {
  return db
    .selectFrom('messageHandled')
    .innerJoin('decision', 'decision.id', 'messageHandled.decisionId')
    .leftJoin('appUser', 'appUser.id', 'messageHandled.handledBy')
    .select([
      'messageHandled.messageKey',
      'messageHandled.decisionId',
      'messageHandled.handledAt',
      'messageHandled.handledBy',
      'appUser.displayName as handledByName',
    ])
    .where(selected(selection))
    .execute();
}

/**
 * Marks a message handled; a message handled before keeps its first record. True when this call
 * marked it.
 */
export async function markMessageHandled(
  db: Db,
  message: { messageKey: string; decisionId: string; handledBy: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('messageHandled')
    .values(message)
    .onConflict((oc) => oc.column('messageKey').doNothing())
    .returning('messageKey')
    .execute();
  return inserted.length > 0;
}

export async function findHandledMessage(db: Db, messageKey: string) {
  return db
    .selectFrom('messageHandled')
    .leftJoin('appUser', 'appUser.id', 'messageHandled.handledBy')
    .select([
      'messageHandled.messageKey',
      'messageHandled.decisionId',
      'messageHandled.handledAt',
      'messageHandled.handledBy',
      'appUser.displayName as handledByName',
    ])
    .where('messageHandled.messageKey', '=', messageKey)
    .executeTakeFirst();
}

/** Rows grouped by the decision they belong to. */
export function byDecision<T extends { decisionId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.decisionId);
    if (group) group.push(row);
    else groups.set(row.decisionId, [row]);
  }
  return groups;
}

/** The domain's view of an event read by `reportingEpisodeEvents`. */
export function reportingEventToDomain(
  row: Awaited<ReturnType<typeof reportingEpisodeEvents>>[number],
): CaseEvent {
  return {
    ...(row.data as object),
    id: row.id,
    decisionId: row.decisionId,
    type: row.type,
    date: row.date,
    recordedAt: (row.recordedAt as Date).toISOString(),
  } as CaseEvent;
}
