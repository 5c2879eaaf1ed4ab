import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addQuarters, type CaseEvent, type Quarter, quarterOf } from '@evb/domain';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { saveIndividrapportDraft } from '../data/reports';
import type { Database } from '../db/database';
import { DEMO_PASSWORD } from '../seed/organisation';
import { seedDemoIfEmpty } from '../seed/startup';
import {
  insertDecision,
  insertEvents,
  insertPerson,
  type TestDecision,
} from '../testing/decisions';
import { bytesOf, getExport, signIn } from '../testing/export-http';
import { ORG } from '../testing/fixture';
import { callerFor, fixedClock, useTestDatabase } from '../testing/harness';
import { pdfPageLines, pdfText } from '../testing/pdf';

/*
 * The quarter's exports over HTTP (src/http/exports.ts): one line's individrapport as a PDF, the
 * whole quarter as a PDF, a CSV and an XLSX — each read back (pdfjs, csv-parse, exceljs) to check
 * what a rapportör gets — behind the same session, access checks and audit as the screens. On the
 * demo kommun: the quarter's reports, read in bulk, are exactly reports.get's, line by line. A large
 * quarter rendered off the request thread, within a time limit: exports-render.test.ts.
 */

const Q2: Quarter = { year: 2026, quarter: 2 };
const TODAY = '2026-07-05';

function appOn(database: Database, day = TODAY) {
  return createApp({ database, pwaRoot: '/nonexistent', clock: fixedClock(`${day}T10:00:00Z`) });
}

describe('the quarter’s exports on the fixture', () => {
  const database = useTestDatabase();

  // Q2 2026 for Vård- och omsorgsnämnden, LSS: a new line (filed), an återrapportering of a
  // person with skyddade personuppgifter (no reason logged: validation finds it), and a
  // slutrapportering of someone whose name has letters Helvetica's encoding lacks.
  const DECISIONS: TestDecision[] = [
    { id: 'ny1', personId: 'p1', insats: 'LSS_9_10', beslutsdatum: '2026-01-15' },
    { id: 'ater1', personId: 'p2', insats: 'LSS_9_4', beslutsdatum: '2025-06-29' },
    { id: 'slut1', personId: 'p3', insats: 'LSS_9_4', beslutsdatum: '2025-12-01' },
    {
      id: 'social1',
      personId: 'p1',
      insats: 'SOL_OVRIGT',
      beslutsdatum: '2026-01-10',
      namndId: ORG.social,
      verksamhetsomrade: 'SOL_IFO',
      lagrum: 'SoL',
    },
  ];
  const EVENTS: CaseEvent[] = [
    {
      id: 'e1',
      decisionId: 'ny1',
      type: 'erbjudande',
      date: '2026-02-10',
      text: 'Plats på Eken daglig verksamhet',
    },
    {
      id: 'e2',
      decisionId: 'ny1',
      type: 'tackat_nej',
      date: '2026-02-20',
      erbjudandedatum: '2026-02-10',
      orsak: 'geografiskt_lage',
    },
    {
      id: 'e3',
      decisionId: 'ny1',
      type: 'uppfoljning',
      date: '2026-03-20',
      kontakt: 'God man',
      text: 'Vill vänta på en plats närmare hemmet; önskar Ängsbacken',
    },
    {
      id: 'e4',
      decisionId: 'slut1',
      type: 'skal',
      date: '2026-03-15',
      skal: 'hos_kommunen',
      orsak: 'uppdragstagare',
    },
    { id: 'e5', decisionId: 'slut1', type: 'verkstalld', date: '2026-05-10' },
  ];

  beforeEach(async () => {
    await insertPerson(database.db, {
      id: 'p1',
      fornamn: 'Åsa',
      efternamn: 'Öberg',
      personnummer: '198001019804',
      ivoId: '19800101-T123',
    });
    await insertPerson(database.db, {
      id: 'p2',
      fornamn: 'Bertil',
      efternamn: 'Ek',
      kon: 'man',
      fodelsedatum: '1975-05-05',
      ivoId: '19750505-T010',
      skyddadIdentitet: true,
    });
    await insertPerson(database.db, {
      id: 'p3',
      fornamn: 'Łukasz',
      efternamn: 'Nguyễn',
      kon: 'man',
      fodelsedatum: '1990-02-03',
      ivoId: '19900203-T031',
    });
    for (const d of DECISIONS) await insertDecision(database.db, d);
    await insertEvents(database.db, EVENTS);
    // The new line is filed; the återrapportering has a saved change that reads like a formula.
    const rapportor = await callerFor(database, 'rapportorLss', fixedClock(`${TODAY}T09:00:00Z`));
    const key = { namndId: ORG.vard, quarter: Q2 };
    await rapportor.reports.file({
      ...key,
      decisionId: 'ny1',
      episodeStart: '2026-01-15',
      filedOn: '2026-07-03',
    });
    await rapportor.reports.saveDraft({
      ...key,
      decisionId: 'ater1',
      episodeStart: '2025-06-29',
      draft: { ovrigt: '=HYPERLINK("http://example.test")' },
    });
  });

  const Q = `namndId=${ORG.vard}&quarter=2026-Q2`;
  const line = (decisionId: string, episodeStart: string) =>
    `${Q}&decisionId=${decisionId}&episodeStart=${episodeStart}`;

  async function auditOf(action: string) {
    return database.db
      .selectFrom('auditLog')
      .select(['action', 'userId', 'role', 'subjectType', 'subjectId', 'namndId', 'details'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  }

  it('individrapport.pdf: a filed line as it was filed, laid out tab by tab, in Swedish', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    const response = await getExport(a, 'individrapport.pdf', line('ny1', '2026-01-15'), cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="individrapport-2026-Q2-19800101-T123.pdf"',
    );
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bytes = await bytesOf(response);
    const pages = await pdfText(bytes);
    const text = pages.join('\n');
    // On paper: the header with the nämnd and the quarter on top, the page number at the foot.
    const paper = await pdfPageLines(bytes, 1);
    expect(paper[0]).toBe(
      'Vård- och omsorgsnämnden · Kvartal 2 2026 Nyrapportering · IVO-id 19800101-T123',
    );
    expect(paper.at(-1)).toBe(
      `Framtagen 5 juli 2026 i evb. Lämnas in i IVO:s e-tjänst. Sida 1 av ${pages.length}`,
    );
    expect(text).toContain('Individrapport – ej verkställt beslut');
    expect(text).toContain('Nyrapportering · Daglig verksamhet · IVO-id 19800101-T123');
    // Dates in the running text are written out; only the values typed into IVO's form are ISO.
    expect(text).toContain(
      'Beslut 15 januari 2026, försenat från 16 april 2026, 166 dagar vid 30 juni 2026. Status: Ej verkställt.',
    );
    expect(text).toContain('Inlämnad till IVO 3 juli 2026 av rapportorLss.');
    expect(text).toContain('Flik 1. Nämnd och verksamhetsområde Nämnd Vård- och omsorgsnämnden');
    expect(text).toContain(
      'Flik 2. Rapportör och rapportering Rapportör rapportorLss Rapportering Nyrapportering',
    );
    expect(text).toContain('Förnamn Åsa Efternamn Öberg Personnummer 19800101-9804');
    expect(text).toContain('Skyddade personuppgifter Nej');
    expect(text).toContain('Huvudsakligt skäl Den enskilde har tackat nej');
    expect(text).toContain('Datum för erbjudandet 2026-02-10');
    expect(text).toContain('önskar Ängsbacken');
    expect(text).toContain('Flik 5. Summering');
    expect(text).toContain('Rapportens status Inlämnad till IVO 3 juli 2026 av rapportorLss');
    expect(text).toContain('Kontroll Godkänd när den lämnades in');
    expect(text).toContain(`Sida 1 av ${pages.length}`);
    // Only what applies: no status date on a line still not executed.
    expect(text).not.toContain('Datum för verkställighet eller avslut');

    expect(await auditOf('individrapport_pdf')).toEqual([
      {
        action: 'individrapport_pdf',
        userId: 'rapportorLss',
        role: 'rapportor',
        subjectType: 'beslut',
        subjectId: 'ny1',
        namndId: ORG.vard,
        details: { kvartal: '2026-Q2', episodStart: '2026-01-15' },
      },
    ]);
    // The read itself is reports.get's, audited as such.
    expect((await auditOf('individrapport_last')).map((r) => r.subjectId)).toEqual(['ny1']);
  });

  it('individrapport.pdf: a draft lists what must be corrected; a protected identity stays fictive', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'huvudrapportor');
    const response = await getExport(a, 'individrapport.pdf', line('ater1', '2025-06-29'), cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="individrapport-2026-Q2-19750505-T010.pdf"',
    );
    const text = (await pdfText(await bytesOf(response))).join('\n');
    expect(text).toContain('Återrapportering · Biträde av kontaktperson · IVO-id 19750505-T010');
    expect(text).toContain('Utkast – inte inlämnad till IVO.');
    expect(text).toMatch(/Kontrollen hittade \d+ uppgift(er)? att rätta/);
    expect(text).toContain('Huvudsakligt skäl (ej ifyllt) Att rätta:');
    expect(text).toContain('Förnamn Skyddad Efternamn Identitet Personnummer 19750505-T010');
    expect(text).toContain('Skyddade personuppgifter Ja');
    expect(text).toContain('Rapportens status Utkast, inte inlämnad till IVO');
    for (const secret of ['Bertil', 'Ek ']) expect(text).not.toContain(secret);
  });

  it('kvartal.pdf: a cover with the counts and contents, then every line’s report by group', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    const response = await getExport(a, 'kvartal.pdf', Q, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="kvartal-2026-Q2-Vard-och-omsorgsnamnden.pdf"; ' +
        "filename*=UTF-8''kvartal-2026-Q2-V%C3%A5rd-och-omsorgsn%C3%A4mnden.pdf",
    );
    const bytes = await bytesOf(response);
    const pages = await pdfText(bytes);
    const cover = pages[0]!;
    expect(cover).toContain('Individrapporter till IVO');
    expect(cover).toContain('Nämnd Vård- och omsorgsnämnden');
    expect(cover).toContain('Kvartal Kvartal 2 2026');
    expect(cover).toContain('Referensdatum 30 juni 2026');
    expect(cover).toContain('Rapporteringsfönster 1 juli–31 augusti 2026');
    expect(cover).toContain('Verksamhetsområden LSS');
    expect(cover).toContain('Nyrapporteringar 1 (inlämnade 1, ej inlämnade 0)');
    expect(cover).toContain(
      'Återrapporteringar 1 (inlämnade 0, ej inlämnade 1, varav 1 med uppgifter att rätta)',
    );
    expect(cover).toContain('Slutrapporteringar 1 (inlämnade 0, ej inlämnade 1)');
    expect(cover).toContain('Totalt 3 (inlämnade 1, ej inlämnade 2');

    // One report per line, each starting on the page its contents entry names, in group order.
    const starts = pages
      .map((p, i) => [p, i + 1] as const)
      .filter(([p]) => p.includes('Individrapport – ej verkställt beslut'));
    const ivoIdOf = (page: string) =>
      /Individrapport – ej verkställt beslut \S+ · .*? · IVO-id (\S+)/.exec(page)?.[1];
    expect(starts.map(([page]) => ivoIdOf(page))).toEqual([
      '19800101-T123',
      '19750505-T010',
      '19900203-T031',
    ]);
    const contents = await pdfPageLines(bytes, 1);
    for (const [page, number] of starts) {
      expect(contents.filter((l) => l.startsWith(`${ivoIdOf(page)} · `))).toEqual([
        expect.stringMatching(new RegExp(` sida ${number}$`)),
      ]);
    }
    expect(contents).toContain(
      '19750505-T010 · Biträde av kontaktperson · Ej verkställt · utkast, att rätta sida 4',
    );
    const text = pages.join('\n');
    expect(text).toContain('Nyrapporteringar (1)');
    expect(text).toContain('Återrapporteringar (1)');
    expect(text).toContain('Slutrapporteringar (1)');
    expect(text).toContain(
      'Beslut 1 december 2025, försenat från 2 mars 2026, 160 dagar vid 30 juni 2026. Status: Verkställt 10 maj 2026.',
    );
    expect(text).toContain(
      'Beslutsdatum 2025-12-01 Status Verkställt Verkställighetsdatum 2026-05-10',
    );
    // A letter outside Helvetica's encoding loses what it cannot show; the page stays readable.
    expect(text).toContain('Förnamn Lukasz Efternamn Nguyen');
    expect(text).toContain('Status Verkställt Verkställighetsdatum 2026-05-10');
    expect(text).toContain(`Sida ${pages.length} av ${pages.length}`);
    expect(text).not.toContain('Bertil');

    expect(await auditOf('kvartal_pdf')).toEqual([
      {
        action: 'kvartal_pdf',
        userId: 'rapportorLss',
        role: 'rapportor',
        subjectType: 'kvartal',
        subjectId: '2026-Q2',
        namndId: ORG.vard,
        details: { rader: 3 },
      },
    ]);
    expect(await auditOf('individrapporter_kvartal_last')).toEqual([
      expect.objectContaining({
        userId: 'rapportorLss',
        namndId: ORG.vard,
        details: { rader: 3, beslut: ['ny1', 'ater1', 'slut1'] },
      }),
    ]);
  });

  it('kvartal.csv: semicolons, UTF-8 with BOM, one row per line of quarter.lines', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'huvudrapportor');
    const response = await getExport(a, 'kvartal.csv', Q, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain(
      "filename*=UTF-8''kvartal-2026-Q2-V%C3%A5rd-och-omsorgsn%C3%A4mnden.csv",
    );
    const bytes = await bytesOf(response);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder().decode(bytes);
    expect(csv).toContain('\r\n');
    const rows: Record<string, string>[] = parse(csv, { bom: true, delimiter: ';', columns: true });
    const { lines } = await (
      await callerFor(database, 'huvudrapportor', fixedClock(`${TODAY}T10:00:00Z`))
    ).quarter.lines({ namndId: ORG.vard, quarter: Q2 });
    expect(rows.map((r) => [r['Beslut-id'], r.Kategori])).toEqual(
      lines.map((l) => [
        l.decisionId,
        {
          nyrapportering: 'Nyrapportering',
          aterrapportering: 'Återrapportering',
          slutrapportering: 'Slutrapportering',
        }[l.kategori],
      ]),
    );
    const byId = new Map(rows.map((r) => [r['Beslut-id'], r]));
    expect(byId.get('ny1')).toMatchObject({
      'IVO-id': '19800101-T123',
      Namn: 'Åsa Öberg',
      Insats: 'Daglig verksamhet',
      'Datum för beslut eller avbrott': '2026-01-15',
      Status: 'Ej verkställt',
      'Inlämnad till IVO': 'Ja',
      Inlämnad: '2026-07-03',
      'Inlämnad av': 'rapportorLss',
      Individrapport: 'Inlämnad',
      'Att rätta': '',
      'Flik 1: Nämnd': 'Vård- och omsorgsnämnden',
      'Flik 3: Förnamn': 'Åsa',
      'Flik 3: Personnummer': '19800101-9804',
      'Flik 4: Huvudsakligt skäl': 'Den enskilde har tackat nej',
      'Flik 4: Datum för erbjudandet': '2026-02-10',
      'Flik 4: Datum för verkställighet eller avslut': '',
    });
    expect(byId.get('ny1')?.['Dagar väntat']).toBe(String(lines[0]!.daysWaited));
    expect(byId.get('ny1')?.['Flik 4: Övrigt av vikt för IVO:s handläggning']).toContain(
      '2026-03-20: Uppföljningssamtal med God man: Vill vänta på en plats närmare hemmet; önskar Ängsbacken.',
    );
    const protectedRow = byId.get('ater1')!;
    expect(protectedRow).toMatchObject({
      Namn: 'Skyddad identitet',
      'Skyddade personuppgifter': 'Ja',
      'Flik 3: Förnamn': 'Skyddad',
      'Flik 3: Personnummer': '19750505-T010',
      Individrapport: 'Utkast',
      'Inlämnad till IVO': 'Nej',
    });
    expect(protectedRow['Att rätta']).toMatch(/^Huvudsakligt skäl: /);
    // A text that reads like a formula is kept inert for the spreadsheet.
    expect(protectedRow['Flik 4: Övrigt av vikt för IVO:s handläggning']).toMatch(/^'=HYPERLINK/);
    expect(csv).not.toContain('Bertil');
    expect(byId.get('slut1')).toMatchObject({
      Kategori: 'Slutrapportering',
      Statusdatum: '2026-05-10',
      'Flik 3: Förnamn': 'Łukasz',
      'Flik 3: Efternamn': 'Nguyễn',
      'Flik 4: Datum för verkställighet eller avslut': '2026-05-10',
    });
    expect(await auditOf('kvartal_csv')).toEqual([
      expect.objectContaining({
        userId: 'huvudrapportor',
        role: 'huvudrapportor',
        subjectId: '2026-Q2',
        namndId: ORG.vard,
        details: { rader: 3 },
      }),
    ]);
  });

  it('kvartal.xlsx: the same rows as a sheet, with typed dates and numbers and a frozen header', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    const response = await getExport(a, 'kvartal.xlsx', Q, cookie);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toContain(
      'filename="kvartal-2026-Q2-Vard-och-omsorgsnamnden.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Kvartal 2026-Q2']);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    expect(headers.slice(0, 4)).toEqual(['Kategori', 'Beslut-id', 'IVO-id', 'Namn']);
    expect(headers).toContain('Flik 4: Övrigt av vikt för IVO:s handläggning');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const column = (header: string) => headers.indexOf(header) + 1;
    expect(sheet.rowCount).toBe(1 + 3);
    const rows = [2, 3, 4].map((n) => sheet.getRow(n));
    expect(rows.map((r) => r.getCell(column('Beslut-id')).value)).toEqual([
      'ny1',
      'ater1',
      'slut1',
    ]);
    const ny = rows[0]!;
    expect(ny.getCell(column('Datum för beslut eller avbrott')).value).toEqual(
      new Date('2026-01-15T00:00:00Z'),
    );
    expect(ny.getCell(column('Datum för beslut eller avbrott')).numFmt).toBe('yyyy-mm-dd');
    expect(typeof ny.getCell(column('Dagar väntat')).value).toBe('number');
    expect(ny.getCell(column('Inlämnad')).value).toEqual(new Date('2026-07-03T00:00:00Z'));
    expect(ny.getCell(column('Flik 3: Efternamn')).value).toBe('Öberg');
    // A formula-like text is kept inert as in the CSV: a cell edited in Excel stays text.
    expect(rows[1]!.getCell(column('Flik 4: Övrigt av vikt för IVO:s handläggning')).value).toBe(
      `'=HYPERLINK("http://example.test")`,
    );
    expect(rows[1]!.getCell(column('Namn')).value).toBe('Skyddad identitet');
    expect(rows[2]!.getCell(column('Flik 3: Förnamn')).value).toBe('Łukasz');
    expect(sheet.getColumn(column('Flik 4: Övrigt av vikt för IVO:s handläggning')).width).toBe(80);
    expect((await auditOf('kvartal_xlsx')).map((r) => r.userId)).toEqual(['rapportorLss']);
  });

  it('refuses nobody signed in (401), utförare and other roles (403), another nämnd’s rapportör (403)', async () => {
    const a = appOn(database);
    const routes = [
      ['individrapport.pdf', line('ny1', '2026-01-15')],
      ['kvartal.pdf', Q],
      ['kvartal.csv', Q],
      ['kvartal.xlsx', Q],
    ] as const;
    const cookies = {
      utforareA: await signIn(a, 'utforareA'),
      handlaggare1: await signIn(a, 'handlaggare1'),
      rapportorSocial: await signIn(a, 'rapportorSocial'),
    };
    for (const [route, query] of routes) {
      const anonymous = await getExport(a, route, query);
      expect(anonymous.status, route).toBe(401);
      expect(anonymous.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await anonymous.text()).toBe('Du är inte inloggad.');
      const utforare = await getExport(a, route, query, cookies.utforareA);
      expect(utforare.status, route).toBe(403);
      expect(await utforare.text()).not.toBe('');
      expect((await getExport(a, route, query, cookies.handlaggare1)).status, route).toBe(403);
      const other = await getExport(a, route, query, cookies.rapportorSocial);
      expect(other.status, route).toBe(403);
      expect(await other.text()).toBe('Du rapporterar inte för den nämnden.');
    }
    // No file was made, so none is audited.
    for (const action of ['individrapport_pdf', 'kvartal_pdf', 'kvartal_csv', 'kvartal_xlsx']) {
      expect(await auditOf(action)).toEqual([]);
    }
  });

  it('exports.quarter gives each line the report reports.get gives: filed, edited, and built on an earlier filing', async () => {
    // A fourth line, filed last quarter: in Q2 its återrapportering builds on that copy.
    await insertPerson(database.db, { id: 'p4', fornamn: 'Örjan', efternamn: 'Ärlig' });
    await insertDecision(database.db, {
      id: 'ater2',
      personId: 'p4',
      insats: 'LSS_9_8',
      beslutsdatum: '2025-09-01',
    });
    await insertEvents(database.db, [
      {
        id: 'e6',
        decisionId: 'ater2',
        type: 'skal',
        date: '2026-02-01',
        skal: 'hos_kommunen',
        orsak: 'personal',
      },
    ]);
    const inApril = await callerFor(database, 'rapportorLss', fixedClock('2026-04-10T10:00:00Z'));
    await inApril.reports.file({
      namndId: ORG.vard,
      quarter: { year: 2026, quarter: 1 },
      decisionId: 'ater2',
      episodeStart: '2025-09-01',
      filedOn: '2026-04-10',
    });

    const caller = await callerFor(database, 'huvudrapportor', fixedClock(`${TODAY}T10:00:00Z`));
    const exported = await caller.exports.quarter({ namndId: ORG.vard, quarter: Q2 });
    expect(exported).toMatchObject({
      namndNamn: 'Vård- och omsorgsnämnden',
      quarterKey: '2026-Q2',
      referenceDate: '2026-06-30',
      window: { opens: '2026-07-01', closes: '2026-08-31' },
      counts: { nyrapportering: 1, aterrapportering: 2, slutrapportering: 1 },
    });
    const views = new Map<string, Awaited<ReturnType<typeof caller.reports.get>>>();
    for (const report of exported.reports) {
      const view = await caller.reports.get({
        namndId: ORG.vard,
        quarter: Q2,
        decisionId: report.line.decisionId,
        episodeStart: report.line.episode.start,
      });
      views.set(report.line.decisionId, view);
      expect(report.line).toEqual(view.line);
      expect(report.locked).toEqual(view.locked);
      expect(report.previous?.filedOn ?? null).toBe(view.previous?.filedOn ?? null);
      expect(report.filing?.filedBy ?? null).toEqual(view.filing?.filedBy ?? null);
      if (view.filing) {
        expect(report).toMatchObject({ state: 'inlamnad', findings: [] });
        expect(report.draft).toEqual(view.filing.snapshot.draft);
        expect(report.text).toBe(view.filing.snapshot.text);
      } else {
        expect(report).toMatchObject({ state: 'utkast', draft: view.draft, text: view.text });
        expect(report.findings).toEqual(view.findings);
      }
    }
    expect(exported.reports.map((r) => [r.line.decisionId, r.state])).toEqual([
      ['ny1', 'inlamnad'],
      ['ater1', 'utkast'],
      ['ater2', 'utkast'],
      ['slut1', 'utkast'],
    ]);
    // The saved change is in the draft, and the earlier filing's fields are locked and carried.
    const byId = new Map(exported.reports.map((r) => [r.line.decisionId, r]));
    expect(byId.get('ater1')?.draft.ovrigt).toBe('=HYPERLINK("http://example.test")');
    expect(byId.get('ater2')).toMatchObject({
      previous: { quarter: '2026-Q1', quarterLabel: 'kvartal 1 2026', filedOn: '2026-04-10' },
      draft: { rapporttyp: 'ater', fornamn: 'Örjan', skal: 'hos_kommunen', orsak: 'personal' },
    });
    expect(byId.get('ater2')?.locked).toContain('personnummer');
    expect(views.get('ater2')?.previous?.quarter).toBe('2026-Q1');
    // On paper the earlier filing's date is written out, like every date in the running text.
    const a = appOn(database);
    const pdf = await getExport(
      a,
      'individrapport.pdf',
      line('ater2', '2025-09-01'),
      await signIn(a, 'huvudrapportor'),
    );
    expect((await pdfText(await bytesOf(pdf))).join('\n')).toContain(
      'Tidigare rapport Kvartal 1 2026, inlämnad 10 april 2026',
    );
  });

  it('exports.quarter reads no notes (anteckning), and its reports are still reports.get’s, which reads every event', async () => {
    const NOTE = 'Anteckning: ringde god man, inget nytt';
    await insertEvents(database.db, [
      { id: 'n1', decisionId: 'ater1', type: 'anteckning', date: '2025-08-15', text: NOTE },
      { id: 'n2', decisionId: 'ater1', type: 'anteckning', date: '2026-04-02', text: NOTE },
      { id: 'n3', decisionId: 'slut1', type: 'anteckning', date: '2026-04-20', text: NOTE },
      // After the execution: a note is all that may still be logged.
      { id: 'n4', decisionId: 'slut1', type: 'anteckning', date: '2026-05-20', text: NOTE },
    ]);
    const caller = await callerFor(database, 'huvudrapportor', fixedClock(`${TODAY}T10:00:00Z`));
    const exported = await caller.exports.quarter({ namndId: ORG.vard, quarter: Q2 });
    expect(exported.reports.map((r) => r.line.decisionId)).toEqual(['ny1', 'ater1', 'slut1']);
    for (const report of exported.reports) {
      const view = await caller.reports.get({
        namndId: ORG.vard,
        quarter: Q2,
        decisionId: report.line.decisionId,
        episodeStart: report.line.episode.start,
      });
      expect(report.line).toEqual(view.line);
      expect(report.locked).toEqual(view.locked);
      if (view.filing) {
        expect(report.draft).toEqual(view.filing.snapshot.draft);
      } else {
        expect({ draft: report.draft, text: report.text, findings: report.findings }).toEqual({
          draft: view.draft,
          text: view.text,
          findings: view.findings,
        });
      }
      expect(report.text).not.toContain('ringde god man');
    }
  });

  it('answers an unknown line 404 and bad parameters 400, naming the field in Swedish', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    // Another nämnd's decision looks exactly like an unknown one.
    for (const query of [
      line('saknas', '2026-01-15'),
      line('ny1', '2026-01-16'),
      `namndId=${ORG.vard}&quarter=2026-Q2&decisionId=social1&episodeStart=2026-01-10`,
    ]) {
      const response = await getExport(a, 'individrapport.pdf', query, cookie);
      expect(response.status, query).toBe(404);
      expect(await response.text()).toMatch(/finns inte eller så saknar du behörighet\.$/);
    }
    const noDate = await getExport(a, 'individrapport.pdf', `${Q}&decisionId=ny1`, cookie);
    expect(noDate.status).toBe(400);
    expect(await noDate.text()).toBe('episodeStart: Ange ett datum (ÅÅÅÅ-MM-DD)');
    const badDate = await getExport(a, 'individrapport.pdf', line('ny1', '2026-02-30'), cookie);
    expect(await badDate.text()).toBe('episodeStart: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD');
    const noDecision = await getExport(
      a,
      'individrapport.pdf',
      `${Q}&episodeStart=2026-01-15`,
      cookie,
    );
    expect(await noDecision.text()).toBe('decisionId: Beslutets id saknas');
    for (const route of ['kvartal.pdf', 'kvartal.csv', 'kvartal.xlsx']) {
      const badQuarter = await getExport(a, route, `namndId=${ORG.vard}&quarter=2026-5`, cookie);
      expect(badQuarter.status).toBe(400);
      expect(await badQuarter.text()).toBe('quarter: Ange kvartal som 2026-Q2');
      const noNamnd = await getExport(a, route, 'quarter=2026-Q2', cookie);
      expect(await noNamnd.text()).toBe('namndId: Välj nämnd');
      const oldYear = await getExport(a, route, `namndId=${ORG.vard}&quarter=1500-Q1`, cookie);
      expect(oldYear.status).toBe(400);
      expect(await oldYear.text()).toBe('quarter.year: Året ska vara 1990 eller senare');
    }
  });
});

/**
 * The CSV as a strict, independent reader sees it: Python's csv module (semicolons, RFC 4180
 * quoting, strict), every record a list of cells. python3 must be installed (CI installs it).
 */
function readCsvWithPython(bytes: Uint8Array): string[][] {
  const dir = mkdtempSync(path.join(tmpdir(), 'evb-csv-'));
  try {
    const file = path.join(dir, 'kvartal.csv');
    writeFileSync(file, bytes);
    const script = [
      'import csv, json, sys',
      "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:",
      "    rows = list(csv.reader(f, delimiter=';', quotechar='\"', doublequote=True, strict=True))",
      'json.dump(rows, sys.stdout, ensure_ascii=False)',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script, file], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (result.error) {
      throw new Error(
        `This test reads the CSV back with Python's csv module: install python3 (${result.error.message})`,
      );
    }
    if (result.status !== 0) throw new Error(`python3 could not read the CSV:\n${result.stderr}`);
    return JSON.parse(result.stdout) as string[][];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the quarter’s exports with hostile and old texts', () => {
  const database = useTestDatabase();
  const Q = `namndId=${ORG.vard}&quarter=2026-Q2`;
  const OVRIGT = [
    'Rad ett; med semikolon och "citat"',
    'Rad två efter en radbrytning',
    '=SUM(1+2) på en egen rad\r\nRad fyra efter CRLF\rRad fem efter CR',
  ].join('\n');
  const LONG_WORD = 'x'.repeat(100_000);

  beforeEach(async () => {
    // A person whose name a spreadsheet would run, with a draft of tricky but valid texts.
    await insertPerson(database.db, {
      id: 'h1',
      fornamn: '@SUM(1+1)',
      efternamn: '-2+3',
      ivoId: '19800101-T124',
    });
    await insertDecision(database.db, {
      id: 'hostile1',
      personId: 'h1',
      insats: 'LSS_9_10',
      beslutsdatum: '2026-01-20',
    });
    const rapportor = await callerFor(database, 'rapportorLss', fixedClock(`${TODAY}T09:00:00Z`));
    await rapportor.reports.saveDraft({
      namndId: ORG.vard,
      quarter: Q2,
      decisionId: 'hostile1',
      episodeStart: '2026-01-20',
      draft: {
        ovrigt: OVRIGT,
        skal: 'hos_den_enskilde',
        orsak: 'annat',
        orsakText: '+46 70 123 45 67',
        delvisVerkstalld: true,
        delvisDatum: '2026-03-01',
        // Only a bare line feed: the break csv-stringify does not quote by itself.
        delvisText: '-2 av 5 timmar\nresten från augusti',
      },
    });
    // A draft saved before the limits: a 100 000-character word and texts in date fields.
    await insertPerson(database.db, { id: 'o1', fornamn: 'Olle', efternamn: 'Gammal' });
    await insertDecision(database.db, {
      id: 'old1',
      personId: 'o1',
      insats: 'LSS_9_10',
      beslutsdatum: '2026-01-25',
    });
    await saveIndividrapportDraft(
      database.db,
      { decisionId: 'old1', episodeStart: '2026-01-25', quarter: '2026-Q2' },
      {
        ovrigt: LONG_WORD,
        skal: 'tackat_nej',
        orsak: 'geografiskt_lage',
        erbjudandedatum: '=1+1',
        delvisVerkstalld: true,
        delvisDatum: '@2026',
        delvisText: '\tTabb först',
      },
      'rapportorLss',
    );
  });

  it('kvartal.csv: a strict reader finds every record whole, texts unchanged, formulas inert', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    const response = await getExport(a, 'kvartal.csv', Q, cookie);
    expect(response.status).toBe(200);
    const [header, ...records] = readCsvWithPython(await bytesOf(response));
    expect(header![0]).toBe('Kategori');
    // One record per line of the quarter, each with the header's number of cells.
    expect(records.map((r) => r.length)).toEqual(records.map(() => header!.length));
    const at = (record: string[], name: string) => record[header!.indexOf(name)];
    const byId = new Map(records.map((r) => [at(r, 'Beslut-id'), r]));
    expect([...byId.keys()].sort()).toEqual(['hostile1', 'old1']);

    const hostile = byId.get('hostile1')!;
    // Line breaks of every kind, semicolons and quotes come back as written.
    expect(at(hostile, 'Flik 4: Övrigt av vikt för IVO:s handläggning')).toBe(OVRIGT);
    expect(at(hostile, 'Namn')).toBe("'@SUM(1+1) -2+3");
    expect(at(hostile, 'Flik 3: Förnamn')).toBe("'@SUM(1+1)");
    expect(at(hostile, 'Flik 3: Efternamn')).toBe("'-2+3");
    expect(at(hostile, 'Flik 4: Innebörden av annan orsak')).toBe("'+46 70 123 45 67");
    expect(at(hostile, 'Flik 4: Hur insatsen delvis har verkställts')).toBe(
      "'-2 av 5 timmar\nresten från augusti",
    );
    expect(at(hostile, 'Flik 4: Datum för delvis verkställighet')).toBe('2026-03-01');

    // The old draft: shown as it is, neutralised in the date columns too, and named to correct.
    const old = byId.get('old1')!;
    expect(at(old, 'Flik 4: Datum för erbjudandet')).toBe("'=1+1");
    expect(at(old, 'Flik 4: Datum för delvis verkställighet')).toBe("'@2026");
    expect(at(old, 'Flik 4: Hur insatsen delvis har verkställts')).toBe("'\tTabb först");
    expect(at(old, 'Flik 4: Övrigt av vikt för IVO:s handläggning')).toBe(LONG_WORD);
    expect(at(old, 'Att rätta')).toContain(
      'Övrigt av vikt för IVO:s handläggning: Texten får vara högst 4 000 tecken; nu 100 000',
    );
    expect(at(old, 'Att rätta')).toContain(
      'Datum för erbjudandet: Ange ett giltigt datum i formen ÅÅÅÅ-MM-DD',
    );
    // No cell of any record starts as a formula.
    for (const record of records) {
      for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('kvartal.xlsx: formula-like cells inert whatever the column, a non-date as text, never NaN', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    const response = await getExport(a, 'kvartal.xlsx', Q, cookie);
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const column = (header: string) => headers.indexOf(header) + 1;
    const rows = new Map<unknown, ExcelJS.Row>();
    sheet.eachRow((row, n) => {
      if (n > 1) rows.set(row.getCell(column('Beslut-id')).value, row);
    });
    const hostile = rows.get('hostile1')!;
    expect(hostile.getCell(column('Namn')).value).toBe("'@SUM(1+1) -2+3");
    // A cell's line breaks are Excel's "\n" (XML keeps no lone carriage return).
    expect(hostile.getCell(column('Flik 4: Övrigt av vikt för IVO:s handläggning')).value).toBe(
      OVRIGT.replace(/\r\n?/g, '\n'),
    );
    expect(hostile.getCell(column('Flik 4: Datum för delvis verkställighet')).value).toEqual(
      new Date('2026-03-01T00:00:00Z'),
    );
    const old = rows.get('old1')!;
    expect(old.getCell(column('Flik 4: Datum för erbjudandet')).value).toBe("'=1+1");
    expect(old.getCell(column('Flik 4: Datum för delvis verkställighet')).value).toBe("'@2026");
    // Cut at what an Excel cell holds (32 767 characters); the CSV has it whole.
    expect(old.getCell(column('Flik 4: Övrigt av vikt för IVO:s handläggning')).value).toBe(
      `${LONG_WORD.slice(0, 32_766)}…`,
    );
    // Every cell is a finite number, a real date or a text that does not start as a formula.
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      row.eachCell((cell) => {
        const value = cell.value;
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
        else if (value instanceof Date) expect(Number.isNaN(value.getTime())).toBe(false);
        else expect(String(value)).not.toMatch(/^[=+\-@\t\r]/);
      });
    });
  });

  it('the PDFs of an old draft: its texts shown to their maximum, what to correct named', async () => {
    const a = appOn(database);
    const cookie = await signIn(a, 'rapportorLss');
    const one = await getExport(
      a,
      'individrapport.pdf',
      `${Q}&decisionId=old1&episodeStart=2026-01-25`,
      cookie,
    );
    expect(one.status).toBe(200);
    const text = (await pdfText(await bytesOf(one))).join('\n');
    expect(text).toContain('förkortad här: texten har 100 000 tecken');
    expect(text).toContain('Att rätta: Texten får vara högst 4 000 tecken; nu 100 000');
    expect(text).toContain('Datum för erbjudandet =1+1 Att rätta: Ange ett giltigt datum');
    // The word is cut into lines, not lost: 4 000 characters of it are printed.
    expect(text.replace(/[^x]/g, '').length).toBeGreaterThanOrEqual(4000);
    const quarter = await getExport(a, 'kvartal.pdf', Q, cookie);
    expect(quarter.status).toBe(200);
    expect((await pdfText(await bytesOf(quarter))).join('\n')).toContain(
      'förkortad här: texten har 100 000 tecken',
    );
  });
});

describe('the quarter’s exports on the demo kommun', () => {
  const today = '2026-11-22';
  const database = useTestDatabase({ reset: 'once', fixture: false });
  beforeAll(async () => {
    await seedDemoIfEmpty(database.db, today);
  });

  it('build every line’s report in bulk exactly as reports.get builds it, and the files hold every line', async () => {
    const grant = await database.db
      .selectFrom('userRole')
      .innerJoin('appUser', 'appUser.id', 'userRole.userId')
      .select(['userRole.userId', 'userRole.namndId', 'appUser.username'])
      .where('userRole.role', '=', 'huvudrapportor')
      .orderBy('userRole.namndId')
      .executeTakeFirstOrThrow();
    const namndId = grant.namndId!;
    const caller = await callerFor(database, grant.userId, fixedClock(`${today}T10:00:00Z`));
    let compared = 0;
    for (const quarter of [addQuarters(quarterOf(today), -1), quarterOf(today)]) {
      const exported = await caller.exports.quarter({ namndId, quarter });
      const { lines, counts } = await caller.quarter.lines({ namndId, quarter });
      expect(exported.reports.map((r) => r.line)).toEqual(lines);
      expect(exported.counts).toEqual(counts);
      for (const report of exported.reports) {
        const view = await caller.reports.get({
          namndId,
          quarter,
          decisionId: report.line.decisionId,
          episodeStart: report.line.episode.start,
        });
        expect(report.locked).toEqual(view.locked);
        if (view.filing) {
          expect(report.state).toBe('inlamnad');
          expect(report.draft).toEqual(view.filing.snapshot.draft);
        } else {
          expect(report.state).toBe('utkast');
          expect(report.draft).toEqual(view.draft);
          expect(report.findings).toEqual(view.findings);
          expect(report.text).toEqual(view.text);
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);

    // The files of the current quarter over HTTP: every line in each.
    const a = appOn(database, today);
    const cookie = await signIn(a, grant.username, DEMO_PASSWORD);
    const key = quarterOf(today);
    const query = `namndId=${namndId}&quarter=${key.year}-Q${key.quarter}`;
    const { lines } = await caller.quarter.lines({ namndId, quarter: key });
    const csv = await getExport(a, 'kvartal.csv', query, cookie);
    expect(csv.status).toBe(200);
    const rows: Record<string, string>[] = parse(await csv.text(), {
      bom: true,
      delimiter: ';',
      columns: true,
    });
    expect(rows.map((r) => r['Beslut-id'])).toEqual(lines.map((l) => l.decisionId));
    const pdf = await getExport(a, 'kvartal.pdf', query, cookie);
    expect(pdf.status).toBe(200);
    const pages = await pdfText(await bytesOf(pdf));
    expect(pages.filter((p) => p.includes('Individrapport – ej verkställt beslut'))).toHaveLength(
      lines.length,
    );
  });
});
