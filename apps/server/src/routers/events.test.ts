import { caseStatus } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { type FixtureUser, ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';

/*
 * events.log: who may log what on a decision, the domain's refusals, and idempotency on the
 * client's event id. The clock stands at 2026-11-22.
 */

const database = useTestDatabase();

const as = (user: FixtureUser) => callerFor(database, user);

/** A kontaktperson decision of 2026-08-10, ordered to enhet A. */
async function decisionOfUnitA() {
  const handlaggare = await as('handlaggare1');
  return handlaggare.decisions.register({
    namndId: ORG.vard,
    lagrum: 'LSS',
    insats: 'LSS_9_4',
    verksamhetsomrade: 'LSS',
    beslutsdatum: '2026-08-10',
    person: {
      typ: 'saknas',
      fornamn: 'Ines',
      efternamn: 'Lund',
      fodelsedatum: '1985-03-04',
      kon: 'kvinna',
    },
    order: { enhetId: ORG.enhetA },
  });
}

describe('events.log', () => {
  it("lets an utförare log offers, refusals and execution on their unit's decision", async () => {
    const decision = await decisionOfUnitA();
    const utforare = await as('utforareA');
    const offer = await utforare.events.log({
      id: 'e1',
      decisionId: decision.id,
      type: 'erbjudande',
      date: '2026-09-01',
      text: 'Kontaktperson erbjuden, en träff i veckan',
    });
    expect(offer.event).toMatchObject({ id: 'e1', type: 'erbjudande', date: '2026-09-01' });
    expect(offer.caseStatus?.state).toBe('vantar');
    await utforare.events.log({
      id: 'e2',
      decisionId: decision.id,
      type: 'tackat_nej',
      date: '2026-09-05',
      erbjudandedatum: '2026-09-01',
      orsak: 'geografiskt_lage',
    });
    const executed = await utforare.events.log({
      id: 'e3',
      decisionId: decision.id,
      type: 'verkstalld',
      date: '2026-11-20',
    });
    const stored = await database.db
      .selectFrom('caseEvent')
      .select(['id', 'type', 'recordedBy'])
      .orderBy('date')
      .execute();
    expect(stored).toEqual([
      { id: 'e1', type: 'erbjudande', recordedBy: 'utforareA' },
      { id: 'e2', type: 'tackat_nej', recordedBy: 'utforareA' },
      { id: 'e3', type: 'verkstalld', recordedBy: 'utforareA' },
    ]);
    // A refusal never ends the wait; the execution does, after the three months.
    expect(executed.caseStatus).toEqual(
      caseStatus(
        {
          id: decision.id,
          lagrum: 'LSS',
          insats: 'LSS_9_4',
          beslutsdatum: '2026-08-10',
          forhandsbesked: false,
          ersatterBeslutId: null,
        },
        (await utforare.decisions.get({ id: decision.id })).events,
        '2026-11-22',
        { handledMessages: [], filedQuarters: [] },
      ),
    );
    expect(executed.caseStatus).toMatchObject({
      state: 'verkstalld',
      episode: { start: '2026-08-10', end: { type: 'verkstalld', date: '2026-11-20' } },
    });
    const audit = await database.db
      .selectFrom('auditLog')
      .select('action')
      .where('userId', '=', 'utforareA')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'handelse_erbjudande',
      'handelse_tackat_nej',
      'handelse_verkstalld',
      'beslut_last',
    ]);
  });

  it('refuses an utförare closing a decision (403), and another unit the decision (404)', async () => {
    const decision = await decisionOfUnitA();
    const event = {
      id: 'e-avslut',
      decisionId: decision.id,
      type: 'avslutad',
      date: '2026-11-20',
      anledning: 'behov_upphort',
    } as const;
    await expect((await as('utforareA')).events.log(event)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Din roll får inte registrera avslut för det här beslutet.',
    });
    await expect(
      (await as('utforareB')).events.log({ ...event, type: 'verkstalld' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await as('admin')).events.log(event)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await database.db.selectFrom('caseEvent').select('id').execute()).toEqual([]);
  });

  it("refuses what the domain refuses with 400 and the domain's Swedish message", async () => {
    const decision = await decisionOfUnitA();
    const utforare = await as('utforareA');
    await expect(
      utforare.events.log({
        id: 'e1',
        decisionId: decision.id,
        type: 'avbrott',
        date: '2026-11-01',
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Ett avbrott kan bara registreras när insatsen är verkställd (1 november 2026)',
    });
    await expect(
      utforare.events.log({
        id: 'e2',
        decisionId: decision.id,
        type: 'verkstalld',
        date: '2026-11-23',
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Datumet 23 november 2026 ligger i framtiden',
    });
    await expect(
      utforare.events.log({
        id: 'e3',
        decisionId: decision.id,
        type: 'erbjudande',
        date: '2026-08-01',
        text: 'Före beslutet',
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Händelsen den 1 augusti 2026 är daterad före beslutsdatum 10 augusti 2026',
    });
    expect(await database.db.selectFrom('caseEvent').select('id').execute()).toEqual([]);
  });

  it('refuses a skäl "tackat nej" without the offer’s date, and all but a note once closed (issue 12)', async () => {
    const decision = await decisionOfUnitA();
    const handlaggare = await as('handlaggare1');
    const skal = {
      id: 'e-skal',
      decisionId: decision.id,
      type: 'skal',
      date: '2026-09-10',
      skal: 'tackat_nej',
      orsak: 'vill_avvakta',
    } as const;
    const missing = await handlaggare.events.log(skal).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify(missing)).toContain(
      'Ange datum för erbjudandet som den enskilde tackade nej till',
    );
    await handlaggare.events.log({ ...skal, erbjudandedatum: '2026-09-01' });
    await handlaggare.events.log({
      id: 'e-avslut',
      decisionId: decision.id,
      type: 'avslutad',
      date: '2026-10-01',
      anledning: 'behov_upphort',
    });
    await expect(
      handlaggare.events.log({
        id: 'e-samtal',
        decisionId: decision.id,
        type: 'uppfoljning',
        date: '2026-10-10',
        kontakt: 'Den enskilde',
        text: 'Efter avslutet',
      }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Beslutet avslutades 1 oktober 2026; bara anteckningar kan läggas till',
    });
    await handlaggare.events.log({
      id: 'e-not',
      decisionId: decision.id,
      type: 'anteckning',
      date: '2026-10-10',
      text: 'Arkiverat',
    });
    const stored = await database.db.selectFrom('caseEvent').select('id').orderBy('id').execute();
    expect(stored.map((r) => r.id)).toEqual(['e-avslut', 'e-not', 'e-skal']);
  });

  it('stores an event logged twice with the same id once, and answers the same', async () => {
    const decision = await decisionOfUnitA();
    const utforare = await as('utforareA');
    const event = {
      id: '01900000-0000-7000-8000-0000000000e1',
      decisionId: decision.id,
      type: 'delvis_verkstalld',
      date: '2026-10-01',
      text: '2 av 5 timmar',
    } as const;
    const first = await utforare.events.log(event);
    const second = await utforare.events.log(event);
    expect(second).toEqual(first);
    expect(await database.db.selectFrom('caseEvent').select('id').execute()).toEqual([
      { id: event.id },
    ]);
    // The id used for something else is a conflict; someone who cannot see the decision learns
    // nothing of it.
    await expect(
      utforare.events.log({ ...event, type: 'erbjudande', text: 'annat' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect((await as('utforareB')).events.log(event)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
