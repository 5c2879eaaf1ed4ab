import type { CaseEvent, Quarter } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertDecision, insertEvents, insertPerson } from '../testing/decisions';
import { refusal } from '../testing/errors';
import { ORG } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';

/*
 * reports.recordFiling: a filing made in IVO's e-tjänst, recorded afterwards (issue 11; domain.md
 * "What IVO already has"). Decision b1 waits from 2026-01-15: overdue from 2026-04-16, so a
 * nyrapportering in Q2 (window 1 July – 31 August) and återrapporteringar after.
 */

const Q2: Quarter = { year: 2026, quarter: 2 };
const Q3: Quarter = { year: 2026, quarter: 3 };
const Q4: Quarter = { year: 2026, quarter: 4 };
const on = (day: string) => fixedClock(`${day}T10:00:00Z`);

describe('recording a filing afterwards', () => {
  const database = useTestDatabase();
  const events: CaseEvent[] = [
    { id: 'e1', decisionId: 'b1', type: 'erbjudande', date: '2026-02-10', text: 'Plats på Eken' },
    {
      id: 'e2',
      decisionId: 'b1',
      type: 'tackat_nej',
      date: '2026-02-20',
      erbjudandedatum: '2026-02-10',
      orsak: 'geografiskt_lage',
    },
  ];

  beforeEach(async () => {
    await insertPerson(database.db, {
      id: 'p1',
      fornamn: 'Astrid',
      efternamn: 'Lind',
      fodelsedatum: '1912-12-12',
      personnummer: '191212121212',
      ivoId: '19121212-T123',
    });
    await insertDecision(database.db, {
      id: 'b1',
      personId: 'p1',
      insats: 'LSS_9_10',
      beslutsdatum: '2026-01-15',
      enhetId: ORG.enhetA,
    });
    await insertEvents(database.db, events);
  });

  const rapportor = (day: string) => callerFor(database, 'rapportorLss', on(day));
  const lineKey = (quarter: Quarter) => ({
    namndId: ORG.vard,
    quarter,
    decisionId: 'b1',
    episodeStart: '2026-01-15',
  });

  it('records a filing of a closed window, and the next quarter builds on it as an återrapportering', async () => {
    const october = await rapportor('2026-10-05');
    // Q3's line: the schedule says åter, but IVO has nothing recorded: sent as new, and says so.
    const before = await october.reports.get(lineKey(Q3));
    expect(before.reportType).toMatchObject({
      scheduled: 'ater',
      send: 'ny',
      unrecordedEarlier: [{ quarter: '2026-Q2', label: 'kvartal 2 2026' }],
    });
    expect(before.draft.rapporttyp).toBe('ny');

    // Q2's window closed on 31 August: it cannot be marked as filed today, but can be recorded.
    const q2 = await october.reports.get(lineKey(Q2));
    expect(q2).toMatchObject({ canFile: false, record: { allowed: true, reason: null } });
    const filing = await october.reports.recordFiling({
      ...lineKey(Q2),
      filedOn: '2026-08-14',
      report: 'ny',
    });
    expect(filing).toMatchObject({
      quarter: '2026-Q2',
      report: 'ny',
      status: 'ej_verkstalld',
      filedOn: '2026-08-14',
      recorded: 'efterhand',
      fieldsAsSent: false,
      filedBy: { id: 'rapportorLss', namn: 'rapportorLss' },
      snapshot: { draft: { rapporttyp: 'ny', efternamn: 'Lind', orsak: 'geografiskt_lage' } },
    });
    expect(filing.snapshot.note).toMatch(
      /^Registrerad i efterhand av rapportorLss 5 oktober 2026 kl\. 12:00\. Uppgifterna är evb:s rapport när inlämningen registrerades, inte en kopia av det som skickades till IVO\.$/,
    );
    // The line's message is handled, like a filing in evb.
    expect(filing.messagesHandled.length).toBe(1);
    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'subjectId', 'details'])
      .where('action', '=', 'individrapport_registrerad_i_efterhand')
      .execute();
    expect(audit).toEqual([
      {
        action: 'individrapport_registrerad_i_efterhand',
        subjectId: 'b1',
        details: expect.objectContaining({ kvartal: '2026-Q2', inlamnad: '2026-08-14' }),
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('Lind');

    // Now Q3 is an återrapportering built on the recorded copy.
    const after = await october.reports.get(lineKey(Q3));
    expect(after.reportType).toMatchObject({ send: 'ater', notice: null, unrecordedEarlier: [] });
    expect(after.draft.rapporttyp).toBe('ater');
    expect(after.previous).toMatchObject({ quarter: '2026-Q2', recorded: 'efterhand' });
    expect(after.locked).toContain('efternamn');

    // Twice for the same quarter: refused.
    expect(
      await refusal(
        october.reports.recordFiling({ ...lineKey(Q2), filedOn: '2026-08-15', report: 'ny' }),
      ),
    ).toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
    expect(
      await refusal(october.reports.file({ ...lineKey(Q2), filedOn: '2026-08-15' })),
    ).toMatchObject({ httpStatus: 409 });
  });

  it('refuses what cannot have happened, naming the field', async () => {
    const december = await rapportor('2026-12-02');
    const cases: [Parameters<typeof december.reports.recordFiling>[0], string][] = [
      [
        { ...lineKey(Q2), filedOn: '2026-09-01', report: 'ny' },
        'filedOn: En nyrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026',
      ],
      [
        { ...lineKey(Q4), filedOn: '2026-12-03', report: 'ater' },
        'filedOn: Rapporteringsdatumet 3 december 2026 ligger i framtiden',
      ],
      [
        { ...lineKey(Q2), filedOn: '2026-07-10', report: 'ater' },
        'report: Dröjsmålet var nytt för IVO kvartal 2 2026: rapporten kan bara ha varit en nyrapportering',
      ],
    ];
    for (const [input, message] of cases) {
      expect(await refusal(december.reports.recordFiling(input))).toEqual({
        code: 'BAD_REQUEST',
        httpStatus: 400,
        message,
      });
    }
    // A nyrapportering after a recorded filing: IVO had the case.
    await december.reports.recordFiling({ ...lineKey(Q2), filedOn: '2026-07-10', report: 'ny' });
    expect(
      await refusal(
        december.reports.recordFiling({ ...lineKey(Q3), filedOn: '2026-10-10', report: 'ny' }),
      ),
    ).toMatchObject({
      httpStatus: 400,
      message: expect.stringMatching(/^report: .*återrapportering/),
    });
    // Q4's window opens on 1 January: nothing to record yet.
    const q4 = await december.reports.get(lineKey(Q4));
    expect(q4.record).toEqual({
      allowed: false,
      reason: 'Rapporteringsperioden för kvartal 4 2026 öppnar 1 januari 2027.',
    });
    expect(await database.db.selectFrom('rapportFiling').select('quarter').execute()).toEqual([
      { quarter: '2026-Q2' },
    ]);
  });

  it('keeps the fields as sent, and refuses a locked field changed', async () => {
    const october = await rapportor('2026-10-20');
    await october.reports.recordFiling({ ...lineKey(Q2), filedOn: '2026-07-02', report: 'ny' });
    // Q3 recorded with what was actually sent: another orsak, and a text under övrigt.
    const sent = await october.reports.recordFiling({
      ...lineKey(Q3),
      filedOn: '2026-10-02',
      report: 'ater',
      draft: { orsak: 'vill_avvakta', ovrigtKomplettering: 'Väntar på plats närmare hemmet.' },
    });
    expect(sent).toMatchObject({ recorded: 'efterhand', fieldsAsSent: true, report: 'ater' });
    expect(sent.snapshot.draft).toMatchObject({
      orsak: 'vill_avvakta',
      ovrigtKomplettering: 'Väntar på plats närmare hemmet.',
    });
    expect(sent.snapshot.note).toContain('Uppgifterna är de som skickades till IVO');
    expect(sent.snapshot.text).toContain('Väntar på plats närmare hemmet.');

    await database.db.deleteFrom('rapportFiling').where('quarter', '=', '2026-Q3').execute();
    expect(
      await refusal(
        october.reports.recordFiling({
          ...lineKey(Q3),
          filedOn: '2026-10-02',
          report: 'ater',
          draft: { efternamn: 'Berg' },
        }),
      ),
    ).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: 'draft.efternamn: Fältet är låst vid återrapportering: det rapporterades tidigare',
    });
  });

  it('a slutrapportering may be recorded with any date from the execution', async () => {
    await insertEvents(database.db, [
      { id: 'e9', decisionId: 'b1', type: 'verkstalld', date: '2026-09-20' },
    ]);
    const december = await rapportor('2026-12-02');
    expect(
      await refusal(
        december.reports.recordFiling({ ...lineKey(Q3), filedOn: '2026-09-19', report: 'ny' }),
      ),
    ).toMatchObject({
      httpStatus: 400,
      message: expect.stringMatching(/^filedOn: Beslutet verkställdes 20 september 2026/),
    });
    const filing = await december.reports.recordFiling({
      ...lineKey(Q3),
      filedOn: '2026-09-25',
      report: 'ny',
    });
    expect(filing).toMatchObject({ status: 'verkstalld', report: 'ny', filedOn: '2026-09-25' });
  });

  it('only the nämnd’s rapportörer in the area: 403 for other roles and nämnder', async () => {
    const input = { ...lineKey(Q2), filedOn: '2026-07-10', report: 'ny' as const };
    for (const userId of ['utforareA', 'handlaggare1', 'admin', 'rapportorSocial']) {
      const caller = await callerFor(database, userId, on('2026-10-05'));
      expect(await refusal(caller.reports.recordFiling(input))).toMatchObject({ httpStatus: 403 });
    }
    const lss = await rapportor('2026-10-05');
    expect(await refusal(lss.reports.recordFiling({ ...input, decisionId: 'nope' }))).toMatchObject(
      { httpStatus: 404 },
    );
    expect(await database.db.selectFrom('rapportFiling').select('id').execute()).toEqual([]);
  });
});
