import {
  addDays,
  type CaseEvent,
  daysBetween,
  EPISODE_EVENT_TYPES,
  firstOverdueDay,
  type Quarter,
  quarterBounds,
  quarterReport,
  reportTypeToSend,
} from '@evb/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FEWEST_DAYS_TO_OVERDUE, reportingDecisions } from '../data/reporting';
import { EPISODE_TYPES_AT_0003 } from '../db/migrations/0003_waiting_ended';
import type { FilingRecorded } from '../db/schema';
import {
  insertDecision,
  insertEvents,
  insertPerson,
  type TestDecision,
} from '../testing/decisions';
import { refusal } from '../testing/errors';
import { ORG, seedFixture } from '../testing/fixture';
import {
  callerFor,
  fixedClock,
  openTestDatabase,
  resetDatabase,
  type TestDatabase,
} from '../testing/harness';
import { type QuarterLineView, quarterSelection } from './quarter';

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.dispose();
});
beforeEach(async () => {
  await resetDatabase(database);
  await seedFixture(database.db);
  await insertPerson(database.db, {
    id: 'p1',
    fornamn: 'Astrid',
    efternamn: 'Lind',
    ivoId: '19800101-T123',
  });
  await insertPerson(database.db, {
    id: 'p2',
    fornamn: 'Bertil',
    efternamn: 'Ek',
    ivoId: '19750505-T010',
  });
});

async function given(decisions: TestDecision[], events: CaseEvent[]) {
  for (const d of decisions) await insertDecision(database.db, d);
  await insertEvents(database.db, events);
}

async function file(
  decisionId: string,
  episodeStart: string,
  quarter: string,
  recorded: FilingRecorded = 'evb',
) {
  await database.db
    .insertInto('rapportFiling')
    .values({
      id: `f-${decisionId}-${quarter}`,
      decisionId,
      episodeStart,
      quarter,
      report: 'ny',
      status: 'ej_verkstalld',
      filedOn: '2026-10-05',
      filedBy: 'huvudrapportor',
      snapshot: JSON.stringify({}),
      seq: 0,
      recorded,
    })
    .execute();
}

/** The domain's lines for the same decisions and events, in the server's shape. */
function domainLines(decisions: TestDecision[], events: CaseEvent[], q: Quarter) {
  return decisions.flatMap((d) =>
    quarterReport(
      {
        id: d.id,
        lagrum: d.insats.startsWith('LSS') ? 'LSS' : 'SoL',
        insats: d.insats,
        beslutsdatum: d.beslutsdatum,
      },
      events.filter((e) => e.decisionId === d.id),
      q,
    ).map((line) => ({
      decisionId: line.decisionId,
      episode: { kind: line.episode.kind, start: line.episode.start },
      report: line.report,
      status: line.status,
      statusDate: line.statusDate ?? null,
      overdueFrom: line.overdueFrom,
      daysWaited: line.daysWaited,
    })),
  );
}

const comparable = (lines: { decisionId: string; episode: { start: string } }[]) =>
  [...lines].sort(
    (a, b) =>
      a.decisionId.localeCompare(b.decisionId) || a.episode.start.localeCompare(b.episode.start),
  );

describe('quarter.lines', () => {
  it('seed 003: decided 1 August 2009, executed 1 December – in Q4 both as not executed and executed', async () => {
    await given(
      [{ id: 'b1', personId: 'p1', insats: 'LSS_9_9_GRUPPBOSTAD', beslutsdatum: '2009-08-01' }],
      [{ id: 'e1', decisionId: 'b1', type: 'verkstalld', date: '2009-12-01' }],
    );
    const rapportor = await callerFor(database, 'rapportorLss');
    const q3 = await rapportor.quarter.lines({
      namndId: ORG.vard,
      quarter: { year: 2009, quarter: 3 },
    });
    expect(q3.lines).toEqual([]);
    const q4 = await rapportor.quarter.lines({
      namndId: ORG.vard,
      quarter: { year: 2009, quarter: 4 },
    });
    expect(q4).toMatchObject({
      namndId: ORG.vard,
      quarter: { year: 2009, quarter: 4 },
      quarterKey: '2009-Q4',
      referenceDate: '2009-12-31',
      window: { opens: '2010-01-01', closes: '2010-01-31' },
      verksamhetsomraden: ['LSS'],
      counts: { nyrapportering: 1, aterrapportering: 0, slutrapportering: 0 },
    });
    expect(q4.lines).toEqual([
      {
        kategori: 'nyrapportering',
        sendKategori: 'nyrapportering',
        decisionId: 'b1',
        person: { ivoId: '19800101-T123', namn: 'Astrid Lind', skyddadIdentitet: false },
        insats: 'LSS_9_9_GRUPPBOSTAD',
        insatsLabel: 'Bostad med särskild service för vuxna – gruppbostad',
        verksamhetsomrade: 'LSS',
        forhandsbesked: false,
        episode: { kind: 'beslut', start: '2009-08-01' },
        report: 'ny',
        send: 'ny',
        sendNotice: null,
        unrecordedEarlier: [],
        status: 'verkstalld',
        statusDate: '2009-12-01',
        overdueFrom: '2009-11-02',
        daysWaited: 122,
        filed: false,
        filedOn: null,
        filedHow: null,
        filedVoidedSince: null,
        // The new report's message and the slutrapportering's, both about this quarter.
        unhandledMessages: 2,
      },
    ]);
    const q1 = await rapportor.quarter.lines({
      namndId: ORG.vard,
      quarter: { year: 2010, quarter: 1 },
    });
    expect(q1.lines).toEqual([]);
  });

  // Q3 2026 runs 2026-07-01 – 2026-09-30.
  const q3: Quarter = { year: 2026, quarter: 3 };
  const mix: TestDecision[] = [
    { id: 'ny', personId: 'p1', insats: 'LSS_9_10', beslutsdatum: '2026-05-10' },
    { id: 'ater', personId: 'p1', insats: 'LSS_9_4', beslutsdatum: '2026-02-03' },
    { id: 'slut', personId: 'p2', insats: 'LSS_9_2', beslutsdatum: '2026-01-15' },
    { id: 'ny-verkstalld', personId: 'p2', insats: 'LSS_9_3', beslutsdatum: '2026-06-01' },
    { id: 'avslutad-tidigare', personId: 'p2', insats: 'LSS_9_5', beslutsdatum: '2026-01-20' },
    { id: 'i-tid', personId: 'p2', insats: 'LSS_9_6_KORTTIDSHEM', beslutsdatum: '2026-05-01' },
    { id: 'avbrott', personId: 'p1', insats: 'LSS_9_4', beslutsdatum: '2025-10-01' },
    { id: 'senare', personId: 'p1', insats: 'LSS_9_1', beslutsdatum: '2026-10-05' },
    { id: 'verkstalld-tidigare', personId: 'p1', insats: 'LSS_9_7', beslutsdatum: '2026-01-05' },
    { id: 'samma-dag', personId: 'p2', insats: 'LSS_9_8', beslutsdatum: '2026-01-10' },
    {
      id: 'aldre',
      personId: 'p2',
      insats: 'SOL_SARSKILT_BOENDE',
      beslutsdatum: '2026-03-01',
      verksamhetsomrade: 'SOL_ALDRE',
    },
  ];
  const mixEvents: CaseEvent[] = [
    {
      id: 'm1',
      decisionId: 'ater',
      type: 'erbjudande',
      date: '2026-06-01',
      text: 'Kontaktperson Eva',
    },
    {
      id: 'm2',
      decisionId: 'ater',
      type: 'tackat_nej',
      date: '2026-06-10',
      erbjudandedatum: '2026-06-01',
      orsak: 'annat',
      text: 'Vill vänta',
    },
    { id: 'm3', decisionId: 'slut', type: 'verkstalld', date: '2026-08-20' },
    { id: 'm4', decisionId: 'ny-verkstalld', type: 'verkstalld', date: '2026-09-15' },
    {
      id: 'm5',
      decisionId: 'avslutad-tidigare',
      type: 'avslutad',
      date: '2026-06-10',
      anledning: 'behov_upphort',
    },
    { id: 'm6', decisionId: 'i-tid', type: 'verkstalld', date: '2026-07-15' },
    { id: 'm7', decisionId: 'avbrott', type: 'verkstalld', date: '2025-11-01' },
    { id: 'm8', decisionId: 'avbrott', type: 'avbrott', date: '2026-05-20' },
    {
      id: 'm9',
      decisionId: 'avbrott',
      type: 'anteckning',
      date: '2026-06-01',
      text: 'Ny kontaktperson söks',
    },
    // Reported in Q2 (ny, then executed): nothing left for Q3.
    { id: 'm10', decisionId: 'verkstalld-tidigare', type: 'verkstalld', date: '2026-05-01' },
    {
      id: 'm11',
      decisionId: 'verkstalld-tidigare',
      type: 'anteckning',
      date: '2026-08-01',
      text: 'Fungerar bra',
    },
    // Executed and interrupted the same day: waiting again since 1 March.
    {
      id: 'm12',
      decisionId: 'samma-dag',
      type: 'verkstalld',
      date: '2026-03-01',
      recordedAt: '2026-03-01T08:00:00.000Z',
    },
    {
      id: 'm13',
      decisionId: 'samma-dag',
      type: 'avbrott',
      date: '2026-03-01',
      recordedAt: '2026-03-01T15:00:00.000Z',
    },
  ];

  it('builds nyrapportering, återrapportering and slutrapportering as the domain does, with filed', async () => {
    await given(mix, mixEvents);
    await file('ater', '2026-02-03', '2026-Q2');
    await file('ater', '2026-02-03', '2026-Q3');
    await file('slut', '2026-01-15', '2026-Q2');
    await file('samma-dag', '2026-03-01', '2026-Q2');
    const rapportor = await callerFor(database, 'rapportorLss');
    const result = await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q3 });
    expect(result.window).toEqual({ opens: '2026-10-01', closes: '2026-10-31' });
    expect(
      result.lines.map((l) => [l.kategori, l.decisionId, l.episode.kind, l.status, l.filed]),
    ).toEqual([
      ['nyrapportering', 'ny', 'beslut', 'ej_verkstalld', false],
      ['nyrapportering', 'avbrott', 'avbrott', 'ej_verkstalld', false],
      ['nyrapportering', 'ny-verkstalld', 'beslut', 'verkstalld', false],
      ['aterrapportering', 'ater', 'beslut', 'ej_verkstalld', true],
      ['aterrapportering', 'samma-dag', 'avbrott', 'ej_verkstalld', false],
      ['slutrapportering', 'slut', 'beslut', 'verkstalld', false],
    ]);
    expect(
      result.lines.every(
        (l) => l.send === l.report && l.sendKategori === l.kategori && l.sendNotice === null,
      ),
    ).toBe(true);
    expect(result.counts).toEqual({ nyrapportering: 3, aterrapportering: 2, slutrapportering: 1 });
    expect(result.lines.find((l) => l.decisionId === 'ater')?.filedOn).toBe('2026-10-05');
    const lssOnly = mix.filter((d) => d.verksamhetsomrade === undefined);
    expect(
      comparable(
        result.lines.map((l) => ({
          decisionId: l.decisionId,
          episode: l.episode,
          report: l.report,
          status: l.status,
          statusDate: l.statusDate,
          overdueFrom: l.overdueFrom,
          daysWaited: l.daysWaited,
        })),
      ),
    ).toEqual(comparable(domainLines(lssOnly, mixEvents, q3)));
  });

  it('gives the huvudrapportör every area of the nämnd, or the ones asked for', async () => {
    await given(mix, mixEvents);
    const huvud = await callerFor(database, 'huvudrapportor');
    const all = await huvud.quarter.lines({ namndId: ORG.vard, quarter: q3 });
    expect(all.verksamhetsomraden).toBeNull();
    expect(all.lines.map((l) => l.decisionId)).toContain('aldre');
    expect(comparable(all.lines).map((l) => l.decisionId)).toEqual(
      comparable(domainLines(mix, mixEvents, q3)).map((l) => l.decisionId),
    );
    const aldre = await huvud.quarter.lines({
      namndId: ORG.vard,
      quarter: q3,
      verksamhetsomraden: ['SOL_ALDRE'],
    });
    // By the schedule an återrapportering; nothing of it is recorded as filed in Q2, so it is sent
    // as a nyrapportering.
    expect(
      aldre.lines.map((l) => [
        l.decisionId,
        l.verksamhetsomrade,
        l.report,
        l.kategori,
        l.send,
        l.sendKategori,
      ]),
    ).toEqual([['aldre', 'SOL_ALDRE', 'ater', 'aterrapportering', 'ny', 'nyrapportering']]);
  });

  it('refuses a nämnd or an area the caller does not report for, and bad quarters', async () => {
    await given(mix, mixEvents);
    const rapportor = await callerFor(database, 'rapportorLss');
    expect(
      await refusal(
        rapportor.quarter.lines({
          namndId: ORG.vard,
          quarter: q3,
          verksamhetsomraden: ['SOL_ALDRE'],
        }),
      ),
    ).toEqual({
      code: 'FORBIDDEN',
      httpStatus: 403,
      message: 'Du rapporterar inte för SoL Äldre i den nämnden.',
    });
    const social = await callerFor(database, 'rapportorSocial');
    expect(await refusal(social.quarter.lines({ namndId: ORG.vard, quarter: q3 }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    for (const userId of ['utforareA', 'handlaggare1', 'admin']) {
      const caller = await callerFor(database, userId);
      expect(await refusal(caller.quarter.lines({ namndId: ORG.vard, quarter: q3 }))).toMatchObject(
        {
          code: 'FORBIDDEN',
        },
      );
    }
    expect(
      await refusal(
        rapportor.quarter.lines({
          namndId: ORG.vard,
          quarter: { year: 2026, quarter: 5 as never },
        }),
      ),
    ).toEqual({
      code: 'BAD_REQUEST',
      httpStatus: 400,
      message: 'quarter.quarter: Välj kvartal 1–4',
    });
  });

  it('records the reading in the nämnd’s audit log', async () => {
    await given(mix, mixEvents);
    const rapportor = await callerFor(database, 'rapportorLss');
    await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q3 });
    const log = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'role', 'action', 'subjectId', 'namndId', 'details'])
      .execute();
    expect(log).toEqual([
      {
        userId: 'rapportorLss',
        role: 'rapportor',
        action: 'kvartal_last',
        subjectId: '2026-Q3',
        namndId: ORG.vard,
        details: { verksamhetsomraden: ['LSS'], rader: 6 },
      },
    ]);
  });

  /*
   * The view reads only decisions that may have an episode overdue in the quarter (the columns a
   * trigger keeps on decision, migrations 0003 and 0006): random histories, with executions and
   * interruptions on the same day, must still give every line the domain gives, in every quarter
   * around them.
   */
  it('leaves out no decision the domain gives a line, whatever the history', async () => {
    let state = 20260401;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const decisions: TestDecision[] = [];
    const events: CaseEvent[] = [];
    for (let d = 0; d < 160; d++) {
      const id = `r${d}`;
      const beslutsdatum = addDays('2025-01-01', random(500));
      decisions.push({ id, personId: 'p1', insats: 'LSS_9_4', beslutsdatum });
      let date = beslutsdatum;
      let waiting = true;
      for (let step = 0; step < 1 + random(6); step++) {
        // A quarter of the steps fall on the same day as the one before.
        date = addDays(date, random(4) === 0 ? 0 : random(200));
        const recordedAt = `${date}T${String(8 + step).padStart(2, '0')}:00:00.000Z`;
        const e = { id: `${id}-${step}`, decisionId: id, date, recordedAt };
        if (random(6) === 0) {
          events.push({ ...e, type: 'avslutad', anledning: 'behov_upphort' });
          break;
        }
        events.push(waiting ? { ...e, type: 'verkstalld' } : { ...e, type: 'avbrott' });
        waiting = !waiting;
      }
    }
    // Executed after more than three months and interrupted again within weeks, in every
    // quarter of 2026 (the earlier episode has its slutrapportering; the new one is not yet
    // overdue), also with the interruption on the day of the execution.
    for (const [i, [beslutsdatum, executed, interrupted]] of (
      [
        ['2025-10-01', '2026-02-10', '2026-03-01'],
        ['2025-12-15', '2026-05-20', '2026-05-20'],
        ['2026-03-02', '2026-08-01', '2026-09-10'],
        ['2026-06-01', '2026-12-01', '2026-12-01'],
      ] as const
    ).entries()) {
      const id = `x${i}`;
      decisions.push({ id, personId: 'p1', insats: 'LSS_9_4', beslutsdatum });
      events.push(
        {
          id: `${id}-v`,
          decisionId: id,
          type: 'verkstalld',
          date: executed,
          recordedAt: `${executed}T08:00:00.000Z`,
        },
        {
          id: `${id}-a`,
          decisionId: id,
          type: 'avbrott',
          date: interrupted,
          recordedAt: `${interrupted}T09:00:00.000Z`,
        },
      );
    }
    // Still waiting, decided on each day around three months before a reference date (the last
    // of June, of September and of December, the clamped month-end): the view reads decisions up
    // to the last day that can be overdue by the reference date.
    for (const [from, days] of [
      ['2026-06-25', 9],
      ['2025-09-25', 9],
      ['2025-12-25', 12],
    ] as const) {
      for (let i = 0; i < days; i++) {
        decisions.push({
          id: `g${from}-${i}`,
          personId: 'p2',
          insats: 'LSS_9_5',
          beslutsdatum: addDays(from, i),
        });
      }
    }
    await given(decisions, events);
    const rapportor = await callerFor(database, 'rapportorLss');
    for (const quarter of [
      { year: 2025, quarter: 2 },
      { year: 2025, quarter: 3 },
      { year: 2025, quarter: 4 },
      { year: 2026, quarter: 1 },
      { year: 2026, quarter: 2 },
      { year: 2026, quarter: 3 },
      { year: 2026, quarter: 4 },
      { year: 2027, quarter: 1 },
      { year: 2027, quarter: 2 },
    ] as Quarter[]) {
      const result = await rapportor.quarter.lines({ namndId: ORG.vard, quarter });
      const expected = domainLines(decisions, events, quarter);
      expect(expected.length).toBeGreaterThan(0);
      expect(
        comparable(
          result.lines.map((l) => ({
            decisionId: l.decisionId,
            episode: l.episode,
            report: l.report,
            status: l.status,
            statusDate: l.statusDate,
            overdueFrom: l.overdueFrom,
            daysWaited: l.daysWaited,
          })),
        ),
      ).toEqual(comparable(expected));
    }
    // Each part of the narrowing must have left decisions unread for this to test it at all:
    // some ended before the quarter, some ended in it before three months had passed, some were
    // interrupted again too late to be overdue by its end.
    const quarter: Quarter = { year: 2026, quarter: 1 };
    const read = new Set(
      (
        await reportingDecisions(
          database.db,
          quarterSelection(
            {
              enhetIds: [],
              handlaggareId: null,
              namndAreas: [{ namndId: ORG.vard, verksamhetsomrade: null }],
            },
            quarter,
          ),
        )
      ).map((d) => d.id),
    );
    const unread = (await database.db.selectFrom('decision').selectAll().execute()).filter(
      (d) => !read.has(d.id),
    );
    const { start, end } = quarterBounds(quarter);
    expect(
      unread.filter((d) => d.waitingEndedBy !== null && d.waitingEndedBy < start).length,
    ).toBeGreaterThan(5);
    const endedEarly = unread.filter(
      (d) => d.waitingEndedBy !== null && d.waitingEndedBy >= start && d.waitingEndedBy <= end,
    );
    expect(endedEarly.length).toBeGreaterThan(2);
    expect(
      unread.filter(
        (d) =>
          d.lastInterruption !== null && d.lastInterruption >= start && d.waitingEndedBy === null,
      ).length,
    ).toBeGreaterThan(0);
  });

  it('never counts fewer days to the first overdue day than any start 1990–2100 has', () => {
    let fewest = Number.POSITIVE_INFINITY;
    for (let start = '1990-01-01'; start <= '2100-12-31'; start = addDays(start, 1)) {
      fewest = Math.min(fewest, daysBetween(start, firstOverdueDay(start)));
    }
    expect(FEWEST_DAYS_TO_OVERDUE).toBe(fewest);
  });

  it('the migration indexes and tracks the episode event types the domain names', () => {
    expect([...EPISODE_TYPES_AT_0003].sort()).toEqual([...EPISODE_EVENT_TYPES].sort());
  });
});

describe('the to-do view of a reporting period', () => {
  // Waiting since 1 December 2025: overdue from 2 March 2026, so a line in Q1 (ny), Q2 and Q3
  // (åter by the schedule) and on.
  const lang: TestDecision = {
    id: 'lang',
    personId: 'p3',
    insats: 'LSS_9_4',
    beslutsdatum: '2025-12-01',
  };
  // An offer refused: the prefill has skäl, orsak and the offer date, nothing is missing.
  const langEvents: CaseEvent[] = [
    {
      id: 'l1',
      decisionId: 'lang',
      type: 'tackat_nej',
      date: '2026-01-20',
      erbjudandedatum: '2026-01-10',
      orsak: 'geografiskt_lage',
    },
  ];
  // Waiting since 1 May 2026 with no reason logged: skäl and orsak are missing. A new line in Q3.
  const utanSkal: TestDecision = {
    id: 'utan-skal',
    personId: 'p3',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-05-01',
  };
  // Waiting since 2 February 2026 (a new line in Q2), executed 15 August: Q3's slutrapportering.
  const slut: TestDecision = {
    id: 'slut',
    personId: 'p3',
    insats: 'LSS_9_3',
    beslutsdatum: '2026-02-02',
  };
  const slutEvents: CaseEvent[] = [
    {
      id: 's1',
      decisionId: 'slut',
      type: 'skal',
      date: '2026-03-01',
      skal: 'hos_kommunen',
      orsak: 'brist_plats',
    },
    { id: 's2', decisionId: 'slut', type: 'verkstalld', date: '2026-08-15' },
  ];
  const q1: Quarter = { year: 2026, quarter: 1 };
  const q2: Quarter = { year: 2026, quarter: 2 };
  const q3: Quarter = { year: 2026, quarter: 3 };
  const q4: Quarter = { year: 2026, quarter: 4 };
  const on = (day: string) => fixedClock(`${day}T10:00:00Z`);
  const lineOf = (lines: QuarterLineView[], decisionId: string) =>
    lines.find((l) => l.decisionId === decisionId)!;

  beforeEach(async () => {
    await insertPerson(database.db, {
      id: 'p3',
      fornamn: 'Cecilia',
      efternamn: 'Berg',
      fodelsedatum: '1912-12-12',
      personnummer: '191212121212',
      ivoId: '19121212-T123',
    });
  });

  it('says per line the report type sent, the earlier quarters not recorded, and how it was filed', async () => {
    await given([lang], langEvents);
    const rapportor = await callerFor(database, 'rapportorLss', on('2026-10-10'));
    const before = lineOf(
      (await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q3 })).lines,
      'lang',
    );
    // By the schedule an återrapportering; nothing of the episode is recorded as filed, so IVO
    // does not have the case: it is sent, and grouped in the to-do view, as a nyrapportering.
    expect(before).toMatchObject({
      report: 'ater',
      kategori: 'aterrapportering',
      send: 'ny',
      sendKategori: 'nyrapportering',
      unrecordedEarlier: ['2026-Q1', '2026-Q2'],
      filed: false,
      filedHow: null,
    });
    expect(before.sendNotice).toBe(
      reportTypeToSend({
        line: { report: 'ater', overdueFrom: '2026-03-02' },
        quarter: q3,
        filedQuarters: [],
      }).notice,
    );
    expect(before.sendNotice).toContain('kvartal 1 2026 och kvartal 2 2026');

    // Q1's filing recorded afterwards: IVO has the case, Q3 is an återrapportering.
    await file('lang', '2025-12-01', '2026-Q1', 'efterhand');
    const after = await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q3 });
    expect(lineOf(after.lines, 'lang')).toMatchObject({
      report: 'ater',
      send: 'ater',
      sendKategori: 'aterrapportering',
      sendNotice: null,
      unrecordedEarlier: ['2026-Q2'],
    });
    expect(after.counts).toEqual({ nyrapportering: 0, aterrapportering: 1, slutrapportering: 0 });
    const first = await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q1 });
    expect(lineOf(first.lines, 'lang')).toMatchObject({
      report: 'ny',
      send: 'ny',
      filed: true,
      filedHow: 'efterhand',
    });
    await file('lang', '2025-12-01', '2026-Q3', 'import');
    await file('lang', '2025-12-01', '2026-Q2', 'evb');
    const filed = await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q3 });
    expect(lineOf(filed.lines, 'lang')).toMatchObject({
      filed: true,
      filedHow: 'import',
      unrecordedEarlier: [],
    });
    expect(
      lineOf((await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q2 })).lines, 'lang')
        .filedHow,
    ).toBe('evb');
  });

  it('opens on the period whose window is open, else on the current quarter', async () => {
    await given([lang], langEvents);
    for (const [day, expected] of [
      ['2026-10-10', q3],
      ['2026-10-31', q3],
      ['2026-11-22', q4],
      ['2027-01-05', q4],
      ['2026-09-30', q3],
    ] as const) {
      const rapportor = await callerFor(database, 'rapportorLss', on(day));
      const result = await rapportor.quarter.lines({ namndId: ORG.vard });
      expect(result.quarter, day).toEqual(expected);
      expect(result.lines.map((l) => l.decisionId)).toEqual(['lang']);
    }
  });

  it('counts each unfiled line’s findings as reports.get does, and what can be filed today', async () => {
    await given([lang, utanSkal, slut], [...langEvents, ...slutEvents]);
    // Q2's lines recorded: Q3's lines of `lang` and `slut` are åter and slut.
    await file('lang', '2025-12-01', '2026-Q2');
    await file('slut', '2026-02-02', '2026-Q2');
    const inWindow = await callerFor(database, 'rapportorLss', on('2026-10-10'));
    const todo = await inWindow.quarter.todo({ namndId: ORG.vard, quarter: q3 });
    expect(todo.quarterKey).toBe('2026-Q3');
    expect(todo.lines.map((l) => [l.decisionId, l.findings, l.canFileToday])).toEqual([
      ['utan-skal', 2, false],
      ['lang', 0, true],
      ['slut', 0, true],
    ]);
    // The same findings as the line's own individrapport.
    for (const line of todo.lines) {
      const report = await inWindow.reports.get({
        namndId: ORG.vard,
        quarter: q3,
        decisionId: line.decisionId,
        episodeStart: line.episodeStart,
      });
      expect(report.findings.length, line.decisionId).toBe(line.findings);
    }

    // The rapportör's saved changes count: with skäl and orsak chosen nothing is missing.
    await inWindow.reports.saveDraft({
      namndId: ORG.vard,
      quarter: q3,
      decisionId: 'utan-skal',
      episodeStart: '2026-05-01',
      draft: { skal: 'hos_kommunen', orsak: 'brist_plats' },
    });
    // A filed line has nothing left to do.
    await file('lang', '2025-12-01', '2026-Q3');
    const saved = await inWindow.quarter.todo({ namndId: ORG.vard, quarter: q3 });
    expect(saved.lines.map((l) => [l.decisionId, l.findings, l.canFileToday])).toEqual([
      ['utan-skal', 0, true],
      ['slut', 0, true],
    ]);

    // After the window has closed only the slutrapportering can still be filed.
    const closed = await callerFor(database, 'rapportorLss', on('2026-11-22'));
    const late = await closed.quarter.todo({ namndId: ORG.vard, quarter: q3 });
    expect(late.lines.map((l) => [l.decisionId, l.findings, l.canFileToday])).toEqual([
      ['utan-skal', 0, false],
      ['slut', 0, true],
    ]);
    const log = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'action', 'subjectId', 'namndId', 'details'])
      .where('action', '=', 'kvartal_att_gora_last')
      .orderBy('id')
      .execute();
    expect(log.at(-1)).toEqual({
      userId: 'rapportorLss',
      action: 'kvartal_att_gora_last',
      subjectId: '2026-Q3',
      namndId: ORG.vard,
      details: {
        verksamhetsomraden: ['LSS'],
        rader: 2,
        medFel: 0,
        // Q1's line of `lang` is settled by its later filings.
        tidigarePerioder: [],
      },
    });
    expect(log).toHaveLength(3);
  });

  it('points out earlier periods left with unfiled lines, back eight quarters', async () => {
    // Overdue in Q4 2024 (eight quarters before Q4 2026) and executed then: its one line.
    const attaBak: TestDecision = {
      id: 'atta-bak',
      personId: 'p3',
      insats: 'LSS_9_5',
      beslutsdatum: '2024-08-01',
    };
    // Overdue in Q3 2024 (nine quarters back) and executed then.
    const nioBak: TestDecision = {
      id: 'nio-bak',
      personId: 'p3',
      insats: 'LSS_9_5',
      beslutsdatum: '2024-05-01',
    };
    await given(
      [lang, slut, attaBak, nioBak],
      [
        ...langEvents,
        ...slutEvents,
        { id: 'a1', decisionId: 'atta-bak', type: 'verkstalld', date: '2024-12-01' },
        { id: 'n1', decisionId: 'nio-bak', type: 'verkstalld', date: '2024-09-01' },
      ],
    );
    const rapportor = await callerFor(database, 'rapportorLss', on('2026-11-22'));
    const periods = async () =>
      (await rapportor.quarter.todo({ namndId: ORG.vard, quarter: q4 })).earlier.map((p) => [
        p.quarterKey,
        p.unfiled,
        p.fileableToday,
      ]);
    // Q3: `lang` (its window has closed) and `slut` (a slutrapportering, fileable at any time).
    expect(await periods()).toEqual([
      ['2026-Q3', 2, 1],
      ['2026-Q2', 2, 0],
      ['2026-Q1', 1, 0],
      ['2024-Q4', 1, 1],
    ]);
    // A later filing of the episode settles the earlier gaps: IVO has the case.
    await file('lang', '2025-12-01', '2026-Q3');
    await file('atta-bak', '2024-08-01', '2024-Q4', 'efterhand');
    expect(await periods()).toEqual([
      ['2026-Q3', 1, 1],
      ['2026-Q2', 1, 0],
    ]);
    await file('slut', '2026-02-02', '2026-Q3');
    expect(await periods()).toEqual([]);
    // Seen from Q3, the eight periods before it reach Q3 2024.
    const fromQ3 = await rapportor.quarter.todo({ namndId: ORG.vard, quarter: q3 });
    expect(fromQ3.earlier).toEqual([
      { quarter: { year: 2024, quarter: 3 }, quarterKey: '2024-Q3', unfiled: 1, fileableToday: 1 },
    ]);
  });

  it('keeps the areas and nämnder of the caller', async () => {
    await given(
      [
        lang,
        {
          id: 'aldre',
          personId: 'p3',
          insats: 'SOL_SARSKILT_BOENDE',
          beslutsdatum: '2025-12-01',
          verksamhetsomrade: 'SOL_ALDRE',
        },
      ],
      langEvents,
    );
    const lss = await callerFor(database, 'rapportorLss', on('2026-11-22'));
    const todo = await lss.quarter.todo({ namndId: ORG.vard, quarter: q4 });
    expect(todo.lines.map((l) => l.decisionId)).toEqual(['lang']);
    expect(todo.earlier.map((p) => [p.quarterKey, p.unfiled])).toEqual([
      ['2026-Q3', 1],
      ['2026-Q2', 1],
      ['2026-Q1', 1],
    ]);
    expect(
      await refusal(
        lss.quarter.todo({ namndId: ORG.vard, quarter: q4, verksamhetsomraden: ['SOL_ALDRE'] }),
      ),
    ).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Du rapporterar inte för SoL Äldre i den nämnden.',
    });
    for (const userId of ['rapportorSocial', 'utforareA', 'handlaggare1', 'admin']) {
      const caller = await callerFor(database, userId);
      expect(
        await refusal(caller.quarter.todo({ namndId: ORG.vard, quarter: q4 })),
        userId,
      ).toMatchObject({ code: 'FORBIDDEN' });
    }
  });

  it('lets the rapportör follow a line to its decision, read-only and audited', async () => {
    await given([lang], langEvents);
    const rapportor = await callerFor(database, 'rapportorLss', on('2026-11-22'));
    const line = lineOf(
      (await rapportor.quarter.lines({ namndId: ORG.vard, quarter: q4 })).lines,
      'lang',
    );
    const decision = await rapportor.decisions.get({ id: line.decisionId });
    expect(decision.decision.person.personnummer).toBe('19121212-1212');
    expect(decision.events.map((e) => e.type)).toEqual(['tackat_nej']);
    const [audit] = await database.db
      .selectFrom('auditLog')
      .select(['userId', 'role', 'action', 'subjectId', 'namndId'])
      .where('action', '=', 'beslut_last')
      .execute();
    expect(audit).toEqual({
      userId: 'rapportorLss',
      role: 'rapportor',
      action: 'beslut_last',
      subjectId: 'lang',
      namndId: ORG.vard,
    });
    // A rapportör of another nämnd, or of another area, does not learn it exists.
    await given(
      [{ ...lang, id: 'aldre', verksamhetsomrade: 'SOL_ALDRE', insats: 'SOL_SARSKILT_BOENDE' }],
      [],
    );
    expect(await refusal(rapportor.decisions.get({ id: 'aldre' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const social = await callerFor(database, 'rapportorSocial', on('2026-11-22'));
    expect(await refusal(social.decisions.get({ id: 'lang' }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
