import {
  EARLIEST_CASE_YEAR,
  type IsoDate,
  isCaseDate,
  isIsoDate,
  LATEST_CASE_YEAR,
} from './calendar/dates';
import { compareQuarters, type Quarter, quarterBounds, quarterKey } from './calendar/quarters';
import { findImportInsats, IMPORT_LIMITS } from './case-system-import';
import { type CsvColumn, type CsvHeader, type CsvIssue, headerMatcher } from './csv-columns';
import { isValidPersonnummer, ivoIdSex } from './identity';
import type { ReportLine } from './quarter-report';

/*
 * Importing the kommun's earlier filings with IVO (individrapporter sent in IVO's e-tjänst before
 * the kommun used evb, or beside it) from a CSV file: the columns, and the rules for one row and
 * for the file that need nothing but the row and today's date. What needs the database — the
 * decision the row names, its report line in the quarter, and the recording rule — the server
 * checks; both end in the same kind of refusal, so a dry run lists every row it would refuse.
 *
 * Rules decided here (domain.md says what a recorded filing is, not how a file of them reads):
 * - A row is one filing: one report line (a decision's waiting episode) in one quarter.
 * - The person is named by personnummer or samordningsnummer (12 digits), or by the IVO pseudo-id
 *   evb has given them (`YYYYMMDD-T123`, `YYYYMMDD-TF12`), in one column. The decision is the one
 *   of that person with that beslutsdatum and insats in the nämnd.
 * - `avbrottsdatum` names the episode that began with an interruption on that day; empty means the
 *   episode that began with the decision.
 * - The quarter is written `2026-Q1`, `2026 kv 1`, `2026:1` (also `kv 1 2026`, `kvartal 1 2026`).
 * - The report type is `ny`, `åter` or `slut` (also nyrapportering, återrapportering,
 *   slutrapportering). `slut` is the report of an episode executed or closed by the quarter's end:
 *   sent as the type the schedule gives the line (återrapportering, or nyrapportering when the
 *   episode became overdue and ended in the same quarter, seed 003).
 * - The same line and quarter twice in a file: the second is refused.
 */

export type FilingImportField =
  | 'person'
  | 'beslutsdatum'
  | 'insats'
  | 'avbrottsdatum'
  | 'kvartal'
  | 'rapporttyp'
  | 'inlamnad';

export type FilingImportColumn = CsvColumn<FilingImportField>;

/** The filings import's columns, in the order of the example file. */
export const FILING_IMPORT_COLUMNS: readonly FilingImportColumn[] = [
  {
    field: 'person',
    header: 'personnummer',
    aliases: [
      'ivo-id',
      'ivo id',
      'pseudo-id',
      'personnummer eller ivo-id',
      'samordningsnummer',
      'personnr',
    ],
    required: true,
    description:
      'Personnummer eller samordningsnummer med 12 siffror (ÅÅÅÅMMDD-NNNN), eller IVO-id:t som personen har i evb (ÅÅÅÅMMDD-T123).',
  },
  {
    field: 'beslutsdatum',
    header: 'beslutsdatum',
    aliases: [],
    required: true,
    description: 'Beslutets datum, ÅÅÅÅ-MM-DD.',
  },
  {
    field: 'insats',
    header: 'insats',
    aliases: ['bistånd/insats', 'insatstyp'],
    required: true,
    description:
      'Insatsens kod (t.ex. LSS_9_10) eller IVO:s benämning (t.ex. Daglig verksamhet). Personen, beslutsdatum och insatsen ska peka ut ett beslut i nämnden.',
  },
  {
    field: 'avbrottsdatum',
    header: 'avbrottsdatum',
    aliases: ['avbrott', 'datum för avbrott'],
    required: false,
    description:
      'ÅÅÅÅ-MM-DD när rapporten gällde ett avbrott: dagen då verkställigheten avbröts. Tomt när rapporten gällde beslutet.',
  },
  {
    field: 'kvartal',
    header: 'kvartal',
    aliases: ['rapporteringstillfälle', 'rapportperiod', 'period'],
    required: true,
    description: 'Kvartalet som rapporten gällde: 2026-Q1, 2026 kv 1 eller 2026:1.',
  },
  {
    field: 'rapporttyp',
    header: 'rapporttyp',
    aliases: ['typ av rapport', 'rapport', 'typ'],
    required: true,
    description:
      'ny, åter eller slut (nyrapportering, återrapportering, slutrapportering). slut är rapporten om att beslutet verkställts eller avslutats.',
  },
  {
    field: 'inlamnad',
    header: 'inlämnad',
    aliases: ['inlämningsdatum', 'datum inlämnad', 'skickad', 'inskickad', 'rapporterad'],
    required: true,
    description:
      'ÅÅÅÅ-MM-DD då rapporten skickades i IVO:s e-tjänst: inom kvartalets rapporteringsperiod, en slutrapportering tidigast den dag beslutet verkställdes eller avslutades.',
  },
];

const columnOf = new Map(FILING_IMPORT_COLUMNS.map((c) => [c.field, c]));

export function filingImportColumn(field: FilingImportField): FilingImportColumn {
  return columnOf.get(field)!;
}

/** A refusal of a column or value, before the row number is known. */
export type FilingImportIssue = CsvIssue<FilingImportField>;

export type FilingImportHeader = CsvHeader<FilingImportField>;

/** Finds the columns in the file's header row: a missing or repeated column is refused. */
export const matchFilingImportHeader = headerMatcher(FILING_IMPORT_COLUMNS);

export type FilingImportPerson =
  | { typ: 'personnummer' /** 12 digits, no dash. */; personnummer: string }
  | { typ: 'ivoId'; ivoId: string };

/** The rapporttyp as written: `slut` is an ended line's report, of the type its schedule gives. */
export type FilingImportRapporttyp = 'ny' | 'ater' | 'slut';

export type FilingImportRow = {
  person: FilingImportPerson;
  beslutsdatum: IsoDate;
  insats: string;
  /** The interruption that began the episode; null for the episode that began with the decision. */
  avbrottsdatum: IsoDate | null;
  quarter: Quarter;
  rapporttyp: FilingImportRapporttyp;
  inlamnad: IsoDate;
};

export type FilingImportRowResult =
  | { ok: true; row: FilingImportRow }
  | { ok: false; issues: FilingImportIssue[] };

/** `2026 kv 1` as the import's messages write a quarter. */
export function filingImportQuarterLabel(q: Quarter): string {
  return `${q.year} kv ${q.quarter}`;
}

/**
 * A quarter as a file may write it: `2026-Q1`, `2026 Q1`, `2026 kv 1`, `2026 kv. 1`, `2026:1`,
 * `2026-1`, `kv 1 2026`, `Q1 2026`, `kvartal 1 2026`; case and spaces do not matter. Null for
 * anything else.
 */
export function parseFilingQuarter(value: string): Quarter | null {
  const text = value.trim().toLowerCase().replace(/\s+/g, ' ');
  // Five digits in a row are no quarter anyone writes (20261 could be a typo of anything).
  if (/^\d+$/.test(text)) return null;
  const yearFirst = /^(\d{4}) ?[-:/ ]? ?(?:q|kv\.?|kvartal)? ?([1-4])$/.exec(text);
  const quarterFirst = /^(?:q|kv\.?|kvartal) ?([1-4]) ?[-:/ ]? ?(\d{4})$/.exec(text);
  const [year, quarter] = yearFirst
    ? [yearFirst[1], yearFirst[2]]
    : quarterFirst
      ? [quarterFirst[2], quarterFirst[1]]
      : [];
  if (!year || !quarter) return null;
  return { year: Number(year), quarter: Number(quarter) as Quarter['quarter'] };
}

const RAPPORTTYPER: Record<string, FilingImportRapporttyp> = {
  ny: 'ny',
  nyrapportering: 'ny',
  ater: 'ater',
  åter: 'ater',
  aterrapportering: 'ater',
  återrapportering: 'ater',
  slut: 'slut',
  slutrapportering: 'slut',
};

export function parseRapporttyp(value: string): FilingImportRapporttyp | undefined {
  return RAPPORTTYPER[value.trim().toLocaleLowerCase('sv')];
}

/**
 * Reads one row and applies the rules that need nothing else: the person's number or IVO id, real
 * dates (the filing and an interruption not after `today`, an interruption not before the
 * decision, the filing not before it), a known insats, a quarter that does not end before the
 * decision, and a known report type. Every problem of the row, one per column at most.
 */
export function parseFilingImportRow(
  cell: (field: FilingImportField) => string,
  today: IsoDate,
): FilingImportRowResult {
  const issues: FilingImportIssue[] = [];
  const refuse = (field: FilingImportField, message: string) => {
    if (!issues.some((i) => i.field === field)) issues.push({ field, message });
    return undefined;
  };
  const value = (field: FilingImportField) => cell(field).trim();
  const date = (field: FilingImportField, what: string, required: boolean) => {
    const v = value(field);
    if (!v) return required ? refuse(field, `Ange ${what}`) : undefined;
    if (!isIsoDate(v)) return refuse(field, `Ogiltigt datum "${v}": skriv ÅÅÅÅ-MM-DD`);
    if (!isCaseDate(v)) {
      return refuse(
        field,
        `Ogiltigt datum "${v}": året ska vara ${EARLIEST_CASE_YEAR}–${LATEST_CASE_YEAR}`,
      );
    }
    if (v > today) return refuse(field, `${capitalised(what)} ${v} ligger i framtiden`);
    return v;
  };

  const person = readPerson(value('person'), (message) => refuse('person', message));
  const beslutsdatum = date('beslutsdatum', 'beslutsdatum', true);
  const insatsText = value('insats');
  const insats = insatsText
    ? (findImportInsats(insatsText) ??
      refuse(
        'insats',
        `Okänd insats "${insatsText}": skriv koden (t.ex. LSS_9_10) eller IVO:s benämning (t.ex. Daglig verksamhet)`,
      ))
    : refuse('insats', 'Ange insats');
  const avbrottsdatum = date('avbrottsdatum', 'avbrottsdatum', false);
  if (avbrottsdatum && beslutsdatum && avbrottsdatum < beslutsdatum) {
    refuse('avbrottsdatum', `Avbrottsdatum ${avbrottsdatum} är före beslutsdatum ${beslutsdatum}`);
  }
  const quarterText = value('kvartal');
  const quarter = quarterText
    ? (parseFilingQuarter(quarterText) ??
      refuse(
        'kvartal',
        `Okänt kvartal "${quarterText}": skriv t.ex. 2026-Q1, 2026 kv 1 eller 2026:1`,
      ))
    : refuse('kvartal', 'Ange kvartal, t.ex. 2026-Q1');
  const typText = value('rapporttyp');
  const rapporttyp = typText
    ? (parseRapporttyp(typText) ??
      refuse('rapporttyp', `Okänd rapporttyp "${typText}": skriv ny, åter eller slut`))
    : refuse('rapporttyp', 'Ange rapporttyp: ny, åter eller slut');
  const inlamnad = date('inlamnad', 'inlämningsdatum', true);
  if (inlamnad && beslutsdatum && inlamnad < beslutsdatum) {
    refuse('inlamnad', `Inlämningsdatum ${inlamnad} är före beslutsdatum ${beslutsdatum}`);
  }
  if (quarter && beslutsdatum && quarterBounds(quarter).end < beslutsdatum) {
    refuse(
      'kvartal',
      `${filingImportQuarterLabel(quarter)} slutade före beslutsdatum ${beslutsdatum}`,
    );
  }

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    row: {
      person: person!,
      beslutsdatum: beslutsdatum!,
      insats: insats!,
      avbrottsdatum: avbrottsdatum ?? null,
      quarter: quarter!,
      rapporttyp: rapporttyp!,
      inlamnad: inlamnad!,
    },
  };
}

function readPerson(
  text: string,
  refuse: (message: string) => undefined,
): FilingImportPerson | undefined {
  const compact = text.replace(/\s/g, '').toUpperCase();
  if (!compact) return refuse('Ange personnummer eller IVO-id');
  if (/^\d{8}-?TF?\d+$/.test(compact)) {
    const ivoId = compact.includes('-') ? compact : `${compact.slice(0, 8)}-${compact.slice(8)}`;
    return ivoIdSex(ivoId)
      ? { typ: 'ivoId', ivoId }
      : refuse(`Ogiltigt IVO-id "${text}": skriv ÅÅÅÅMMDD-T123 eller ÅÅÅÅMMDD-TF12`);
  }
  if (/^\d{6}[-+]?\d{4}$/.test(compact)) {
    return refuse('Skriv numret med 12 siffror: ÅÅÅÅMMDD-NNNN');
  }
  if (!isValidPersonnummer(compact)) {
    return refuse(
      'Ogiltigt personnummer: skriv ÅÅÅÅMMDD-NNNN med rätt födelsedatum och kontrollsiffra, eller IVO-id:t ÅÅÅÅMMDD-T123',
    );
  }
  return { typ: 'personnummer', personnummer: compact.replace('-', '') };
}

function capitalised(text: string): string {
  return text.charAt(0).toLocaleUpperCase('sv') + text.slice(1);
}

/** The line and quarter a row is about, as compared between rows of one file. */
export function filingImportKey(row: FilingImportRow): string {
  const person =
    row.person.typ === 'ivoId' ? `id:${row.person.ivoId}` : `nr:${row.person.personnummer}`;
  return [
    person,
    row.beslutsdatum,
    row.insats,
    row.avbrottsdatum ?? '',
    quarterKey(row.quarter),
  ].join('|');
}

/**
 * The rules between rows: the same line and quarter once (the second and later are refused,
 * naming the first). Answers the refusals by line.
 */
export function checkFilingImportFile(
  rows: readonly { line: number; row: FilingImportRow }[],
): Map<number, FilingImportIssue[]> {
  const issues = new Map<number, FilingImportIssue[]>();
  const first = new Map<string, number>();
  for (const { line, row } of rows) {
    const key = filingImportKey(row);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, line);
    } else {
      issues.set(line, [
        {
          field: 'kvartal',
          message: `Samma inlämning (beslut, ${row.avbrottsdatum ? 'avbrott, ' : ''}kvartal) finns redan på rad ${earlier}`,
        },
      ]);
    }
  }
  return issues;
}

/**
 * The order the rows are recorded in: by quarter, then by line, so that a nyrapportering is
 * recorded before the återrapporteringar of the same episode whatever the file's order.
 */
export function filingImportOrder<T extends { line: number; row: FilingImportRow }>(
  rows: readonly T[],
): T[] {
  return [...rows].sort((a, b) => compareQuarters(a.row.quarter, b.row.quarter) || a.line - b.line);
}

export type FilingLineChoice =
  | { ok: true; line: ReportLine; report: 'ny' | 'ater' }
  | { ok: false; field: FilingImportField; message: string };

/**
 * The report line of the decision that a row is about, among the decision's lines of the row's
 * quarter (`quarterReport`): the episode that began with the interruption on `avbrottsdatum`, or
 * the one that began with the decision; and the report type recorded. `slut` is refused for a line
 * still not executed at the quarter's end, and recorded as the type the schedule gives the line.
 * `hasInterruption` says whether the decision has an interruption on `avbrottsdatum` at all.
 */
export function chooseFilingLine(
  row: Pick<FilingImportRow, 'avbrottsdatum' | 'quarter' | 'rapporttyp'>,
  lines: readonly ReportLine[],
  hasInterruption: boolean,
): FilingLineChoice {
  const label = filingImportQuarterLabel(row.quarter);
  if (row.avbrottsdatum && !hasInterruption) {
    return {
      ok: false,
      field: 'avbrottsdatum',
      message: `Beslutet har inget avbrott ${row.avbrottsdatum}`,
    };
  }
  const line = lines.find((l) =>
    row.avbrottsdatum
      ? l.episode.kind === 'avbrott' && l.episode.start === row.avbrottsdatum
      : l.episode.kind === 'beslut',
  );
  if (!line) {
    const interrupted = lines.find((l) => l.episode.kind === 'avbrott');
    const hint =
      !row.avbrottsdatum && interrupted
        ? ` (raden för avbrottet ${interrupted.episode.start} anges med avbrottsdatum)`
        : '';
    return {
      ok: false,
      field: 'kvartal',
      message: row.avbrottsdatum
        ? `Beslutet har ingen rapportrad för avbrottet ${row.avbrottsdatum} för ${label}`
        : `Beslutet har ingen rapportrad för ${label}${hint}`,
    };
  }
  if (row.rapporttyp === 'slut') {
    if (line.status === 'ej_verkstalld') {
      return {
        ok: false,
        field: 'rapporttyp',
        message: `Beslutet var varken verkställt eller avslutat när ${label} slutade; en slutrapportering kan inte ha lämnats för kvartalet`,
      };
    }
    return { ok: true, line, report: line.report };
  }
  return { ok: true, line, report: row.rapporttyp };
}

/** At most this many filings, and this large a file, in one import (as the decision import). */
export const FILING_IMPORT_LIMITS = IMPORT_LIMITS;

/**
 * An example file in the documented format, semicolon-separated: the filings of the decision
 * import's example file (importExampleCsv) that can be recorded — a nyrapportering of the decision
 * that replaced another (kv 3 2026), and the slutrapportering of an interruption that was executed
 * again in the quarter it became overdue (seed 003's case) — so that the two examples can be tried
 * one after the other.
 */
export function filingImportExampleCsv(): string {
  const rows: Record<FilingImportField, string>[] = [
    {
      person: '19121212-1212',
      beslutsdatum: '2026-04-01',
      insats: 'Daglig verksamhet',
      avbrottsdatum: '',
      kvartal: '2026-Q3',
      rapporttyp: 'ny',
      inlamnad: '2026-10-12',
    },
    {
      person: '19850374-2382',
      beslutsdatum: '2026-02-03',
      insats: 'SOL_BOENDESTOD',
      avbrottsdatum: '2026-06-01',
      kvartal: '2026 kv 3',
      rapporttyp: 'slutrapportering',
      inlamnad: '2026-09-20',
    },
  ];
  return filingImportCsv(rows);
}

/** Rows of the documented columns as a `;`-separated file with CRLF line ends. */
export function filingImportCsv(
  rows: readonly Partial<Record<FilingImportField, string>>[],
): string {
  const line = (cells: readonly string[]) => cells.map(csvCell).join(';');
  return [
    line(FILING_IMPORT_COLUMNS.map((c) => c.header)),
    ...rows.map((row) => line(FILING_IMPORT_COLUMNS.map((c) => row[c.field] ?? ''))),
  ]
    .join('\r\n')
    .concat('\r\n');
}

function csvCell(value: string): string {
  return /[;",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
