import type { CaseEvent } from '@evb/domain';
import { beforeEach } from 'vitest';
import { insertDecision, insertPerson } from './decisions';
import { type FixtureUser, ORG } from './fixture';
import { callerFor, fixedClock, useTestDatabase } from './harness';

/*
 * The case the makulering tests (issue 12) void events of: on the fixture, before each test, a
 * kontaktperson decision `b1` of 2026-03-02 for Astrid Lind (`p1`), handled by handläggare1 and
 * ordered to enhet A; the quarter its lines are read in, the voiding of one of its events, and
 * the offer and refusal whose voiding a filed report says it used.
 */

export const Q3 = { year: 2026, quarter: 3 } as const;

/** The test database with the case inserted before each test, and a caller for a user on a day. */
export function useVoidingCase() {
  const database = useTestDatabase();
  beforeEach(async () => {
    await insertPerson(database.db, { id: 'p1', fornamn: 'Astrid', efternamn: 'Lind' });
    await insertDecision(database.db, {
      id: 'b1',
      personId: 'p1',
      insats: 'LSS_9_4',
      beslutsdatum: '2026-03-02',
      enhetId: ORG.enhetA,
    });
  });
  /** `user`'s caller, at 10:00 UTC on `day` when given (else the harness's clock). */
  const as = (user: FixtureUser, day?: string) =>
    callerFor(database, user, day ? fixedClock(`${day}T10:00:00Z`) : undefined);
  return { database, as };
}

/** The makulering `id` of b1's event `makulerarId`, on `date`. */
export const voiding = (id: string, makulerarId: string, date = '2026-11-22'): CaseEvent => ({
  id,
  decisionId: 'b1',
  type: 'makulering',
  date,
  makulerarId,
  text: 'Registrerades av misstag',
});

/** An offer to b1 (`o1`, 2026-04-01) and its refusal (`t1`, 2026-04-10), for its report's tab 4. */
export const OFFER_REFUSED: CaseEvent[] = [
  { id: 'o1', decisionId: 'b1', type: 'erbjudande', date: '2026-04-01', text: 'Plats A' },
  {
    id: 't1',
    decisionId: 'b1',
    type: 'tackat_nej',
    date: '2026-04-10',
    erbjudandedatum: '2026-04-01',
    orsak: 'geografiskt_lage',
    text: 'För lång resväg',
  },
];
