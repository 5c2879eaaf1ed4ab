import {
  addQuarters,
  type CaseEvent,
  LOCKED_ON_ATER,
  type Quarter,
  quarterOf,
  validateIndividrapport,
} from '@evb/domain';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveIndividrapportDraft } from '../data/reports';
import { seedDemoIfEmpty } from '../seed/startup';
import {
  insertDecision,
  insertEvents,
  insertPerson,
  type TestDecision,
} from '../testing/decisions';
import { refusal } from '../testing/errors';
import { ORG } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';

/*
 * reports.get / saveDraft / file / history: the individrapport of a line through the server, on
 * the fixture (every line kind, written out) and on the demo kommun (every line it has).
 */

const Q2: Quarter = { year: 2026, quarter: 2 };
const Q3: Quarter = { year: 2026, quarter: 3 };
const Q4: Quarter = { year: 2026, quarter: 4 };

const on = (day: string) => fixedClock(`${day}T10:00:00Z`);

describe('reports on the fixture', () => {
  const database = useTestDatabase();

  beforeEach(async () => {
    await insertPerson(database.db, {
      id: 'p1',
      fornamn: 'Astrid',
      efternamn: 'Lind',
      fodelsedatum: '1912-12-12',
      personnummer: '191212121212',
      ivoId: '19121212-T123',
    });
    await insertPerson(database.db, {
      id: 'p2',
      fornamn: 'Bertil',
      efternamn: 'Ek',
      fodelsedatum: '1975-05-05',
      ivoId: '19750505-T010',
      skyddadIdentitet: true,
    });
  });

  async function given(decisions: TestDecision[], events: CaseEvent[] = []) {
    for (const d of decisions) await insertDecision(database.db, d);
    await insertEvents(database.db, events);
  }

  const rapportor = (day: string) => callerFor(database, 'rapportorLss', on(day));
  const lineKey = (decisionId: string, episodeStart: string, quarter: Quarter) => ({
    namndId: ORG.vard,
    quarter,
    decisionId,
    episodeStart,
  });

  // Waiting since 2026-01-15 (overdue 2026-04-16: a new line in Q2): an offer refused, a call.
  const b1: TestDecision = {
    id: 'b1',
    personId: 'p1',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-01-15',
    enhetId: ORG.enhetA,
  };
  const waiting: CaseEvent[] = [
    {
      id: 'e1',
      decisionId: 'b1',
      type: 'erbjudande',
      date: '2026-02-10',
      text: 'Plats på Eken daglig verksamhet',
    },
    {
      id: 'e2',
      decisionId: 'b1',
      type: 'tackat_nej',
      date: '2026-02-20',
      erbjudandedatum: '2026-02-10',
      orsak: 'geografiskt_lage',
    },
    {
      id: 'e3',
      decisionId: 'b1',
      type: 'uppfoljning',
      date: '2026-03-20',
      kontakt: 'God man',
      text: 'Vill vänta på en plats närmare hemmet',
    },
  ];

  it('a nyrapportering: prefilled, valid, with its message, fileable in the window', async () => {
    await given([b1], waiting);
    const caller = await rapportor('2026-07-10');
    const report = await caller.reports.get(lineKey('b1', '2026-01-15', Q2));
    const quarter = await caller.quarter.lines({ namndId: ORG.vard, quarter: Q2 });
    // The line is the quarter view's line.
    expect(report.line).toEqual(quarter.lines.find((l) => l.decisionId === 'b1'));
    expect(report.line).toMatchObject({
      kategori: 'nyrapportering',
      report: 'ny',
      status: 'ej_verkstalld',
      filed: false,
      unhandledMessages: 1,
    });
    expect(report.prefill).toEqual({
      namnd: 'Vård- och omsorgsnämnden',
      verksamhetsomrade: 'LSS',
      rapportor: 'rapportorLss',
      rapporttyp: 'ny',
      fornamn: 'Astrid',
      efternamn: 'Lind',
      personnummer: '19121212-1212',
      skyddadePersonuppgifter: false,
      saknarPersonnummer: false,
      insats: 'LSS_9_10',
      anhorigMedEjVerkstalltBeslut: false,
      drojsmalAvser: 'beslut',
      drojsmalDatum: '2026-01-15',
      status: 'ej_verkstalld',
      skal: 'tackat_nej',
      orsak: 'geografiskt_lage',
      erbjudandedatum: '2026-02-10',
      delvisVerkstalld: false,
      kompenserandeInsats: false,
      covid19: false,
      ovrigt: [
        '2026-02-10: Erbjudande till den enskilde: Plats på Eken daglig verksamhet.',
        '2026-02-20: Den enskilde tackade nej till erbjudandet från 2026-02-10 (erbjudandets geografiska läge).',
        '2026-03-20: Uppföljningssamtal med God man: Vill vänta på en plats närmare hemmet.',
      ].join('\n'),
    });
    expect(report.draft).toEqual(report.prefill);
    expect(report.edits).toBeNull();
    expect(report.findings).toEqual([]);
    expect(report.locked).toEqual(['rapporttyp', 'drojsmalAvser', 'drojsmalDatum']);
    expect(report.text).toContain('Personnummer: 19121212-1212');
    expect(report.messages.map((m) => [m.title, m.handled])).toEqual([
      ['IVO – Nyrapportering 2026-04-16, 9§10', null],
    ]);
    expect(report.window).toEqual({
      opens: '2026-07-01',
      closes: '2026-08-31',
      open: true,
      closed: false,
    });
    expect(report).toMatchObject({
      quarterKey: '2026-Q2',
      referenceDate: '2026-06-30',
      previous: null,
      filing: null,
      canFile: true,
      reason: null,
    });
    const log = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'role', 'action', 'subjectId', 'namndId', 'details'])
      .where('action', '=', 'individrapport_last')
      .execute();
    expect(log).toEqual([
      {
        userId: 'rapportorLss',
        role: 'rapportor',
        action: 'individrapport_last',
        subjectId: 'b1',
        namndId: ORG.vard,
        details: { kvartal: '2026-Q2', episodStart: '2026-01-15', personId: 'p1' },
      },
    ]);
  });

  it('a nyrapportering executed in the same quarter: may be filed before the window opens', async () => {
    await given(
      [b1],
      [...waiting, { id: 'e9', decisionId: 'b1', type: 'verkstalld', date: '2026-06-01' }],
    );
    const caller = await rapportor('2026-06-05');
    const report = await caller.reports.get(lineKey('b1', '2026-01-15', Q2));
    expect(report.line).toMatchObject({ kategori: 'nyrapportering', status: 'verkstalld' });
    expect(report.draft).toMatchObject({
      rapporttyp: 'ny',
      status: 'verkstalld',
      statusDatum: '2026-06-01',
    });
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ canFile: true, window: { open: false, closed: false } });
    const filing = await caller.reports.file({
      ...lineKey('b1', '2026-01-15', Q2),
      filedOn: '2026-06-05',
    });
    expect(filing).toMatchObject({ quarter: '2026-Q2', report: 'ny', status: 'verkstalld' });
  });

  it('an återrapportering: what was filed is locked, the Covid-19 box stays, the edits are kept', async () => {
    await given([b1], waiting);
    const july = await rapportor('2026-07-10');
    const q2 = lineKey('b1', '2026-01-15', Q2);
    const saved = await july.reports.saveDraft({
      ...q2,
      draft: { covid19: true, anhorigMedEjVerkstalltBeslut: true, orsak: 'vill_avvakta' },
    });
    expect(saved.edits).toEqual({
      covid19: true,
      anhorigMedEjVerkstalltBeslut: true,
      orsak: 'vill_avvakta',
    });
    expect(saved.findings).toEqual([]);
    await july.reports.file({ ...q2, filedOn: '2026-07-10' });

    await insertEvents(database.db, [
      {
        id: 'e10',
        decisionId: 'b1',
        type: 'delvis_verkstalld',
        date: '2026-07-20',
        text: '2 av 5 dagar',
      },
    ]);
    // The person's surname changed after the first report: the report keeps what was filed.
    await database.db
      .updateTable('person')
      .set({ efternamn: 'Berg' })
      .where('id', '=', 'p1')
      .execute();
    const october = await rapportor('2026-10-05');
    const q3 = lineKey('b1', '2026-01-15', Q3);
    const report = await october.reports.get(q3);
    expect(report.line).toMatchObject({ kategori: 'aterrapportering', report: 'ater' });
    expect(report.locked).toEqual(
      expect.arrayContaining([...LOCKED_ON_ATER, 'rapporttyp', 'covid19']),
    );
    expect(report.previous).toMatchObject({
      quarter: '2026-Q2',
      filedOn: '2026-07-10',
      filedBy: { id: 'rapportorLss', namn: 'rapportorLss' },
      snapshot: { draft: { efternamn: 'Lind', covid19: true, orsak: 'vill_avvakta' } },
    });
    expect(report.draft).toMatchObject({
      rapporttyp: 'ater',
      efternamn: 'Lind',
      covid19: true,
      anhorigMedEjVerkstalltBeslut: true,
      // The reason filed last time is kept: nothing new was logged.
      skal: 'tackat_nej',
      orsak: 'vill_avvakta',
      delvisVerkstalld: true,
      delvisDatum: '2026-07-20',
      delvisText: '2 av 5 dagar',
    });
    expect(report.findings).toEqual([]);

    // Locked fields cannot be changed, each refusal names the field.
    expect(
      await refusal(october.reports.saveDraft({ ...q3, draft: { efternamn: 'Berg' } })),
    ).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: 'draft.efternamn: Fältet är låst vid återrapportering: det rapporterades tidigare',
    });
    expect(await refusal(october.reports.saveDraft({ ...q3, draft: { covid19: false } }))).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message:
        'draft.covid19: Covid-19-markeringen har rapporterats tidigare och kan inte tas bort',
    });
    expect(
      await refusal(october.reports.saveDraft({ ...q3, draft: { rapporttyp: 'ny' } })),
    ).toMatchObject({ httpStatus: 400, message: expect.stringContaining('draft.rapporttyp') });
    // Övrigt as filed in Q2 is shown read-only: what is new goes in its Komplettera field.
    expect(report.previous?.snapshot.draft?.ovrigt).toBeTruthy();
    expect(report.draft.ovrigt).toBe(report.previous?.snapshot.draft?.ovrigt);
    expect(report.locked).toContain('ovrigt');
    expect(
      await refusal(october.reports.saveDraft({ ...q3, draft: { ovrigt: 'Nytt' } })),
    ).toMatchObject({ httpStatus: 400, message: expect.stringContaining('draft.ovrigt: Texten') });
    // The same values, with a change to an open field, are accepted: the whole form may be sent.
    const ok = await october.reports.saveDraft({
      ...q3,
      draft: { ...report.draft, ovrigtKomplettering: 'Inget nytt erbjudande under kvartalet.' },
    });
    expect(ok.edits).toEqual({ ovrigtKomplettering: 'Inget nytt erbjudande under kvartalet.' });
    const again = await october.reports.get(q3);
    expect(again.edits).toMatchObject({
      fields: { ovrigtKomplettering: 'Inget nytt erbjudande under kvartalet.' },
      updatedBy: { id: 'rapportorLss' },
    });
    expect(again.text).toContain(
      'Komplettera med ytterligare information, om förändringar skett efter senaste rapportering: Inget nytt erbjudande under kvartalet.',
    );
    const filing = await october.reports.file({ ...q3, filedOn: '2026-10-05' });
    expect(filing.snapshot.draft).toMatchObject({
      rapporttyp: 'ater',
      efternamn: 'Lind',
      covid19: true,
      ovrigt: report.previous?.snapshot.draft?.ovrigt,
      ovrigtKomplettering: 'Inget nytt erbjudande under kvartalet.',
    });
    // The saved changes are gone with the filing; the filing holds them.
    expect(await database.db.selectFrom('individrapportDraft').selectAll().execute()).toEqual([]);
  });

  it('a slutrapportering, verkställt, may be filed at once, between windows', async () => {
    await given(
      [b1],
      [...waiting, { id: 'e9', decisionId: 'b1', type: 'verkstalld', date: '2026-11-02' }],
    );
    const caller = await rapportor('2026-11-10');
    const q4 = lineKey('b1', '2026-01-15', Q4);
    const report = await caller.reports.get(q4);
    expect(report.line).toMatchObject({
      kategori: 'slutrapportering',
      status: 'verkstalld',
      statusDate: '2026-11-02',
    });
    // No earlier filing of the episode is recorded: IVO does not have it, so it goes as new.
    expect(report.reportType).toMatchObject({
      scheduled: 'ater',
      send: 'ny',
      unrecordedEarlier: [
        { quarter: '2026-Q2', label: 'kvartal 2 2026' },
        { quarter: '2026-Q3', label: 'kvartal 3 2026' },
      ],
    });
    expect(report.reportType.notice).toContain('nyrapportering');
    expect(report.draft).toMatchObject({
      rapporttyp: 'ny',
      status: 'verkstalld',
      statusDatum: '2026-11-02',
    });
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ canFile: true, window: { open: false, closed: false } });
    const filing = await caller.reports.file({ ...q4, filedOn: '2026-11-10' });
    expect(filing).toMatchObject({ status: 'verkstalld', report: 'ny', filedOn: '2026-11-10' });
    // Not dated before the execution.
    await database.db.deleteFrom('rapportFiling').execute();
    expect(await refusal(caller.reports.file({ ...q4, filedOn: '2026-11-01' }))).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message:
        'filedOn: Beslutet verkställdes 2 november 2026; rapporteringen kan inte vara daterad före det',
    });
  });

  it('a slutrapportering, avslutat, with the reason for closing', async () => {
    await given(
      [b1],
      [
        ...waiting,
        {
          id: 'e9',
          decisionId: 'b1',
          type: 'avslutad',
          date: '2026-10-20',
          anledning: 'ansokan_aterkallad',
        },
      ],
    );
    const caller = await rapportor('2026-10-21');
    const report = await caller.reports.get(lineKey('b1', '2026-01-15', Q4));
    expect(report.line).toMatchObject({ kategori: 'slutrapportering', status: 'avslutad' });
    expect(report.draft).toMatchObject({
      status: 'avslutad',
      statusDatum: '2026-10-20',
      avslutAnledning: 'ansokan_aterkallad',
    });
    expect(report.findings).toEqual([]);
    expect(report.text).toContain('Anledning till avslut: Den enskilde har återkallat sin ansökan');
    expect(report.canFile).toBe(true);
  });

  it('a nyrapportering after an interruption, for a person with skyddade personuppgifter', async () => {
    await given(
      [{ id: 'b2', personId: 'p2', insats: 'LSS_9_4', beslutsdatum: '2025-01-10' }],
      [
        { id: 'f1', decisionId: 'b2', type: 'verkstalld', date: '2025-02-01' },
        {
          id: 'f2',
          decisionId: 'b2',
          type: 'avbrott',
          date: '2026-02-01',
          text: 'Kontaktpersonen slutade',
        },
        {
          id: 'f3',
          decisionId: 'b2',
          type: 'skal',
          date: '2026-03-01',
          skal: 'hos_kommunen',
          orsak: 'uppdragstagare',
        },
      ],
    );
    const caller = await rapportor('2026-07-10');
    const report = await caller.reports.get(lineKey('b2', '2026-02-01', Q2));
    expect(report.line).toMatchObject({
      kategori: 'nyrapportering',
      episode: { kind: 'avbrott', start: '2026-02-01' },
    });
    expect(report.draft).toMatchObject({
      fornamn: 'Skyddad',
      efternamn: 'Identitet',
      personnummer: '19750505-T010',
      skyddadePersonuppgifter: true,
      saknarPersonnummer: true,
      drojsmalAvser: 'avbrott',
      drojsmalDatum: '2026-02-01',
      skal: 'hos_kommunen',
      orsak: 'uppdragstagare',
    });
    expect(report.draft.ovrigt).toBe(
      [
        'Personen har skyddade personuppgifter. Namn och nummer i rapporten är fiktiva och används vid varje rapportering.',
        '2026-02-01: Verkställigheten avbröts. Kontaktpersonen slutade.',
      ].join('\n'),
    );
    expect(report.findings).toEqual([]);
    expect(JSON.stringify(report.draft)).not.toContain('Bertil');
  });

  it('refuses filing twice for the same quarter', async () => {
    await given([b1], waiting);
    const caller = await rapportor('2026-07-10');
    const q2 = { ...lineKey('b1', '2026-01-15', Q2), filedOn: '2026-07-10' };
    await caller.reports.file(q2);
    const huvud = await callerFor(database, 'huvudrapportor', on('2026-07-11'));
    expect(await refusal(huvud.reports.file({ ...q2, filedOn: '2026-07-11' }))).toEqual({
      code: 'CONFLICT',
      httpStatus: 409,
      message:
        'Raden rapporterades till IVO 10 juli 2026 av rapportorLss; den kan inte rapporteras igen för samma kvartal.',
    });
    expect(
      await refusal(
        huvud.reports.saveDraft({ ...lineKey('b1', '2026-01-15', Q2), draft: { ovrigt: 'x' } }),
      ),
    ).toMatchObject({ httpStatus: 409 });
    expect(await database.db.selectFrom('rapportFiling').select('id').execute()).toHaveLength(1);
    const report = await huvud.reports.get(lineKey('b1', '2026-01-15', Q2));
    expect(report).toMatchObject({
      canFile: false,
      reason: 'Raden rapporterades till IVO 10 juli 2026 av rapportorLss.',
      filing: { filedOn: '2026-07-10', filedBy: { id: 'rapportorLss' } },
      line: { filed: true, filedOn: '2026-07-10' },
    });
  });

  it('files a line still waiting only inside its quarter’s window', async () => {
    await given([b1], waiting);
    const q2 = lineKey('b1', '2026-01-15', Q2);
    const june = await rapportor('2026-06-20');
    expect(await june.reports.get(q2)).toMatchObject({
      canFile: false,
      reason:
        'En nyrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026',
      window: { open: false, closed: false },
    });
    expect(await refusal(june.reports.file({ ...q2, filedOn: '2026-06-20' }))).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message:
        'filedOn: En nyrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026',
    });
    const september = await rapportor('2026-09-01');
    expect(await september.reports.get(q2)).toMatchObject({
      canFile: false,
      window: { closed: true },
    });
    expect(await refusal(september.reports.file({ ...q2, filedOn: '2026-09-01' }))).toMatchObject({
      httpStatus: 400,
    });
    // Filed in the window, recorded afterwards with the day it was sent: accepted.
    const late = await september.reports.file({ ...q2, filedOn: '2026-08-31' });
    expect(late.filedOn).toBe('2026-08-31');
    // Never a day in the future.
    expect(
      await refusal(
        (await rapportor('2026-10-05')).reports.file({
          ...lineKey('b1', '2026-01-15', Q3),
          filedOn: '2026-10-06',
        }),
      ),
    ).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: 'filedOn: Rapporteringsdatumet 6 oktober 2026 ligger i framtiden',
    });
  });

  it('refuses filing while validation finds anything, naming the fields', async () => {
    // No reason logged: skäl and orsak are the rapportör's to choose.
    await given([b1], [waiting[0]!]);
    const caller = await rapportor('2026-07-10');
    const q2 = lineKey('b1', '2026-01-15', Q2);
    const report = await caller.reports.get(q2);
    expect(report.findings.map((f) => f.field)).toEqual(['skal', 'orsak']);
    expect(report).toMatchObject({
      canFile: false,
      reason: 'Rapporten har 2 uppgifter som måste rättas innan den kan lämnas in.',
    });
    expect(await refusal(caller.reports.file({ ...q2, filedOn: '2026-07-10' }))).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: 'draft.skal: Välj ett huvudsakligt skäl; draft.orsak: Välj en orsak',
    });
    expect(await database.db.selectFrom('rapportFiling').select('id').execute()).toEqual([]);
    const saved = await caller.reports.saveDraft({
      ...q2,
      draft: { skal: 'hos_kommunen', orsak: 'brist_plats' },
    });
    expect(saved.findings).toEqual([]);
    const filing = await caller.reports.file({ ...q2, filedOn: '2026-07-10' });
    expect(filing.snapshot.draft).toMatchObject({ skal: 'hos_kommunen', orsak: 'brist_plats' });
    // A bad value is refused by the input's schema, naming the field.
    expect(
      await refusal(caller.reports.saveDraft({ ...q2, draft: { ovrigt: 'x'.repeat(4001) } })),
    ).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: 'draft.ovrigt: Texten får vara högst 4 000 tecken',
    });
  });

  it('saveDraft refuses a text over its maximum and a date field that is no day, in Swedish', async () => {
    await given([b1], waiting);
    const caller = await rapportor('2026-07-10');
    const q2 = lineKey('b1', '2026-01-15', Q2);
    const cases: [Record<string, unknown>, string][] = [
      [{ orsakText: 'x'.repeat(4001) }, 'draft.orsakText: Texten får vara högst 4 000 tecken'],
      [
        { delvisText: 'x'.repeat(1_000_000) },
        'draft.delvisText: Texten får vara högst 4 000 tecken',
      ],
      [{ rapportor: 'R'.repeat(201) }, 'draft.rapportor: Namnet får vara högst 200 tecken'],
      [{ orsak: 'o'.repeat(101) }, 'draft.orsak: Koden får vara högst 100 tecken'],
      [
        { erbjudandedatum: '=1+1' },
        'draft.erbjudandedatum: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD',
      ],
      [
        { delvisDatum: '2026-02-30' },
        'draft.delvisDatum: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD',
      ],
      [{ statusDatum: '@2026' }, 'draft.statusDatum: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD'],
    ];
    for (const [draft, message] of cases) {
      expect(await refusal(caller.reports.saveDraft({ ...q2, draft }))).toEqual({
        code: 'BAD_REQUEST',
        httpStatus: 400,
        message,
      });
    }
    // Nothing was stored; a real date and a text at its maximum are.
    expect((await caller.reports.get(q2)).edits).toBeNull();
    const saved = await caller.reports.saveDraft({
      ...q2,
      draft: { erbjudandedatum: '2026-02-10', ovrigt: 'ö'.repeat(4000) },
    });
    expect(saved.edits).toEqual({ ovrigt: 'ö'.repeat(4000) });
  });

  it('an old draft that breaks the limits is shown as it is and cannot be filed until corrected', async () => {
    await given([b1], waiting);
    const caller = await rapportor('2026-07-10');
    const q2 = lineKey('b1', '2026-01-15', Q2);
    // Saved before the limits: straight into the table, as the old server stored it.
    await saveIndividrapportDraft(
      database.db,
      { decisionId: 'b1', episodeStart: '2026-01-15', quarter: '2026-Q2' },
      { ovrigt: 'x'.repeat(50_000), erbjudandedatum: '=1+1' },
      'rapportorLss',
    );
    const report = await caller.reports.get(q2);
    expect(report.draft.ovrigt).toHaveLength(50_000);
    expect(report.draft.erbjudandedatum).toBe('=1+1');
    expect(report.findings).toEqual([
      { field: 'ovrigt', message: 'Texten får vara högst 4 000 tecken; nu 50 000' },
      { field: 'erbjudandedatum', message: 'Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD' },
    ]);
    expect(report).toMatchObject({
      canFile: false,
      reason: 'Rapporten har 2 uppgifter som måste rättas innan den kan lämnas in.',
    });
    expect(await refusal(caller.reports.file({ ...q2, filedOn: '2026-07-10' }))).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message:
        'draft.ovrigt: Texten får vara högst 4 000 tecken; nu 50 000; ' +
        'draft.erbjudandedatum: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD',
    });
    // Saving another field keeps what was stored; correcting both makes it fileable.
    const other = await caller.reports.saveDraft({ ...q2, draft: { covid19: true } });
    expect(other.findings.map((f) => f.field)).toEqual(['ovrigt', 'erbjudandedatum']);
    const fixed = await caller.reports.saveDraft({
      ...q2,
      draft: { ovrigt: 'Kortare text', erbjudandedatum: '2026-02-10' },
    });
    expect(fixed.findings).toEqual([]);
    const filing = await caller.reports.file({ ...q2, filedOn: '2026-07-10' });
    expect(filing.snapshot.draft).toMatchObject({ ovrigt: 'Kortare text', covid19: true });
  });

  it('keeps everything typed: changes merge, and one set back to the prefill follows the case', async () => {
    await given([b1], waiting);
    const caller = await rapportor('2026-07-10');
    const q2 = lineKey('b1', '2026-01-15', Q2);
    await caller.reports.saveDraft({ ...q2, draft: { ovrigt: 'Egen text' } });
    await caller.reports.saveDraft({ ...q2, draft: { covid19: true } });
    expect((await caller.reports.get(q2)).edits?.fields).toEqual({
      ovrigt: 'Egen text',
      covid19: true,
    });
    await caller.reports.saveDraft({ ...q2, draft: { covid19: false } });
    // A new refusal after the save: the untouched skäl follows it, the typed text stays.
    await insertEvents(database.db, [
      {
        id: 'e20',
        decisionId: 'b1',
        type: 'skal',
        date: '2026-06-15',
        skal: 'hos_kommunen',
        orsak: 'brist_plats',
      },
    ]);
    const report = await caller.reports.get(q2);
    expect(report.edits?.fields).toEqual({ ovrigt: 'Egen text' });
    expect(report.draft).toMatchObject({
      skal: 'hos_kommunen',
      orsak: 'brist_plats',
      ovrigt: 'Egen text',
      covid19: false,
    });
  });

  it('filing handles the line’s messages: the inbox and the quarter view no longer show them', async () => {
    await given([b1], waiting);
    const caller = await rapportor('2026-07-10');
    const before = await caller.messages.inbox({ namndId: ORG.vard });
    expect(before.items.map((m) => m.title)).toEqual(['IVO – Nyrapportering 2026-04-16, 9§10']);
    const filing = await caller.reports.file({
      ...lineKey('b1', '2026-01-15', Q2),
      filedOn: '2026-07-10',
    });
    expect(filing.messagesHandled).toEqual(['b1:2026-01-15:ny:2026-04-16']);
    expect((await caller.messages.inbox({ namndId: ORG.vard })).unhandled).toBe(0);
    const report = await caller.reports.get(lineKey('b1', '2026-01-15', Q2));
    expect(report.messages.map((m) => m.handled?.byUserId)).toEqual(['rapportorLss']);
    const lines = await caller.quarter.lines({ namndId: ORG.vard, quarter: Q2 });
    expect(lines.lines[0]).toMatchObject({ filed: true, unhandledMessages: 0 });
    // The next quarter's message is not this line's: it arrives unhandled when due.
    const october = await rapportor('2026-10-05');
    expect((await october.messages.inbox({ namndId: ORG.vard })).items.map((m) => m.title)).toEqual(
      ['IVO – Återrapportering 2026-07-16, 9§10'],
    );
    const log = await database.db
      .selectFrom('auditLog')
      .select(['action', 'details'])
      .where('action', '=', 'individrapport_inlamnad')
      .execute();
    expect(log).toEqual([
      {
        action: 'individrapport_inlamnad',
        details: {
          kvartal: '2026-Q2',
          episodStart: '2026-01-15',
          rapport: 'ny',
          status: 'ej_verkstalld',
          inlamnad: '2026-07-10',
          meddelandenHanterade: ['b1:2026-01-15:ny:2026-04-16'],
        },
      },
    ]);
  });

  it('the quarter view warns in the last week of the window while lines are unfiled', async () => {
    await given([b1], waiting);
    const early = await (await rapportor('2026-08-20')).quarter.lines({
      namndId: ORG.vard,
      quarter: Q2,
    });
    expect(early.windowWarning).toBeNull();
    const late = await (await rapportor('2026-08-26')).quarter.lines({
      namndId: ORG.vard,
      quarter: Q2,
    });
    expect(late.windowWarning).toEqual({
      closes: '2026-08-31',
      daysLeft: 5,
      unfiled: 1,
      message:
        'Rapporteringsperioden för kvartal 2 2026 stänger om 5 dagar (31 augusti 2026) och 1 rad är inte rapporterade.',
    });
    const caller = await rapportor('2026-08-26');
    await caller.reports.file({ ...lineKey('b1', '2026-01-15', Q2), filedOn: '2026-08-26' });
    expect(
      (await caller.quarter.lines({ namndId: ORG.vard, quarter: Q2 })).windowWarning,
    ).toBeNull();
  });

  it('the history shows the frozen copy, whatever happened after', async () => {
    await given([b1], waiting);
    const caller = await rapportor('2026-07-10');
    const q2 = lineKey('b1', '2026-01-15', Q2);
    await caller.reports.file({ ...q2, filedOn: '2026-07-10' });
    // Later: a reason dated in Q2 is logged, and the person's name changes.
    await insertEvents(database.db, [
      {
        id: 'e20',
        decisionId: 'b1',
        type: 'skal',
        date: '2026-06-15',
        skal: 'hos_kommunen',
        orsak: 'brist_plats',
      },
    ]);
    await database.db
      .updateTable('person')
      .set({ fornamn: 'Astri' })
      .where('id', '=', 'p1')
      .execute();
    const now = await caller.reports.get(q2);
    expect(now.prefill).toMatchObject({ skal: 'hos_kommunen', fornamn: 'Astri' });

    const history = await caller.reports.history({ decisionId: 'b1' });
    expect(history.filings).toHaveLength(1);
    expect(history.filings[0]).toMatchObject({
      quarter: '2026-Q2',
      quarterLabel: 'kvartal 2 2026',
      episodeStart: '2026-01-15',
      report: 'ny',
      status: 'ej_verkstalld',
      filedOn: '2026-07-10',
      filedBy: { id: 'rapportorLss', namn: 'rapportorLss' },
      snapshot: {
        draft: { skal: 'tackat_nej', fornamn: 'Astrid', personnummer: '19121212-1212' },
      },
    });
    expect(history.filings[0]!.snapshot.text).toContain('Förnamn: Astrid');
    expect(history.filings[0]!.snapshot.text).toContain(
      'Huvudsakligt skäl: Den enskilde har tackat nej',
    );
    // The handläggare sees it too; the utförare the decision is ordered to, with the number masked.
    const handlaggare = await callerFor(database, 'handlaggare1', on('2026-07-11'));
    expect(
      (await handlaggare.reports.history({ decisionId: 'b1' })).filings[0]!.snapshot.draft,
    ).toMatchObject({ personnummer: '19121212-1212' });
    const utforare = await callerFor(database, 'utforareA', on('2026-07-11'));
    const masked = (await utforare.reports.history({ decisionId: 'b1' })).filings[0]!.snapshot;
    expect(masked.draft?.personnummer).toBe('19121212-****');
    expect(masked.text).toContain('Personnummer: 19121212-****');
    expect(masked.text).not.toContain('1212-1212');
    // Anyone else: as if the decision did not exist.
    for (const userId of ['utforareB', 'admin', 'rapportorSocial']) {
      const other = await callerFor(database, userId, on('2026-07-11'));
      expect(await refusal(other.reports.history({ decisionId: 'b1' }))).toMatchObject({
        code: 'NOT_FOUND',
        httpStatus: 404,
      });
    }
    expect(
      await database.db
        .selectFrom('auditLog')
        .select(['userId', 'action', 'subjectId'])
        .where('action', '=', 'individrapporter_lasta')
        .execute(),
    ).toHaveLength(3);
  });

  it('only the nämnd’s rapportörer in the verksamhetsområde: 403 for another nämnd or role, 404 outside', async () => {
    await given(
      [
        b1,
        {
          id: 'b3',
          personId: 'p1',
          insats: 'SOL_HEMTJANST',
          beslutsdatum: '2026-01-15',
          verksamhetsomrade: 'SOL_ALDRE',
        },
      ],
      waiting,
    );
    const key = lineKey('b1', '2026-01-15', Q2);
    const social = await callerFor(database, 'rapportorSocial', on('2026-07-10'));
    expect(await refusal(social.reports.get(key))).toEqual({
      code: 'FORBIDDEN',
      httpStatus: 403,
      message: 'Du rapporterar inte för den nämnden.',
    });
    // Their own nämnd named, another nämnd's decision: not found.
    expect(await refusal(social.reports.get({ ...key, namndId: ORG.social }))).toMatchObject({
      httpStatus: 404,
    });
    for (const userId of ['utforareA', 'matchare', 'handlaggare1', 'admin']) {
      const caller = await callerFor(database, userId, on('2026-07-10'));
      expect(await refusal(caller.reports.get(key))).toMatchObject({ httpStatus: 403 });
      expect(await refusal(caller.reports.file({ ...key, filedOn: '2026-07-10' }))).toMatchObject({
        httpStatus: 403,
      });
      expect(
        await refusal(caller.reports.saveDraft({ ...key, draft: { covid19: true } })),
      ).toMatchObject({ httpStatus: 403 });
    }
    // The LSS rapportör and a SoL Äldre decision of the same nämnd; an unknown decision; a day
    // that starts no episode; a quarter without a line.
    const lss = await rapportor('2026-07-10');
    for (const other of [
      lineKey('b3', '2026-01-15', Q2),
      lineKey('nope', '2026-01-15', Q2),
      lineKey('b1', '2026-01-16', Q2),
      lineKey('b1', '2026-01-15', { year: 2026, quarter: 1 }),
    ]) {
      expect(await refusal(lss.reports.get(other))).toMatchObject({ httpStatus: 404 });
    }
    // The huvudrapportör of the whole nämnd reaches both.
    const huvud = await callerFor(database, 'huvudrapportor', on('2026-07-10'));
    expect((await huvud.reports.get(lineKey('b3', '2026-01-15', Q2))).draft).toMatchObject({
      verksamhetsomrade: 'SOL_ALDRE',
      insats: 'SOL_HEMTJANST',
    });
    expect(await database.db.selectFrom('rapportFiling').select('id').execute()).toEqual([]);
  });
});

describe('reports on the demo kommun', () => {
  const today = '2026-11-22';
  const database = useTestDatabase({ reset: 'once', fixture: false });
  beforeAll(async () => {
    await seedDemoIfEmpty(database.db, today);
  });

  it('prefills every line of the current and the previous quarter, valid wherever a reason was logged', async () => {
    const grants = await database.db
      .selectFrom('userRole')
      .innerJoin('appUser', 'appUser.id', 'userRole.userId')
      .select(['userRole.userId', 'userRole.namndId', 'appUser.displayName'])
      .where('appUser.username', '=', 'huvudrapportor')
      .execute();
    expect(grants.length).toBeGreaterThan(0);
    const kinds = new Set<string>();
    let checked = 0;
    let valid = 0;
    for (const grant of grants) {
      const caller = await callerFor(database, grant.userId, on(today));
      for (const quarter of [addQuarters(quarterOf(today), -1), quarterOf(today)]) {
        const { lines } = await caller.quarter.lines({ namndId: grant.namndId!, quarter });
        for (const line of lines) {
          const key = {
            namndId: grant.namndId!,
            quarter,
            decisionId: line.decisionId,
            episodeStart: line.episode.start,
          };
          const report = await caller.reports.get(key);
          expect(report.line).toEqual(line);
          expect(report.reportType.scheduled).toBe(line.report);
          expect(report.draft).toMatchObject({
            rapportor: grant.displayName,
            // The type sent: the schedule's, or ny while no earlier filing is recorded.
            rapporttyp: report.reportType.send,
            verksamhetsomrade: line.verksamhetsomrade,
            insats: line.insats,
            drojsmalAvser: line.episode.kind,
            drojsmalDatum: line.episode.start,
            status: line.status,
          });
          if (line.statusDate) expect(report.draft.statusDatum).toBe(line.statusDate);
          // What validation can find is only what no event told: the reason, or the date of an
          // offer declined (a skäl "tackat nej" logged with no offer before it).
          for (const finding of report.findings) {
            expect(['skal', 'orsak', 'erbjudandedatum']).toContain(finding.field);
          }
          if (
            report.draft.skal &&
            (report.draft.skal !== 'tackat_nej' || report.draft.erbjudandedatum)
          ) {
            expect(report.findings).toEqual([]);
          }
          expect(report.findings).toEqual(
            validateIndividrapport(report.draft, {
              episode:
                line.statusDate === null
                  ? { kind: line.episode.kind, start: line.episode.start }
                  : {
                      kind: line.episode.kind,
                      start: line.episode.start,
                      end: {
                        type: line.status as 'verkstalld' | 'avslutad',
                        date: line.statusDate,
                      },
                    },
              referenceDate: report.referenceDate,
            }),
          );
          kinds.add(
            `${line.kategori}|${line.episode.kind}|${line.report === 'ny' ? line.status : ''}`,
          );
          checked += 1;
          if (report.findings.length === 0) valid += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The demo logs a reason early in most waits: most reports need no typing at all.
    expect(valid).toBeGreaterThan(checked / 2);
    // Every kind of line the issue names was among them.
    expect([...kinds]).toEqual(
      expect.arrayContaining([
        'nyrapportering|beslut|ej_verkstalld',
        'nyrapportering|beslut|verkstalld',
        'aterrapportering|beslut|',
        'slutrapportering|beslut|',
        'nyrapportering|avbrott|ej_verkstalld',
      ]),
    );
  });
});
