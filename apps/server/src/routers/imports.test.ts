import {
  caseStatus,
  FILING_IMPORT_COLUMNS,
  type FilingImportField,
  filingImportCsv,
  filingImportExampleCsv,
  IMPORT_COLUMNS,
  type ImportField,
  importExampleCsv,
  quarterKey,
  todayInStockholm,
} from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../seed/startup';
import { demoEarlierFilings } from '../testing/earlier-filings';
import { ORG } from '../testing/fixture';
import { callerFor, fixedClock, resetDatabase, useTestDatabase } from '../testing/harness';
import { pnr } from '../testing/personnummer';

/*
 * imports.dryRun / imports.run: decisions and persons from the case system's CSV export. Every
 * refusal kind is listed by the dry run with its line and column; a refused file imports nothing;
 * a good one imports every decision once (a second import adds nothing), for the handläggare each
 * row names, with persons matched by personnummer. The clock stands at 2026-11-22.
 */

const database = useTestDatabase();

const TODAY = '2026-11-22';

const anna = pnr('19800101', '002'); // kvinna
const bo = pnr('19750505', '013'); // man
const samordning = pnr('19900171', '013'); // born 1990-01-11, man

type Row = Partial<Record<ImportField, string>>;

/** A CSV file of the rows, with the documented headers (all, or `columns`), `;`-separated. */
function csvOf(
  rows: readonly Row[],
  columns: readonly ImportField[] = IMPORT_COLUMNS.map((c) => c.field),
) {
  const header = columns.map((f) => IMPORT_COLUMNS.find((c) => c.field === f)!.header);
  const cell = (value: string) =>
    /[;"\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  return [header, ...rows.map((row) => columns.map((f) => row[f] ?? ''))]
    .map((cells) => cells.map(cell).join(';'))
    .join('\r\n');
}

const lss: Row = {
  personnummer: anna,
  fornamn: 'Anna',
  efternamn: 'Berg',
  lagrum: 'LSS',
  insats: 'Daglig verksamhet',
  beslutsdatum: '2026-06-10',
  handlaggare: 'handlaggare2',
};

/** A file of four good decisions: two for Anna (the second replaces the first), Bo's, and Eva's without a number. */
const goodRows: Row[] = [
  { ...lss, beslutsid: 'B-1', bestalldTill: 'Daglig verksamhet Eken' },
  {
    beslutsid: 'B-2',
    personnummer: `${bo.slice(0, 8)}-${bo.slice(8)}`,
    fornamn: 'Bo',
    efternamn: 'Ek',
    lagrum: 'SoL',
    insats: 'Boendestöd',
    verksamhetsomrade: 'SoL FUNK',
    inriktning: 'Psykisk funktionsnedsättning',
    beslutsdatum: '2026-07-01',
    handlaggare: 'handlaggare1',
  },
  {
    beslutsid: 'B-3',
    fornamn: 'Eva',
    efternamn: 'Holm',
    kon: 'kvinna',
    fodelsedatum: '1975-05-20',
    lagrum: 'LSS',
    insats: 'LSS_9_4',
    beslutsdatum: '2026-05-02',
    forhandsbesked: 'ja',
    handlaggare: 'handlaggare2',
    bestalldTill: 'kontaktpersonsenheten',
  },
  { ...lss, beslutsid: 'B-4', insats: 'LSS_9_10', beslutsdatum: '2026-09-01', ersatter: 'B-1' },
];

const as = (user: Parameters<typeof callerFor>[1]) => callerFor(database, user);

async function dryRun(csv: string, user = 'handlaggare1', namndId: string = ORG.vard) {
  return (await as(user)).imports.dryRun({ namndId, csv });
}

async function run(csv: string, user = 'handlaggare1', namndId: string = ORG.vard) {
  return (await as(user)).imports.run({ namndId, csv });
}

async function counts() {
  const count = async (table: 'decision' | 'person') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { decisions: await count('decision'), persons: await count('person') };
}

describe('imports.dryRun', () => {
  it('lists what a good file would import, and keeps nothing', async () => {
    const preview = await dryRun(csvOf(goodRows));
    expect(preview.refused).toEqual([]);
    expect(preview.rows).toBe(4);
    expect(preview.newPersons).toBe(3);
    expect(preview.alreadyImported).toEqual([]);
    expect(preview.accepted).toEqual([
      {
        row: 2,
        beslutsid: 'B-1',
        insats: 'LSS_9_10',
        insatsLabel: 'Daglig verksamhet',
        verksamhetsomrade: 'LSS',
        beslutsdatum: '2026-06-10',
        handlaggare: { username: 'handlaggare2', namn: 'handlaggare2' },
        enhet: 'Daglig verksamhet Eken',
        person: 'ny',
        ersatter: null,
        timeline: [],
      },
      expect.objectContaining({ row: 3, beslutsid: 'B-2', insats: 'SOL_BOENDESTOD', enhet: null }),
      expect.objectContaining({ row: 4, beslutsid: 'B-3', enhet: 'Kontaktpersonsenheten' }),
      expect.objectContaining({ row: 5, beslutsid: 'B-4', person: 'ny', ersatter: 'B-1' }),
    ]);
    expect(await counts()).toEqual({ decisions: 0, persons: 0 });
    const audit = await database.db.selectFrom('auditLog').selectAll().orderBy('id').execute();
    expect(audit).toMatchObject([
      // Anna's and Bo's numbers were looked up (Anna's once), neither found; no number kept.
      {
        action: 'person_uppslag',
        userId: 'handlaggare1',
        subjectId: null,
        namndId: ORG.vard,
        details: { hittad: false, antal: 2, via: 'import' },
      },
      {
        action: 'import_provkord',
        userId: 'handlaggare1',
        namndId: ORG.vard,
        details: { rader: 4, godkanda: 4, vagrade: [] },
      },
    ]);
  });

  it('names the line, column and reason of every kind of refusal', async () => {
    const rows: Row[] = [
      {
        ...lss,
        beslutsid: 'R-1',
        personnummer: `${anna.slice(0, 11)}${(Number(anna[11]) + 1) % 10}`,
      },
      { ...lss, beslutsid: 'R-2', insats: 'Simskola' },
      { ...lss, beslutsid: 'R-3', lagrum: 'SoL' },
      { ...lss, beslutsid: 'R-4', bestalldTill: 'Enheten som inte finns' },
      { ...lss, beslutsid: 'R-5', handlaggare: 'okand.person' },
      { ...lss, beslutsid: 'R-6', beslutsdatum: '2026-02-30' },
      { ...lss, beslutsid: 'R-7', beslutsdatum: '2026-11-23' },
      { ...lss, beslutsid: 'R-1' },
      { ...lss, beslutsid: 'R-9', handlaggare: 'rapportorlss' },
      {
        ...lss,
        beslutsid: 'R-10',
        lagrum: 'SoL',
        insats: 'Stödboende',
        verksamhetsomrade: 'SoL IFO',
        inriktning: 'Hemlöshet',
      },
      { ...lss, beslutsid: 'R-11', ersatter: 'FINNS-INTE' },
      { ...lss, beslutsid: 'R-12', namnd: 'vård- och omsorgsnämnden' },
      { ...lss, beslutsid: 'R-13', namnd: 'Socialnämnden' },
      { ...lss, beslutsid: 'OK-14' },
    ];
    const preview = await dryRun(csvOf(rows));
    expect(preview.refused).toEqual([
      {
        row: 2,
        field: 'personnummer',
        message:
          'Ogiltigt personnummer: skriv ÅÅÅÅMMDD-NNNN med rätt födelsedatum och kontrollsiffra',
      },
      {
        row: 3,
        field: 'insats',
        message:
          'Okänd insats "Simskola": skriv koden (t.ex. LSS_9_10) eller IVO:s benämning (t.ex. Daglig verksamhet)',
      },
      {
        row: 4,
        field: 'insats',
        message: 'Insatsen Daglig verksamhet beviljas enligt LSS, inte SoL',
      },
      {
        row: 5,
        field: 'beställd till',
        message: 'Det finns ingen enhet eller team som heter Enheten som inte finns i nämnden',
      },
      {
        row: 6,
        field: 'handläggare',
        message: 'Det finns ingen användare med användarnamnet okand.person',
      },
      { row: 7, field: 'beslutsdatum', message: 'Ogiltigt datum "2026-02-30": skriv ÅÅÅÅ-MM-DD' },
      {
        row: 8,
        field: 'beslutsdatum',
        message: 'Beslutsdatum 2026-11-23 ligger i framtiden',
      },
      { row: 9, field: 'beslutsid', message: 'Beslutsid R-1 finns redan på rad 2' },
      {
        row: 10,
        field: 'handläggare',
        message: 'rapportorLss (rapportorlss) är inte handläggare i Vård- och omsorgsnämnden',
      },
      // Found by the registration itself: the nämnd does not report for SoL IFO.
      {
        row: 11,
        field: 'verksamhetsområde',
        message: 'Vård- och omsorgsnämnden rapporterar inte för SoL IFO',
      },
      {
        row: 12,
        field: 'ersätter',
        message:
          'Beslutet som ersätts (beslutsid FINNS-INTE) finns varken tidigare i filen eller bland nämndens importerade beslut',
      },
      {
        row: 14,
        field: 'nämnd',
        message: 'Raden gäller Socialnämnden; du importerar till Vård- och omsorgsnämnden',
      },
    ]);
    expect(preview.accepted.map((a) => a.beslutsid)).toEqual(['R-12', 'OK-14']);
  });

  it('refuses a file without a required column at its header line, and reads no rows', async () => {
    const columns = IMPORT_COLUMNS.map((c) => c.field).filter((f) => f !== 'handlaggare');
    const preview = await dryRun(csvOf([{ ...lss, beslutsid: 'B-1' }], columns));
    expect(preview.refused).toEqual([
      { row: 1, field: 'handläggare', message: 'Kolumnen "handläggare" saknas' },
    ]);
    expect(preview.accepted).toEqual([]);
  });

  it('reads a comma-separated file with a BOM, quoted values and a value over two lines', async () => {
    const csv = [
      '\uFEFFBeslut-ID,Personnummer,Förnamn,Efternamn,Lagrum,Insats,Beslutsdatum,Handläggare,Diarienummer',
      `C-1,${anna},"Anna, Maria","Berg",LSS,Daglig verksamhet,2026-06-10,handlaggare1,"SN 2026/1"`,
      `C-2,${bo},"Bo ""Bosse""",Ek,LSS,Ledsagarservice,2026-06-11,handlaggare1,"rad ett`,
      `rad två"`,
      `C-3,${samordning},Sami,Ek,LSS,Ledsagarservice,2026-13-01,handlaggare1,`,
    ].join('\r\n');
    const preview = await dryRun(csv);
    expect(preview.ignoredColumns).toEqual(['Diarienummer']);
    expect(preview.accepted.map((a) => [a.row, a.beslutsid])).toEqual([
      [2, 'C-1'],
      [3, 'C-2'],
    ]);
    // The row after the two-line value starts on line 5.
    expect(preview.refused).toEqual([
      { row: 5, field: 'Beslutsdatum', message: 'Ogiltigt datum "2026-13-01": skriv ÅÅÅÅ-MM-DD' },
    ]);
  });

  it('names the line of a quote that never closes, and a row with too many fields', async () => {
    const open = csvOf([
      { ...lss, beslutsid: 'B-1' },
      { ...lss, beslutsid: 'B-2' },
      { ...lss, beslutsid: 'B-3' },
    ]).replace('B-2;', 'B-2;"');
    expect((await dryRun(`${open}\r\n\r\n`)).refused).toEqual([
      { row: 3, field: '', message: 'Ett citattecken (") på raden stängs aldrig' },
    ]);
    const shifted = csvOf([{ ...lss, beslutsid: 'B-1' }]).replace('Anna;', 'Anna;extra;');
    expect((await dryRun(shifted)).refused).toEqual([
      {
        row: 2,
        field: '',
        message: `Raden har ${IMPORT_COLUMNS.length + 1} fält men rubrikraden ${IMPORT_COLUMNS.length}; kontrollera skiljetecken och citattecken`,
      },
    ]);
  });

  it('refuses a file of more than 5 000 decisions or 5 MB, with a Swedish message', async () => {
    const many = csvOf(Array.from({ length: 5001 }, (_, i) => ({ ...lss, beslutsid: `M-${i}` })));
    await expect(dryRun(many)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'Filen har 5001 beslut; högst 5 000 kan importeras åt gången. Dela upp den i flera filer.',
    });
    const large = `${csvOf([{ ...lss, beslutsid: 'B-1' }])}\r\n${'x'.repeat(5 * 1024 * 1024)}`;
    await expect(dryRun(large)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      cause: {
        issues: [
          expect.objectContaining({
            path: ['csv'],
            message: 'Filen är större än 5 MB. Dela upp den i flera filer.',
          }),
        ],
      },
    });
  });

  it('is for a handläggare of the nämnd only', async () => {
    const csv = csvOf(goodRows);
    await expect(dryRun(csv, 'rapportorLss')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(dryRun(csv, 'admin')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(dryRun(csv, 'handlaggare1', ORG.social)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Du är inte handläggare i den nämnden och kan inte importera beslut dit.',
    });
  });
});

describe('imports.run', () => {
  it('imports nothing from a file with a refused row, and says which', async () => {
    const csv = csvOf([...goodRows, { ...lss, beslutsid: 'B-5', insats: 'Simskola' }]);
    await expect(run(csv)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(
        /^Inget importerades: 1 rad kan inte importeras\.\nRad 6, insats: Okänd insats "Simskola"/,
      ),
    });
    expect(await counts()).toEqual({ decisions: 0, persons: 0 });
    const actions = (await database.db.selectFrom('auditLog').select('action').execute()).map(
      (a) => a.action,
    );
    expect(actions).toEqual(['person_uppslag', 'import_vagrad']);
  });

  it('imports every decision once, for the named handläggare; a second import adds nothing', async () => {
    // Anna is known to evb already: the import finds her by personnummer and keeps her IVO id.
    const registered = await (await as('handlaggare1')).decisions.register({
      namndId: ORG.vard,
      person: { typ: 'personnummer', fornamn: 'Anna', efternamn: 'Berg', personnummer: anna },
      lagrum: 'LSS',
      insats: 'LSS_9_3',
      verksamhetsomrade: 'LSS',
      beslutsdatum: '2026-03-01',
    });
    // Eva has two decisions and no number: the second row is the same person.
    const rows = [
      ...goodRows,
      { ...goodRows[2]!, beslutsid: 'B-5', insats: 'LSS_9_5', forhandsbesked: '' },
    ];
    const csv = csvOf(rows);

    const preview = await dryRun(csv);
    expect(preview.refused).toEqual([]);
    expect(preview.accepted.map((a) => a.person)).toEqual([
      'befintlig',
      'ny',
      'ny',
      'befintlig',
      'ny',
    ]);
    expect(preview.newPersons).toBe(2);

    const done = await run(csv);
    expect(done).toMatchObject({ imported: 5, alreadyImported: 0, newPersons: 2 });
    expect(await counts()).toEqual({ decisions: 6, persons: 3 });

    const decisions = await database.db
      .selectFrom('decision')
      .innerJoin('person', 'person.id', 'decision.personId')
      .select([
        'decision.id',
        'decision.caseSystemId',
        'decision.handlaggareId',
        'decision.enhetId',
        'decision.ersatterBeslutId',
        'decision.forhandsbesked',
        'decision.inriktning',
        'decision.personId',
        'person.ivoId',
      ])
      .where('decision.caseSystemId', 'is not', null)
      .orderBy('decision.caseSystemId')
      .execute();
    const byId = Object.fromEntries(decisions.map((d) => [d.caseSystemId, d]));
    expect(decisions.map((d) => d.id).sort()).toEqual([...done.decisionIds].sort());
    expect(byId['B-1']).toMatchObject({
      handlaggareId: 'handlaggare2',
      enhetId: ORG.enhetA,
      personId: registered.person.id,
      ivoId: registered.person.ivoId,
    });
    expect(byId['B-2']).toMatchObject({
      handlaggareId: 'handlaggare1',
      inriktning: 'FUNK_PSYKISK',
    });
    expect(byId['B-3']).toMatchObject({ enhetId: ORG.enhetB, forhandsbesked: true });
    expect(byId['B-4']).toMatchObject({
      ersatterBeslutId: byId['B-1']!.id,
      personId: registered.person.id,
    });
    expect(byId['B-5']!.personId).toBe(byId['B-3']!.personId);

    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'userId', 'subjectId', 'details'])
      .where('action', '=', 'beslut_importerat')
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(5);
    expect(audit[0]).toMatchObject({
      userId: 'handlaggare1',
      subjectId: byId['B-1']!.id,
      details: { handlaggareId: 'handlaggare2', beslutsid: 'B-1' },
    });

    const again = await dryRun(csv);
    expect(again).toMatchObject({ accepted: [], refused: [], newPersons: 0 });
    expect(again.alreadyImported.map((a) => a.beslutsid)).toEqual([
      'B-1',
      'B-2',
      'B-3',
      'B-4',
      'B-5',
    ]);
    expect(await run(csv)).toEqual({
      imported: 0,
      alreadyImported: 5,
      newPersons: 0,
      decisionIds: [],
      events: 0,
    });
    expect(await counts()).toEqual({ decisions: 6, persons: 3 });
  });

  it('links a later file to decisions imported before, and refuses one that changed', async () => {
    await run(csvOf(goodRows.slice(0, 1)));
    const later = await dryRun(
      csvOf([
        {
          ...lss,
          beslutsid: 'B-9',
          insats: 'LSS_9_10',
          beslutsdatum: '2026-10-01',
          ersatter: 'B-1',
        },
        { ...lss, beslutsid: 'B-10', personnummer: bo, fornamn: 'Bo', ersatter: 'B-1' },
      ]),
    );
    expect(later.refused).toEqual([
      { row: 3, field: 'ersätter', message: 'Beslutet som ersätts gäller en annan person' },
    ]);
    expect(later.accepted).toMatchObject([
      { beslutsid: 'B-9', person: 'befintlig', ersatter: 'B-1' },
    ]);
    const changed = await dryRun(csvOf([{ ...lss, beslutsid: 'B-1', beslutsdatum: '2026-06-11' }]));
    expect(changed.refused).toEqual([
      {
        row: 2,
        field: 'beslutsid',
        message:
          'Beslutsid B-1 är redan importerat med ett annat beslutsdatum (10 juni 2026). Ändra beslutet i evb eller ta bort raden.',
      },
    ]);
  });

  it('gives imported decisions the caseStatus of registered ones, for the handläggare who handles them', async () => {
    const done = await run(csvOf(goodRows));
    const list = await (await as('handlaggare2')).decisions.list({ sort: 'oldest' });
    expect(list.items.map((d) => d.id).sort()).toEqual(
      [done.decisionIds[0], done.decisionIds[2], done.decisionIds[3]].sort(),
    );
    for (const item of list.items) {
      expect(item.caseStatus).toEqual(
        caseStatus(
          {
            id: item.id,
            lagrum: item.lagrum,
            insats: item.insats,
            beslutsdatum: item.beslutsdatum,
            forhandsbesked: item.forhandsbesked,
            ersatterBeslutId: item.ersatterBeslutId,
          },
          [],
          TODAY,
          { handledMessages: [], filedQuarters: [] },
        ),
      );
    }
    // Waiting since 2026-06-10: over three months, as a registered decision would be.
    const first = list.items.find((d) => d.id === done.decisionIds[0])!;
    expect(first.caseStatus.overThreeMonths).toBe(true);
    // The importer, who handles none of them, does not see them.
    const own = await (await as('handlaggare1')).decisions.list({});
    expect(own.items.map((d) => d.id)).toEqual([done.decisionIds[1]]);
  });
});

describe("imports with the decision's state so far", () => {
  /*
   * Four running cases, as of 2026-11-22:
   * - S-1 executed, then interrupted on 2026-06-01: waiting again, overdue from 2026-09-02 (a new
   *   line of the interruption in kv 3);
   * - S-2 executed 2026-06-15, after its first overdue day 2026-05-11: kv 2's new line, executed;
   * - S-3 waiting since 2026-01-15 and closed 2026-08-20: kv 3's slutrapportering, avslutat;
   * - S-4 executed, interrupted 2026-03-01 and executed again 2026-07-15: the interruption's
   *   slutrapportering in kv 3.
   */
  const running: Row[] = [
    {
      ...lss,
      beslutsid: 'S-1',
      beslutsdatum: '2026-03-02',
      verkstalld: '2026-05-04',
      avbrott: '2026-06-01',
    },
    {
      ...lss,
      beslutsid: 'S-2',
      personnummer: bo,
      fornamn: 'Bo',
      insats: 'LSS_9_4',
      beslutsdatum: '2026-02-10',
      verkstalld: '2026-06-15',
    },
    {
      ...goodRows[2]!,
      beslutsid: 'S-3',
      forhandsbesked: '',
      bestalldTill: '',
      beslutsdatum: '2026-01-15',
      avslutad: '2026-08-20',
      avslutsanledning: 'Den enskilde har avlidit',
    },
    {
      ...lss,
      beslutsid: 'S-4',
      personnummer: samordning,
      fornamn: 'Sami',
      insats: 'LSS_9_3',
      beslutsdatum: '2026-01-05',
      verkstalld: '2026-02-01',
      avbrott: '2026-03-01',
      aterupptagen: '2026-07-15',
    },
  ];

  it("makes each state the decision's events, recorded by the importer, and the quarter lines its real timeline", async () => {
    const csv = csvOf(running);
    const preview = await dryRun(csv);
    expect(preview.refused).toEqual([]);
    expect(preview.accepted.map((a) => [a.beslutsid, a.timeline])).toEqual([
      [
        'S-1',
        [
          { kind: 'verkstalld', date: '2026-05-04' },
          { kind: 'avbrott', date: '2026-06-01' },
        ],
      ],
      ['S-2', [{ kind: 'verkstalld', date: '2026-06-15' }]],
      ['S-3', [{ kind: 'avslutad', date: '2026-08-20' }]],
      [
        'S-4',
        [
          { kind: 'verkstalld', date: '2026-02-01' },
          { kind: 'avbrott', date: '2026-03-01' },
          { kind: 'aterupptagen', date: '2026-07-15' },
        ],
      ],
    ]);
    // The dry run wrote the events and rolled them back.
    expect(await eventCount()).toBe(0);

    const done = await run(csv);
    expect(done).toMatchObject({ imported: 4, events: 7 });
    const idOf = Object.fromEntries(running.map((r, i) => [r.beslutsid!, done.decisionIds[i]!]));
    const events = await database.db
      .selectFrom('caseEvent')
      .select(['decisionId', 'type', 'date', 'recordedBy', 'data', 'recordedAt'])
      .orderBy('recordedAt')
      .execute();
    const of = (beslutsid: string) =>
      events
        .filter((e) => e.decisionId === idOf[beslutsid])
        .map((e) => [e.type, e.date, e.recordedBy]);
    expect(of('S-1')).toEqual([
      ['verkstalld', '2026-05-04', 'handlaggare1'],
      ['avbrott', '2026-06-01', 'handlaggare1'],
    ]);
    expect(of('S-4')).toEqual([
      ['verkstalld', '2026-02-01', 'handlaggare1'],
      ['avbrott', '2026-03-01', 'handlaggare1'],
      ['verkstalld', '2026-07-15', 'handlaggare1'],
    ]);
    expect(events.find((e) => e.decisionId === idOf['S-3'])?.data).toEqual({
      anledning: 'avliden',
    });
    const audited = await database.db
      .selectFrom('auditLog')
      .select(['action', 'subjectId', 'details'])
      .where('action', 'like', 'handelse_%')
      .execute();
    expect(audited).toHaveLength(7);
    expect(audited.filter((a) => a.subjectId === idOf['S-1'])).toMatchObject([
      { action: 'handelse_verkstalld', details: { datum: '2026-05-04', via: 'import' } },
      { action: 'handelse_avbrott', details: { datum: '2026-06-01', via: 'import' } },
    ]);
    const genomford = await database.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'import_genomford')
      .executeTakeFirstOrThrow();
    expect(genomford.details).toMatchObject({ godkanda: 4, handelser: 7 });

    // The rapportör's quarters show the real timeline, not four decisions still waiting.
    const rapportor = await as('huvudrapportor');
    const linesOf = async (quarter: 1 | 2 | 3 | 4) => {
      const { lines } = await rapportor.quarter.lines({
        namndId: ORG.vard,
        quarter: { year: 2026, quarter },
      });
      const beslutsid = (id: string) => running[done.decisionIds.indexOf(id)]!.beslutsid;
      return lines
        .map((l) => [
          beslutsid(l.decisionId),
          l.episode.kind,
          l.episode.start,
          l.report,
          l.status,
          l.statusDate,
        ])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    };
    expect(await linesOf(2)).toEqual([
      ['S-2', 'beslut', '2026-02-10', 'ny', 'verkstalld', '2026-06-15'],
      ['S-3', 'beslut', '2026-01-15', 'ny', 'ej_verkstalld', null],
      ['S-4', 'avbrott', '2026-03-01', 'ny', 'ej_verkstalld', null],
    ]);
    expect(await linesOf(3)).toEqual([
      ['S-1', 'avbrott', '2026-06-01', 'ny', 'ej_verkstalld', null],
      ['S-3', 'beslut', '2026-01-15', 'ater', 'avslutad', '2026-08-20'],
      ['S-4', 'avbrott', '2026-03-01', 'ater', 'verkstalld', '2026-07-15'],
    ]);
    expect(await linesOf(4)).toEqual([
      ['S-1', 'avbrott', '2026-06-01', 'ater', 'ej_verkstalld', null],
    ]);
  });

  it('names the line, column and reason of a state the rules refuse, and writes no event', async () => {
    const rows: Row[] = [
      { ...lss, beslutsid: 'T-1', avbrott: '2026-07-01' },
      { ...lss, beslutsid: 'T-2', verkstalld: '2026-07-01', avslutad: '2026-08-01' },
      { ...lss, beslutsid: 'T-3', verkstalld: '2026-11-23' },
      { ...lss, beslutsid: 'T-4', verkstalld: '2026-06-09' },
      {
        ...lss,
        beslutsid: 'T-5',
        verkstalld: '2026-07-01',
        avbrott: '2026-08-01',
        aterupptagen: '2026-07-15',
      },
      { ...lss, beslutsid: 'T-6', avslutad: '2026-08-01', avslutsanledning: 'Annan anledning' },
      { ...lss, beslutsid: 'T-7', personnummer: bo, fornamn: 'Bo', verkstalld: '2026-07-01' },
    ];
    const preview = await dryRun(csvOf(rows));
    expect(preview.refused).toEqual([
      {
        row: 2,
        field: 'avbrott',
        message: 'Ett avbrott förutsätter att insatsen verkställts: ange verkställd',
      },
      {
        row: 3,
        field: 'avslutsanledning',
        message: 'Ange avslutsanledning: beslutet är avslutat',
      },
      { row: 4, field: 'verkställd', message: 'Verkställd 2026-11-23 ligger i framtiden' },
      {
        row: 5,
        field: 'verkställd',
        message: 'Verkställd 2026-06-09 är före beslutsdatum 2026-06-10',
      },
      {
        row: 6,
        field: 'återupptagen',
        message: 'Återupptagen 2026-07-15 är före avbrottet 2026-08-01',
      },
      {
        row: 7,
        field: 'avslut beskrivning',
        message: 'Beskriv anledningen till att beslutet avslutas',
      },
    ]);
    expect(preview.accepted.map((a) => a.beslutsid)).toEqual(['T-7']);
    await expect(run(csvOf(rows))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await eventCount()).toBe(0);
    expect(await counts()).toEqual({ decisions: 0, persons: 0 });
  });

  it('leaves a decision imported before alone when the row says what evb holds or less, and refuses a row that says otherwise', async () => {
    await run(csvOf(running));
    expect(await eventCount()).toBe(7);
    // The same file, and one whose state is an earlier part of what evb holds.
    const again = await dryRun(
      csvOf([...running.slice(0, 3), { ...running[3]!, aterupptagen: '', avbrott: '' }]),
    );
    expect(again).toMatchObject({ refused: [], accepted: [] });
    expect(again.alreadyImported.map((a) => a.beslutsid)).toEqual(['S-1', 'S-2', 'S-3', 'S-4']);
    // The case system says something evb does not hold.
    const changed = await dryRun(
      csvOf([
        { ...running[0]!, aterupptagen: '2026-10-01' },
        { ...running[1]!, verkstalld: '2026-06-16' },
      ]),
    );
    expect(changed.refused).toEqual([
      {
        row: 2,
        field: 'verkställd',
        message:
          'Beslutsid S-1 är redan importerat, och i evb är beslutet verkställt 4 maj 2026, avbrutet 1 juni 2026. Registrera ändringen i evb eller ta bort raden.',
      },
      {
        row: 3,
        field: 'verkställd',
        message:
          'Beslutsid S-2 är redan importerat, och i evb är beslutet verkställt 15 juni 2026. Registrera ändringen i evb eller ta bort raden.',
      },
    ]);
    expect(await eventCount()).toBe(7);
  });
});

async function eventCount() {
  return Number(
    (
      await database.db
        .selectFrom('caseEvent')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

/*
 * imports.filingsDryRun / imports.filingsRun: the nämnd's earlier filings with IVO. The decision
 * import's example file gives the decisions (a nyrapportering in kv 3 2026 of the decision that
 * replaced another, and the slutrapportering of an interruption executed again in kv 3), the
 * filings import's example file their filings.
 */
describe('imports of earlier filings', () => {
  const filingsDryRun = async (csv: string, user = 'huvudrapportor', namndId: string = ORG.vard) =>
    (await as(user)).imports.filingsDryRun({ namndId, csv });
  const filingsRun = async (csv: string, user = 'huvudrapportor', namndId: string = ORG.vard) =>
    (await as(user)).imports.filingsRun({ namndId, csv });

  type FilingRow = Partial<Record<FilingImportField, string>>;
  const filingCount = async () =>
    Number(
      (
        await database.db
          .selectFrom('rapportFiling')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeEach(async () => {
    await run(importExampleCsv({ handlaggare: 'handlaggare1', enhet: 'Daglig verksamhet Eken' }));
  });

  it("records the example file's filings on the lines of the decisions they name, once", async () => {
    const csv = filingImportExampleCsv();
    const preview = await filingsDryRun(csv);
    expect(preview.refused).toEqual([]);
    expect(preview.rows).toBe(2);
    expect(preview.accepted).toEqual([
      {
        row: 2,
        quarter: '2026-Q3',
        quarterLabel: 'kvartal 3 2026',
        beslutsdatum: '2026-04-01',
        insats: 'LSS_9_10',
        insatsLabel: 'Daglig verksamhet',
        episode: { kind: 'beslut', start: '2026-04-01' },
        report: 'ny',
        status: 'ej_verkstalld',
        statusDate: null,
        filedOn: '2026-10-12',
      },
      {
        row: 3,
        quarter: '2026-Q3',
        quarterLabel: 'kvartal 3 2026',
        beslutsdatum: '2026-02-03',
        insats: 'SOL_BOENDESTOD',
        insatsLabel: 'Boendestöd',
        episode: { kind: 'avbrott', start: '2026-06-01' },
        // Overdue and executed again in kv 3: the slutrapportering is seed 003's new line.
        report: 'ny',
        status: 'verkstalld',
        statusDate: '2026-09-15',
        filedOn: '2026-09-20',
      },
    ]);
    expect(await filingCount()).toBe(0);

    const done = await filingsRun(csv);
    expect(done.recorded).toBe(2);
    const filings = await database.db
      .selectFrom('rapportFiling')
      .select([
        'id',
        'quarter',
        'episodeStart',
        'report',
        'status',
        'filedOn',
        'filedBy',
        'recorded',
        'fieldsAsSent',
      ])
      .orderBy('episodeStart')
      .execute();
    expect(filings.map((f) => f.id).sort()).toEqual([...done.filingIds].sort());
    expect(filings).toMatchObject([
      {
        quarter: '2026-Q3',
        episodeStart: '2026-04-01',
        report: 'ny',
        status: 'ej_verkstalld',
        filedOn: '2026-10-12',
        filedBy: 'huvudrapportor',
        recorded: 'import',
        fieldsAsSent: false,
      },
      {
        quarter: '2026-Q3',
        episodeStart: '2026-06-01',
        report: 'ny',
        status: 'verkstalld',
        filedOn: '2026-09-20',
        recorded: 'import',
      },
    ]);
    // The quarter view shows both lines as filed, by the import; Eva's line (no number, not in
    // the file) is not.
    const { lines } = await (await as('huvudrapportor')).quarter.lines({
      namndId: ORG.vard,
      quarter: { year: 2026, quarter: 3 },
    });
    expect(
      lines
        .map((l) => [l.episode.start, l.filed, l.filedOn, l.filedHow])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['2026-03-10', false, null, null],
      ['2026-04-01', true, '2026-10-12', 'import'],
      ['2026-06-01', true, '2026-09-20', 'import'],
    ]);

    // Audited with counts, and the look-ups by personnummer without the numbers.
    const audit = await database.db
      .selectFrom('auditLog')
      .select(['action', 'userId', 'subjectId', 'details'])
      .where('action', 'in', [
        'inlamningsimport_provkord',
        'inlamningsimport_genomford',
        'person_uppslag',
      ])
      .where('userId', '=', 'huvudrapportor')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'person_uppslag',
      'person_uppslag',
      'inlamningsimport_provkord',
      'person_uppslag',
      'person_uppslag',
      'inlamningsimport_genomford',
    ]);
    expect(audit[5]!.details).toEqual({ rader: 2, registrerade: 2, vagradeRader: 0 });
    expect(audit[0]!.details).toEqual({ hittad: true, via: 'inlamningsimport' });
    expect(JSON.stringify(audit)).not.toMatch(/191212121212|19121212-1212|198503742382/);

    // The same file again: every row is already recorded, and nothing changes.
    const again = await filingsDryRun(csv);
    expect(again.accepted).toEqual([]);
    expect(again.refused).toEqual([
      {
        row: 2,
        field: 'kvartal',
        message:
          'Raden är redan registrerad som rapporterad till IVO 12 oktober 2026 (kvartal 3 2026)',
      },
      {
        row: 3,
        field: 'kvartal',
        message:
          'Raden är redan registrerad som rapporterad till IVO 20 september 2026 (kvartal 3 2026)',
      },
    ]);
    await expect(filingsRun(csv)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(
        /^Inget registrerades: 2 rader kan inte importeras\.\nRad 2, kvartal: Raden är redan registrerad/,
      ),
    });
    expect(await filingCount()).toBe(2);
  });

  it("refuses a person outside the caller's scope exactly like a person evb has never seen", async () => {
    // rapportorLss reports LSS only: Sara's SoL FUNK decision is not theirs.
    const stranger = pnr('19700707', '123');
    const rows: FilingRow[] = [
      {
        person: '19850374-2382',
        beslutsdatum: '2026-02-03',
        insats: 'SOL_BOENDESTOD',
        avbrottsdatum: '2026-06-01',
        kvartal: '2026 kv 3',
        rapporttyp: 'slut',
        inlamnad: '2026-09-20',
      },
      {
        person: stranger,
        beslutsdatum: '2026-02-03',
        insats: 'SOL_BOENDESTOD',
        avbrottsdatum: '2026-06-01',
        kvartal: '2026 kv 3',
        rapporttyp: 'slut',
        inlamnad: '2026-09-20',
      },
    ];
    const preview = await filingsDryRun(filingImportCsv(rows), 'rapportorLss');
    expect(preview.refused).toHaveLength(2);
    expect(preview.refused[0]).toEqual({
      row: 2,
      field: 'personnummer',
      message:
        'Det finns inget beslut med beslutsdatum 2026-02-03 och insatsen Boendestöd för personen bland nämndens beslut som du rapporterar',
    });
    expect({ ...preview.refused[1], row: 2 }).toEqual(preview.refused[0]);
    // Both look-ups are audited as not found, and no person is named.
    const lookups = await database.db
      .selectFrom('auditLog')
      .select(['subjectId', 'details'])
      .where('action', '=', 'person_uppslag')
      .where('userId', '=', 'rapportorLss')
      .execute();
    expect(lookups).toEqual([
      { subjectId: null, details: { hittad: false, antal: 2, via: 'inlamningsimport' } },
    ]);
  });

  it('names the line, column and reason of each refusal, and records nothing of a refused file', async () => {
    // Two decisions Anna can not be told apart by; Bo waits from 2026-01-15 (new in kv 2, then
    // återrapportering); Eva's LSS 9 § 4 was executed and interrupted.
    await run(
      csvOf([
        { ...lss, beslutsid: 'A-1', insats: 'LSS_9_3', beslutsdatum: '2026-02-02' },
        { ...lss, beslutsid: 'A-2', insats: 'LSS_9_3', beslutsdatum: '2026-02-02' },
        {
          ...lss,
          beslutsid: 'BO-1',
          personnummer: bo,
          fornamn: 'Bo',
          insats: 'LSS_9_4',
          beslutsdatum: '2026-01-15',
        },
        {
          ...lss,
          beslutsid: 'BO-3',
          personnummer: bo,
          fornamn: 'Bo',
          insats: 'LSS_9_6_KORTTIDSHEM',
          beslutsdatum: '2026-01-15',
        },
        {
          ...lss,
          beslutsid: 'BO-2',
          personnummer: bo,
          fornamn: 'Bo',
          insats: 'LSS_9_5',
          beslutsdatum: '2026-01-15',
          verkstalld: '2026-02-01',
          avbrott: '2026-05-04',
        },
      ]),
    );
    const bo1 = { person: bo, beslutsdatum: '2026-01-15', insats: 'LSS_9_4' };
    const bo2 = { person: bo, beslutsdatum: '2026-01-15', insats: 'LSS_9_5' };
    const bo3 = {
      person: bo,
      beslutsdatum: '2026-01-15',
      insats: 'Korttidsvistelse – korttidshem',
    };
    const rows: FilingRow[] = [
      // 2: Bo's kv 3 återrapportering as ny, listed before his kv 2 nyrapportering (row 3): the
      // file is recorded by quarter, so kv 2 is in place and kv 3 cannot have been new to IVO.
      { ...bo1, kvartal: '2026 kv 3', rapporttyp: 'ny', inlamnad: '2026-10-05' },
      { ...bo1, kvartal: '2026-Q2', rapporttyp: 'ny', inlamnad: '2026-07-06' },
      // 4: the same line and quarter twice.
      { ...bo1, kvartal: '2026:2', rapporttyp: 'ny', inlamnad: '2026-07-07' },
      // 5: Anna's two decisions.
      {
        person: anna,
        beslutsdatum: '2026-02-02',
        insats: 'LSS_9_3',
        kvartal: '2026 kv 2',
        rapporttyp: 'ny',
        inlamnad: '2026-07-06',
      },
      // 6: no line yet in kv 1.
      { ...bo1, kvartal: '2026 kv 1', rapporttyp: 'ny', inlamnad: '2026-04-06' },
      // 7: slut while still waiting.
      { ...bo3, kvartal: '2026 kv 3', rapporttyp: 'slut', inlamnad: '2026-10-05' },
      // 8: åter in the quarter the line was new.
      {
        ...bo2,
        avbrottsdatum: '2026-05-04',
        kvartal: '2026 kv 3',
        rapporttyp: 'återrapportering',
        inlamnad: '2026-10-05',
      },
      // 9: an interruption Bo's decision never had.
      {
        ...bo2,
        avbrottsdatum: '2026-05-05',
        kvartal: '2026 kv 3',
        rapporttyp: 'ny',
        inlamnad: '2026-10-05',
      },
      // 10: filed after the window closed.
      { ...bo3, kvartal: '2026 kv 2', rapporttyp: 'ny', inlamnad: '2026-09-01' },
      // 11: BO-2's own wait ended at execution, within three months: kv 3 has only the line of
      // its interruption.
      { ...bo2, kvartal: '2026 kv 3', rapporttyp: 'ny', inlamnad: '2026-10-05' },
      // 12: a quarter written some other way.
      { ...bo1, kvartal: 'hösten 2026', rapporttyp: 'ny', inlamnad: '2026-10-05' },
    ];
    const preview = await filingsDryRun(filingImportCsv(rows));
    expect(preview.refused).toEqual([
      {
        row: 2,
        field: 'rapporttyp',
        message:
          'Dröjsmålet är registrerat som rapporterat för ett tidigare kvartal: IVO hade ärendet, så rapporten var en återrapportering',
      },
      {
        row: 4,
        field: 'kvartal',
        message: 'Samma inlämning (beslut, kvartal) finns redan på rad 3',
      },
      {
        row: 5,
        field: 'personnummer',
        message:
          'Personen har 2 beslut med beslutsdatum 2026-02-02 och insatsen Ledsagarservice; evb kan inte avgöra vilket av dem inlämningen gällde',
      },
      { row: 6, field: 'kvartal', message: 'Beslutet har ingen rapportrad för 2026 kv 1' },
      {
        row: 7,
        field: 'rapporttyp',
        message:
          'Beslutet var varken verkställt eller avslutat när 2026 kv 3 slutade; en slutrapportering kan inte ha lämnats för kvartalet',
      },
      {
        row: 8,
        field: 'rapporttyp',
        message:
          'Dröjsmålet var nytt för IVO kvartal 3 2026: rapporten kan bara ha varit en nyrapportering',
      },
      { row: 9, field: 'avbrottsdatum', message: 'Beslutet har inget avbrott 2026-05-05' },
      {
        row: 10,
        field: 'inlämnad',
        message:
          'En nyrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026',
      },
      {
        row: 11,
        field: 'kvartal',
        message:
          'Beslutet har ingen rapportrad för 2026 kv 3 (raden för avbrottet 2026-05-04 anges med avbrottsdatum)',
      },
      {
        row: 12,
        field: 'kvartal',
        message: 'Okänt kvartal "hösten 2026": skriv t.ex. 2026-Q1, 2026 kv 1 eller 2026:1',
      },
    ]);
    expect(preview.accepted.map((a) => a.row)).toEqual([3]);
    await expect(filingsRun(filingImportCsv(rows))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^Inget registrerades: 10 rader kan inte importeras\./),
    });
    expect(await filingCount()).toBe(0);
    const audit = await database.db
      .selectFrom('auditLog')
      .select('details')
      .where('action', '=', 'inlamningsimport_vagrad')
      .executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ rader: 11, registrerade: 1, vagradeRader: 10 });
  });

  it('refuses a file without a required column, and is for a rapportör of the nämnd only', async () => {
    const columns = FILING_IMPORT_COLUMNS.map((c) => c.header).filter((h) => h !== 'inlämnad');
    expect((await filingsDryRun(`${columns.join(';')}\r\n`)).refused).toEqual([
      { row: 1, field: 'inlämnad', message: 'Kolumnen "inlämnad" saknas' },
    ]);
    const csv = filingImportExampleCsv();
    await expect(filingsDryRun(csv, 'handlaggare1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(filingsDryRun(csv, 'admin')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(filingsDryRun(csv, 'rapportorSocial')).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Du rapporterar inte för den nämnden och kan inte importera inlämningar dit.',
    });
    const many = filingImportCsv(
      Array.from({ length: 5001 }, () => ({ person: anna, kvartal: '2026-Q3' })),
    );
    await expect(filingsDryRun(many)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message:
        'Filen har 5001 inlämningar; högst 5 000 kan importeras åt gången. Dela upp den i flera filer.',
    });
  });
});

/*
 * The demo kommun's earlier filings (testing/earlier-filings.ts): the demo rapportör imports a
 * half-year of them, the two quarters before the open period, on a fixed day and on today (the
 * day a Playwright run seeds its server). Every line of those quarters is recorded, and the open
 * period's lines then go to IVO as the återrapporteringar the schedule calls them.
 */
describe("imports of the demo kommun's earlier filings", () => {
  const demo = useTestDatabase({ reset: 'never', fixture: false });

  for (const day of [...new Set(['2026-11-22', todayInStockholm()])]) {
    it(`records the half-year before the open period of the demo data seeded on ${day}`, async () => {
      await resetDatabase(demo);
      await seedDemoIfEmpty(demo.db, day);
      const earlier = demoEarlierFilings(day);
      expect(earlier.filings.length).toBeGreaterThan(10);
      const { id: rapportorId } = await demo.db
        .selectFrom('appUser')
        .select('id')
        .where('username', '=', 'rapportor')
        .executeTakeFirstOrThrow();
      const rapportor = await callerFor(demo, rapportorId, fixedClock(`${day}T10:00:00Z`));
      const input = { namndId: earlier.namndId, csv: earlier.csv };

      const preview = await rapportor.imports.filingsDryRun(input);
      expect(preview.refused).toEqual([]);
      expect(preview.accepted).toHaveLength(earlier.filings.length);
      expect(await rapportor.imports.filingsRun(input)).toMatchObject({
        recorded: earlier.filings.length,
      });

      // Every line of both quarters is filed, by the import.
      for (const quarter of earlier.quarters) {
        const { lines } = await rapportor.quarter.lines({ namndId: earlier.namndId, quarter });
        const imported = new Set(
          earlier.filings
            .filter((f) => quarterKey(f.quarter) === quarterKey(quarter))
            .map((f) => `${f.decisionId}|${f.episodeStart}`),
        );
        const ofImport = lines.filter((l) => imported.has(`${l.decisionId}|${l.episode.start}`));
        expect(ofImport).toHaveLength(imported.size);
        expect(ofImport.every((l) => l.filed && l.filedHow === 'import')).toBe(true);
      }
      // The open period: a line whose episode was filed in the half-year is sent as the schedule
      // says, and no earlier quarter of the half-year is missing.
      const filedEpisodes = new Set(
        earlier.filings.map((f) => `${f.decisionId}|${f.episodeStart}`),
      );
      const open = await rapportor.quarter.lines({
        namndId: earlier.namndId,
        quarter: earlier.openQuarter,
      });
      const continuing = open.lines.filter((l) =>
        filedEpisodes.has(`${l.decisionId}|${l.episode.start}`),
      );
      expect(continuing.length).toBeGreaterThan(0);
      for (const line of continuing) {
        expect(line.send).toBe(line.report);
        expect(line.unrecordedEarlier).not.toContain(quarterKey(earlier.quarters[0]));
        expect(line.unrecordedEarlier).not.toContain(quarterKey(earlier.quarters[1]));
      }

      // The same file again records nothing.
      const again = await rapportor.imports.filingsDryRun(input);
      expect(again.accepted).toEqual([]);
      expect(again.refused).toHaveLength(earlier.filings.length);
      expect(again.refused.every((r) => r.message.includes('redan registrerad'))).toBe(true);
    });
  }
});
