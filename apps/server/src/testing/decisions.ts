import type { CaseEvent, Decision } from '@evb/domain';
import { nextSeq } from '../data/decisions';
import type { Db } from '../db/database';
import { ORG } from './fixture';

/*
 * Puts persons, decisions and their events straight into the database for tests that read them,
 * without going through the procedures that register them. Every row gets its seq like a real write.
 */

export type TestPerson = {
  id: string;
  fornamn?: string;
  efternamn?: string;
  kon?: 'kvinna' | 'man';
  fodelsedatum?: string;
  ivoId?: string;
  personnummer?: string | null;
  skyddadIdentitet?: boolean;
};

export async function insertPerson(db: Db, person: TestPerson): Promise<void> {
  const fodelsedatum = person.fodelsedatum ?? '1980-01-01';
  await db
    .insertInto('person')
    .values({
      id: person.id,
      kommunId: ORG.kommun,
      fornamn: person.fornamn ?? 'Test',
      efternamn: person.efternamn ?? person.id,
      personnummer: person.personnummer ?? null,
      identitet: person.personnummer ? 'personnummer' : 'saknas',
      kon: person.kon ?? 'kvinna',
      fodelsedatum,
      skyddadIdentitet: person.skyddadIdentitet ?? false,
      ivoId: person.ivoId ?? `${fodelsedatum.replaceAll('-', '')}-${person.id}`,
      seq: nextSeq(),
    })
    .execute();
}

export type TestDecision = Omit<Decision, 'lagrum'> & {
  lagrum?: Decision['lagrum'];
  personId: string;
  namndId?: string;
  verksamhetsomrade?: string;
  handlaggareId?: string;
  enhetId?: string | null;
};

/** A decision of the fixture's Vård- och omsorgsnämnden in LSS unless told otherwise. */
export async function insertDecision(db: Db, decision: TestDecision): Promise<void> {
  await db
    .insertInto('decision')
    .values({
      id: decision.id,
      namndId: decision.namndId ?? ORG.vard,
      verksamhetsomrade: decision.verksamhetsomrade ?? 'LSS',
      personId: decision.personId,
      lagrum: decision.lagrum ?? (decision.insats.startsWith('LSS') ? 'LSS' : 'SoL'),
      insats: decision.insats,
      beslutsdatum: decision.beslutsdatum,
      forhandsbesked: decision.forhandsbesked ?? false,
      ersatterBeslutId: decision.ersatterBeslutId ?? null,
      handlaggareId: decision.handlaggareId ?? 'handlaggare1',
      enhetId: decision.enhetId ?? null,
      inriktning: null,
      inriktningText: null,
      seq: nextSeq(),
    })
    .execute();
}

/**
 * Events in the domain's shape, recorded by `recordedBy` at noon (UTC) of their date unless they
 * carry their own recordedAt.
 */
export async function insertEvents(
  db: Db,
  events: readonly CaseEvent[],
  recordedBy = 'handlaggare1',
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('caseEvent')
    .values(
      events.map((event) => {
        const { id, decisionId, type, date, recordedAt, ...data } = event;
        return {
          id,
          decisionId,
          type,
          date,
          recordedAt: new Date(recordedAt ?? `${date}T12:00:00Z`),
          recordedBy,
          data: JSON.stringify(data),
          seq: nextSeq(),
        };
      }),
    )
    .execute();
}
