import { describe, expect, it } from 'vitest';
import {
  importExampleCsv,
  importTimeline,
  matchImportHeader,
  parseImportRow,
} from './case-system-import';
import {
  checkFilingImportFile,
  chooseFilingLine,
  FILING_IMPORT_COLUMNS,
  type FilingImportField,
  type FilingImportRow,
  filingImportExampleCsv,
  filingImportOrder,
  matchFilingImportHeader,
  parseFilingImportRow,
  parseFilingQuarter,
  parseRapporttyp,
} from './filing-import';
import { recordedFilingCheck } from './individrapport-filing';
import { quarterReport } from './quarter-report';
import type { CaseEvent, Decision } from './schemas';
import { episodes } from './timeline';

const TODAY = '2026-11-22';

const good: Partial<Record<FilingImportField, string>> = {
  person: '19121212-1212',
  beslutsdatum: '2026-04-01',
  insats: 'Daglig verksamhet',
  kvartal: '2026-Q3',
  rapporttyp: 'ny',
  inlamnad: '2026-10-12',
};

function parse(overrides: Partial<Record<FilingImportField, string>> = {}) {
  const cells = { ...good, ...overrides };
  return parseFilingImportRow((field) => cells[field] ?? '', TODAY);
}

function row(overrides: Partial<Record<FilingImportField, string>> = {}): FilingImportRow {
  const result = parse(overrides);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.row;
}

function issues(overrides: Partial<Record<FilingImportField, string>>) {
  const result = parse(overrides);
  if (result.ok) throw new Error('expected the row to be refused');
  return result.issues;
}

describe('matchFilingImportHeader', () => {
  it('finds the columns by name or alias whatever their case and accents', () => {
    const header = matchFilingImportHeader([
      'IVO-id',
      'Beslutsdatum',
      'Insats',
      'Rapporteringstillfälle',
      'Typ av rapport',
      'Inlamningsdatum',
      'Avbrott',
      'Handläggare',
    ]);
    expect(header.issues).toEqual([]);
    expect(header.positions).toEqual({
      person: 0,
      beslutsdatum: 1,
      insats: 2,
      kvartal: 3,
      rapporttyp: 4,
      inlamnad: 5,
      avbrottsdatum: 6,
    });
    expect(header.ignored).toEqual(['Handläggare']);
  });

  it('names every required column that is missing, and one given twice', () => {
    expect(matchFilingImportHeader(['personnummer', 'IVO-id', 'insats']).issues).toEqual([
      {
        field: 'person',
        message: 'Kolumnen "personnummer" finns två gånger (personnummer och IVO-id)',
      },
      { field: 'beslutsdatum', message: 'Kolumnen "beslutsdatum" saknas' },
      { field: 'kvartal', message: 'Kolumnen "kvartal" saknas' },
      { field: 'rapporttyp', message: 'Kolumnen "rapporttyp" saknas' },
      { field: 'inlamnad', message: 'Kolumnen "inlämnad" saknas' },
    ]);
    expect(FILING_IMPORT_COLUMNS.filter((c) => !c.required).map((c) => c.field)).toEqual([
      'avbrottsdatum',
    ]);
  });
});

describe('parseFilingQuarter and parseRapporttyp', () => {
  it('reads a quarter in the ways a kommun writes it', () => {
    for (const text of [
      '2026-Q1',
      '2026 q1',
      '2026 kv 1',
      '2026 Kv. 1',
      '2026:1',
      '2026-1',
      'kv 1 2026',
      'Q1 2026',
      'kvartal 1 2026',
      ' 2026  KV 1 ',
    ]) {
      expect(parseFilingQuarter(text), text).toEqual({ year: 2026, quarter: 1 });
    }
    for (const text of ['2026-Q5', '2026', '20261', 'kv 1', '2026-01-01', 'första kvartalet']) {
      expect(parseFilingQuarter(text), text).toBeNull();
    }
  });

  it('reads the report type short or in full', () => {
    expect(
      ['ny', 'Nyrapportering', 'åter', 'ater', 'ÅTERRAPPORTERING', 'slut', 'Slutrapportering'].map(
        parseRapporttyp,
      ),
    ).toEqual(['ny', 'ny', 'ater', 'ater', 'ater', 'slut', 'slut']);
    expect(parseRapporttyp('kvartalsrapport')).toBeUndefined();
  });
});

describe('parseFilingImportRow', () => {
  it('reads a good row: a personnummer without dash, the insats code, the quarter', () => {
    expect(parse()).toEqual({
      ok: true,
      row: {
        person: { typ: 'personnummer', personnummer: '191212121212' },
        beslutsdatum: '2026-04-01',
        insats: 'LSS_9_10',
        avbrottsdatum: null,
        quarter: { year: 2026, quarter: 3 },
        rapporttyp: 'ny',
        inlamnad: '2026-10-12',
      },
    });
  });

  it('reads the person by IVO pseudo-id, with or without the dash, and refuses one that is not', () => {
    expect(row({ person: '19800101-T123' }).person).toEqual({
      typ: 'ivoId',
      ivoId: '19800101-T123',
    });
    expect(row({ person: '19800101tf10' }).person).toEqual({
      typ: 'ivoId',
      ivoId: '19800101-TF10',
    });
    expect(issues({ person: '19800230-T123' })).toEqual([
      {
        field: 'person',
        message: 'Ogiltigt IVO-id "19800230-T123": skriv ÅÅÅÅMMDD-T123 eller ÅÅÅÅMMDD-TF12',
      },
    ]);
    expect(issues({ person: '121212-1212' })).toEqual([
      { field: 'person', message: 'Skriv numret med 12 siffror: ÅÅÅÅMMDD-NNNN' },
    ]);
    expect(issues({ person: '19121212-1213' })[0]).toMatchObject({
      field: 'person',
      message: expect.stringMatching(/^Ogiltigt personnummer/),
    });
    expect(issues({ person: '' })).toEqual([
      { field: 'person', message: 'Ange personnummer eller IVO-id' },
    ]);
  });

  it('refuses dates that are no real day, in the future, or before the decision', () => {
    expect(issues({ inlamnad: '2026-11-23' })).toEqual([
      { field: 'inlamnad', message: 'Inlämningsdatum 2026-11-23 ligger i framtiden' },
    ]);
    expect(issues({ inlamnad: '2026-03-31' })).toEqual([
      { field: 'inlamnad', message: 'Inlämningsdatum 2026-03-31 är före beslutsdatum 2026-04-01' },
    ]);
    expect(issues({ beslutsdatum: '2026-02-30' })).toEqual([
      { field: 'beslutsdatum', message: 'Ogiltigt datum "2026-02-30": skriv ÅÅÅÅ-MM-DD' },
    ]);
    expect(issues({ avbrottsdatum: '2026-03-01' })).toEqual([
      {
        field: 'avbrottsdatum',
        message: 'Avbrottsdatum 2026-03-01 är före beslutsdatum 2026-04-01',
      },
    ]);
    expect(issues({ kvartal: '2026 kv 1' })).toEqual([
      { field: 'kvartal', message: '2026 kv 1 slutade före beslutsdatum 2026-04-01' },
    ]);
    expect(row({ avbrottsdatum: '2026-06-01' }).avbrottsdatum).toBe('2026-06-01');
  });

  it('names every value that is missing or unknown, each once', () => {
    const result = parseFilingImportRow(() => '', TODAY);
    expect(result.ok ? [] : result.issues.map((i) => i.field)).toEqual([
      'person',
      'beslutsdatum',
      'insats',
      'kvartal',
      'rapporttyp',
      'inlamnad',
    ]);
    expect(issues({ rapporttyp: 'kvartal' })).toEqual([
      { field: 'rapporttyp', message: 'Okänd rapporttyp "kvartal": skriv ny, åter eller slut' },
    ]);
    expect(issues({ kvartal: 'hösten' })).toEqual([
      {
        field: 'kvartal',
        message: 'Okänt kvartal "hösten": skriv t.ex. 2026-Q1, 2026 kv 1 eller 2026:1',
      },
    ]);
    expect(issues({ insats: 'Simskola' })[0]).toMatchObject({ field: 'insats' });
  });
});

describe('checkFilingImportFile and filingImportOrder', () => {
  it('refuses the same line and quarter twice, and records by quarter whatever the file order', () => {
    const a = row();
    const rows = [
      { line: 2, row: row({ kvartal: '2026 kv 4', rapporttyp: 'åter' }) },
      { line: 3, row: a },
      { line: 4, row: row({ kvartal: '2026:3' }) },
      { line: 5, row: row({ avbrottsdatum: '2026-06-01' }) },
    ];
    expect(Object.fromEntries(checkFilingImportFile(rows))).toEqual({
      4: [{ field: 'kvartal', message: 'Samma inlämning (beslut, kvartal) finns redan på rad 3' }],
    });
    expect(filingImportOrder(rows).map((r) => r.line)).toEqual([3, 4, 5, 2]);
  });
});

describe('chooseFilingLine', () => {
  const decision: Decision = {
    id: 'd',
    lagrum: 'LSS',
    insats: 'LSS_9_10',
    beslutsdatum: '2026-01-05',
  };
  // Executed 2026-02-01 (within three months), interrupted 2026-03-01, executed again 2026-07-15:
  // the interruption is new in kv 2 and ends in kv 3 (its slutrapportering).
  const events: CaseEvent[] = [
    { id: 'e1', decisionId: 'd', type: 'verkstalld', date: '2026-02-01' },
    { id: 'e2', decisionId: 'd', type: 'avbrott', date: '2026-03-01' },
    { id: 'e3', decisionId: 'd', type: 'verkstalld', date: '2026-07-15' },
  ];
  const linesOf = (quarter: 1 | 2 | 3 | 4) =>
    quarterReport(decision, events, { year: 2026, quarter });
  const interrupted = (date: string) => episodes(decision, events).some((e) => e.start === date);

  it("finds the interruption's line by its date, and the type recorded", () => {
    const kv2 = chooseFilingLine(
      row({ beslutsdatum: '2026-01-05', avbrottsdatum: '2026-03-01', kvartal: '2026 kv 2' }),
      linesOf(2),
      interrupted('2026-03-01'),
    );
    expect(kv2).toMatchObject({ ok: true, report: 'ny', line: { episode: { kind: 'avbrott' } } });
    // A slutrapportering in kv 3 is recorded as the återrapportering the schedule gives.
    const kv3 = chooseFilingLine(
      row({
        beslutsdatum: '2026-01-05',
        avbrottsdatum: '2026-03-01',
        kvartal: '2026 kv 3',
        rapporttyp: 'slut',
      }),
      linesOf(3),
      true,
    );
    expect(kv3).toMatchObject({ ok: true, report: 'ater', line: { status: 'verkstalld' } });
  });

  it('refuses a line the decision does not have, an interruption it never had, and slut while still waiting', () => {
    expect(
      chooseFilingLine(
        row({ beslutsdatum: '2026-01-05', kvartal: '2026 kv 2' }),
        linesOf(2),
        false,
      ),
    ).toEqual({
      ok: false,
      field: 'kvartal',
      message:
        'Beslutet har ingen rapportrad för 2026 kv 2 (raden för avbrottet 2026-03-01 anges med avbrottsdatum)',
    });
    expect(
      chooseFilingLine(
        row({ beslutsdatum: '2026-01-05', avbrottsdatum: '2026-03-01', kvartal: '2026 kv 1' }),
        linesOf(1),
        true,
      ),
    ).toEqual({
      ok: false,
      field: 'kvartal',
      message: 'Beslutet har ingen rapportrad för avbrottet 2026-03-01 för 2026 kv 1',
    });
    expect(
      chooseFilingLine(
        row({ beslutsdatum: '2026-01-05', avbrottsdatum: '2026-03-02', kvartal: '2026 kv 2' }),
        linesOf(2),
        interrupted('2026-03-02'),
      ),
    ).toEqual({
      ok: false,
      field: 'avbrottsdatum',
      message: 'Beslutet har inget avbrott 2026-03-02',
    });
    expect(
      chooseFilingLine(
        row({
          beslutsdatum: '2026-01-05',
          avbrottsdatum: '2026-03-01',
          kvartal: '2026 kv 2',
          rapporttyp: 'slut',
        }),
        linesOf(2),
        true,
      ),
    ).toEqual({
      ok: false,
      field: 'rapporttyp',
      message:
        'Beslutet var varken verkställt eller avslutat när 2026 kv 2 slutade; en slutrapportering kan inte ha lämnats för kvartalet',
    });
  });
});

describe('filingImportExampleCsv', () => {
  it("is the documented columns, and every row is a filing the decision import's example can record", () => {
    // The decision import's example, as its events.
    const decisionLines = importExampleCsv({ handlaggare: 'h' }).trimEnd().split('\r\n');
    const decisionHeader = matchImportHeader(decisionLines[0]!.split(';'));
    const decisions = decisionLines.slice(1).map((l, i) => {
      const cells = l.split(';');
      const parsed = parseImportRow((f) => cells[decisionHeader.positions[f]!] ?? '', TODAY);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const decision: Decision = {
        id: `d${i}`,
        lagrum: parsed.row.lagrum,
        insats: parsed.row.insats,
        beslutsdatum: parsed.row.beslutsdatum,
      };
      const events = importTimeline(parsed.row).map(
        ({ field: _, ...e }, j) =>
          ({ ...e, id: `e${i}-${j}`, decisionId: decision.id }) as CaseEvent,
      );
      return { decision, events, personnummer: parsed.row.person };
    });

    const lines = filingImportExampleCsv().trimEnd().split('\r\n');
    expect(lines[0]!.split(';')).toEqual(FILING_IMPORT_COLUMNS.map((c) => c.header));
    const header = matchFilingImportHeader(lines[0]!.split(';'));
    const rows = lines.slice(1).map((l) => {
      const cells = l.split(';');
      const parsed = parseFilingImportRow((f) => cells[header.positions[f]!] ?? '', TODAY);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      return parsed.row;
    });
    expect(rows).toHaveLength(2);
    for (const filing of rows) {
      const matches = decisions.filter(
        (d) =>
          d.personnummer.typ !== 'saknas' &&
          filing.person.typ === 'personnummer' &&
          d.personnummer.personnummer === filing.person.personnummer &&
          d.decision.beslutsdatum === filing.beslutsdatum &&
          d.decision.insats === filing.insats,
      );
      expect(matches).toHaveLength(1);
      const { decision, events } = matches[0]!;
      const choice = chooseFilingLine(
        filing,
        quarterReport(decision, events, filing.quarter),
        episodes(decision, events).some((e) => e.start === filing.avbrottsdatum),
      );
      if (!choice.ok) throw new Error(choice.message);
      expect(
        recordedFilingCheck({
          line: choice.line,
          quarter: filing.quarter,
          filedOn: filing.inlamnad,
          today: TODAY,
          report: choice.report,
          earlierFiled: false,
        }),
      ).toEqual({ ok: true });
    }
  });
});
