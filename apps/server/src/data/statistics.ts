import type { Db } from '../db/database';
import type { DecisionRow, PersonTable } from '../db/schema';
import { type ReportingSelection, selected } from './reporting';

/*
 * What the statistics report to kommunfullmäktige reads of each decision: what the domain's rules
 * need, and the sex of the person it concerns. Never a name, personnummer or address: the report is
 * de-identified, and a read that does not fetch identities cannot leak them.
 */

export type StatisticsDecision = Pick<
  DecisionRow,
  'id' | 'lagrum' | 'insats' | 'beslutsdatum' | 'forhandsbesked' | 'ersatterBeslutId'
> & {
  /** The IVO pseudo-id: only its sex digit is used, and it never leaves the server. */
  personIvoId: string;
  personKon: PersonTable['kon'];
};

/** The selected decisions with the sex of their persons, for the statistics. */
export async function statisticsDecisions(
  db: Db,
  selection: ReportingSelection,
): Promise<StatisticsDecision[]> {
  return (
    db
      .selectFrom('decision')
      .innerJoin('person', 'person.id', 'decision.personId')
      .select([
        'decision.id',
        'decision.lagrum',
        'decision.insats',
        'decision.beslutsdatum',
        'decision.forhandsbesked',
        'decision.ersatterBeslutId',
        'person.ivoId as personIvoId',
        'person.kon as personKon',
      ])
      // The same narrowing as the reporting reads: the domain decides what counts.
      .where(selected(selection))
      .orderBy('decision.id')
      .execute()
  );
}
