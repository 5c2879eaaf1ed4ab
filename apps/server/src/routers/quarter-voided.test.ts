import { describe, expect, it } from 'vitest';
import { insertEvents } from '../testing/decisions';
import { ORG } from '../testing/fixture';
import { OFFER_REFUSED, Q3, useVoidingCase, voiding } from '../testing/voiding';

/*
 * quarter.lines and a voiding (issue 12): a filed line whose filed report used an event voided
 * since says so (the note reports.get gives on the filing), compared by change sequence: an event
 * logged after the filing and then voided does not count. On testing/voiding.ts's decision b1.
 */

const { database, as } = useVoidingCase();

describe('quarter.lines and a filed report that used an event since voided', () => {
  it('quarter.lines says it on the filed line, for a voided event stored before the filing only', async () => {
    await insertEvents(database.db, OFFER_REFUSED, 'utforareA');
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
