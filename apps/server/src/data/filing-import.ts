import { sql } from 'kysely';
import type { DecisionScope } from '../access/scope';
import type { Db } from '../db/database';
import { visibleTo } from './decisions';

/*
 * What the import of earlier filings reads for a whole file at once: the decisions of the persons
 * the file names, among those the rapportör may see in the nämnd. A person outside the caller's
 * scope is not found, exactly as a person evb has never seen.
 */

export type FilingImportDecision = {
  id: string;
  personId: string;
  personnummer: string | null;
  ivoId: string;
  lagrum: 'SoL' | 'LSS';
  insats: string;
  beslutsdatum: string;
  forhandsbesked: boolean;
  ersatterBeslutId: string | null;
};

/**
 * The nämnd's decisions visible in `scope` of the persons with these personnummer (12 digits) or
 * IVO pseudo-ids, with the person's number and IVO id to match rows by.
 */
export async function decisionsOfPersons(
  db: Db,
  scope: DecisionScope,
  namndId: string,
  persons: { personnummer: readonly string[]; ivoIds: readonly string[] },
): Promise<FilingImportDecision[]> {
  if (persons.personnummer.length === 0 && persons.ivoIds.length === 0) return [];
  return db
    .selectFrom('decision')
    .innerJoin('person', 'person.id', 'decision.personId')
    .select([
      'decision.id',
      'decision.personId',
      'person.personnummer',
      'person.ivoId',
      'decision.lagrum',
      'decision.insats',
      'decision.beslutsdatum',
      'decision.forhandsbesked',
      'decision.ersatterBeslutId',
    ])
    .where('decision.namndId', '=', namndId)
    .where(visibleTo(scope))
    .where((eb) =>
      eb.or([
        sql<boolean>`person.personnummer = any(${[...persons.personnummer]}::text[])`,
        sql<boolean>`person.ivo_id = any(${[...persons.ivoIds]}::text[])`,
      ]),
    )
    .execute();
}
