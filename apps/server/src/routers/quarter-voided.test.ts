import type { CaseEvent } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertDecision, insertEvents, insertPerson } from '../testing/decisions';
import { type FixtureUser, ORG } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';

/*
 * quarter.lines and a voiding (issue 12): a filed line whose filed report used an event voided
 * since says so (the note reports.get gives on the filing), compared by change sequence: an event
 * logged after the filing and then voided does not count.
 */

const database = useTestDatabase();
const as = (user: FixtureUser, day?: string) =>
  callerFor(database, user, day ? fixedClock(`${day}T10:00:00Z`) : undefined);

const Q3 = { year: 2026, quarter: 3 } as const;

/** A kontaktperson decision of 2026-03-02 (handläggare1), ordered to enhet A. */
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

const voiding = (id: string, makulerarId: string, date: string): CaseEvent => ({
  id,
  decisionId: 'b1',
  type: 'makulering',
  date,
  makulerarId,
  text: 'Registrerades av misstag',
});

describe('quarter.lines and a filed report that used an event since voided', () => {
  it('quarter.lines says it on the filed line, for a voided event stored before the filing only', async () => {
    await insertEvents(
      database.db,
      [
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
      ],
      'utforareA',
    );
    const key = { namndId: ORG.vard, quarter: Q3, decisionId: 'b1', episodeStart: '2026-03-02' };
    const lineOf = async (day: string) => {
      const view = await (await as('rapportorLss', day)).quarter.lines({
        namndId: ORG.vard,
        quarter: Q3,
      });
      return view.lines.find((l) => l.decisionId === 'b1');
    };
    expect((await lineOf('2026-10-04'))?.filedVoidedSince).toBeNull();
    await (await as('rapportorLss', '2026-10-05')).reports.file({ ...key, filedOn: '2026-10-05' });
    expect(await lineOf('2026-10-05')).toMatchObject({ filed: true, filedVoidedSince: null });

    // An event logged after the filing (dated in the quarter), then voided: the filed report
    // never used it.
    await (await as('utforareA', '2026-10-10')).events.log({
      id: 'o2',
      decisionId: 'b1',
      type: 'erbjudande',
      date: '2026-09-01',
      text: 'Plats B',
    });
    await (await as('utforareA', '2026-10-11')).events.log(voiding('m2', 'o2', '2026-10-11'));
    expect(await lineOf('2026-10-12')).toMatchObject({ filed: true, filedVoidedSince: null });

    // An event the filed report used, voided after the filing: the line says so, as reports.get.
    await (await as('utforareA', '2026-10-20')).events.log(voiding('m1', 't1', '2026-10-20'));
    const line = await lineOf('2026-10-21');
    const report = await (await as('rapportorLss', '2026-10-21')).reports.get(key);
    expect(line?.filed).toBe(true);
    expect(line?.filedVoidedSince).toContain(
      'Den inlämnade rapporten bygger på en händelse som sedan makulerats: Tackat nej',
    );
    expect(line?.filedVoidedSince).toBe(report.filing?.voidedSince);
  });
});
