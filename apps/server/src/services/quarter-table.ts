import {
  INDIVIDRAPPORT_TABS,
  type IndividrapportField,
  individrapportColumnLabel,
  individrapportFieldApplies,
  individrapportFieldLabel,
  individrapportFieldText,
  isIsoDate,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import {
  EPISODE_KIND_LABEL,
  KATEGORI_LABEL,
  LINE_STATUS_LABEL,
  REPORT_LABEL,
  STATE_LABEL,
} from './export-labels';
import type { IndividrapportExport } from './individrapport-export';
import { XlsxSheetWriter } from './xlsx-writer';

/*
 * The quarter as a table, one row per line: the quarter view's columns, then the state of the
 * line's individrapport, then every field of the report under its e-tjänst label and tab. The CSV
 * (semicolon-separated UTF-8 with a byte order mark, as Swedish Excel opens it) and the XLSX
 * (typed dates and numbers, frozen header row) are written from the same columns.
 *
 * A person with skyddade personuppgifter is named "Skyddad identitet" here, as in their report: a
 * file leaves evb's access control, so the real name stays in evb.
 *
 * Every cell that a spreadsheet could take for a formula — one starting with =, +, -, @, a tab or
 * a carriage return — gets a leading apostrophe, in the CSV and the XLSX alike and whatever its
 * column (OWASP's advice on CSV injection): a date or number column holds text too when a draft
 * saved before the draft's limits has text there. In the XLSX such a value is written as text,
 * never as a date or a number it is not (Excel would show NaN or #VALUE), and a text is cut at
 * Excel's 32 767 characters a cell.
 */

type Kind = 'text' | 'date' | 'number';
type Value = string | number | null;

type Column = {
  header: string;
  kind: Kind;
  value: (report: IndividrapportExport) => Value;
  /** The widest an XLSX column grows to fit its values (characters). */
  maxWidth?: number;
};

const yesNo = (value: boolean) => (value ? 'Ja' : 'Nej');

const DATE_FIELDS: ReadonlySet<IndividrapportField> = new Set([
  'drojsmalDatum',
  'statusDatum',
  'erbjudandedatum',
  'delvisDatum',
]);

const LINE_COLUMNS: Column[] = [
  { header: 'Kategori', kind: 'text', value: (r) => KATEGORI_LABEL[r.line.kategori] },
  { header: 'Beslut-id', kind: 'text', value: (r) => r.line.decisionId },
  { header: 'IVO-id', kind: 'text', value: (r) => r.line.person.ivoId },
  {
    header: 'Namn',
    kind: 'text',
    value: (r) => (r.line.person.skyddadIdentitet ? 'Skyddad identitet' : r.line.person.namn),
  },
  {
    header: 'Skyddade personuppgifter',
    kind: 'text',
    value: (r) => yesNo(r.line.person.skyddadIdentitet),
  },
  { header: 'Insats', kind: 'text', value: (r) => r.line.insatsLabel },
  { header: 'Insatskod', kind: 'text', value: (r) => r.line.insats },
  {
    header: 'Verksamhetsområde',
    kind: 'text',
    value: (r) => verksamhetsomradeLabel(r.line.verksamhetsomrade as Verksamhetsomrade),
  },
  { header: 'Förhandsbesked', kind: 'text', value: (r) => yesNo(r.line.forhandsbesked) },
  {
    header: 'Dröjsmålet avser',
    kind: 'text',
    value: (r) => EPISODE_KIND_LABEL[r.line.episode.kind] ?? r.line.episode.kind,
  },
  { header: 'Datum för beslut eller avbrott', kind: 'date', value: (r) => r.line.episode.start },
  { header: 'Rapportering', kind: 'text', value: (r) => REPORT_LABEL[r.line.report] ?? '' },
  {
    header: 'Status',
    kind: 'text',
    value: (r) => LINE_STATUS_LABEL[r.line.status] ?? r.line.status,
  },
  { header: 'Statusdatum', kind: 'date', value: (r) => r.line.statusDate },
  { header: 'Försenat från', kind: 'date', value: (r) => r.line.overdueFrom },
  { header: 'Dagar väntat', kind: 'number', value: (r) => r.line.daysWaited },
  { header: 'Inlämnad till IVO', kind: 'text', value: (r) => yesNo(r.line.filed) },
  { header: 'Inlämnad', kind: 'date', value: (r) => r.line.filedOn },
  { header: 'Inlämnad av', kind: 'text', value: (r) => r.filing?.filedBy.namn ?? null },
  { header: 'Ohanterade meddelanden', kind: 'number', value: (r) => r.line.unhandledMessages },
  { header: 'Individrapport', kind: 'text', value: (r) => STATE_LABEL[r.state] },
  {
    header: 'Att rätta',
    kind: 'text',
    maxWidth: 60,
    value: (r) =>
      r.findings
        .map((f) => `${individrapportFieldLabel(f.field, r.draft)}: ${f.message}`)
        .join('; ') || null,
  },
];

const REPORT_COLUMNS: Column[] = INDIVIDRAPPORT_TABS.flatMap(({ tab, fields }) =>
  fields.map(
    (field): Column => ({
      header: `Flik ${tab}: ${individrapportColumnLabel(field)}`,
      kind: DATE_FIELDS.has(field) ? 'date' : 'text',
      maxWidth: field === 'ovrigt' ? 80 : 50,
      value: (r) =>
        individrapportFieldApplies(r.draft, field)
          ? individrapportFieldText(r.draft, field) || null
          : null,
    }),
  ),
);

export const QUARTER_COLUMNS: readonly Column[] = [...LINE_COLUMNS, ...REPORT_COLUMNS];

/**
 * A cell's text as a spreadsheet cannot run it: one that would be read as a formula (=, +, -, @,
 * a tab or a carriage return first) gets a leading apostrophe (CSV injection).
 */
export function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Where a file's bytes go as it is written. */
export type Sink = (chunk: Uint8Array) => void;

/** A CSV cell: quoted when it holds the delimiter, a quote or a line break; quotes doubled. */
export function csvCell(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The quarter as CSV, written to `write` as the reports come (`add`): semicolons, UTF-8 with a
 * byte order mark, CRLF after every record; dates as YYYY-MM-DD. A cell with the delimiter, a
 * quote or a line break of any kind (Övrigt's lines, a bare "\n" too) is quoted, its quotes
 * doubled, so it stays one cell of one record — what csv-stringify writes with
 * `quoted_match: /[\r\n]/`, which a test compares.
 */
export class QuarterCsv {
  constructor(private readonly write: Sink) {
    write(Buffer.from(`\ufeff${QUARTER_COLUMNS.map((c) => csvCell(c.header)).join(';')}\r\n`));
  }

  /** Writes the records of the next reports. */
  add(reports: readonly IndividrapportExport[]): void {
    let text = '';
    for (const report of reports) {
      for (let c = 0; c < QUARTER_COLUMNS.length; c++) {
        const value = QUARTER_COLUMNS[c]!.value(report);
        if (c > 0) text += ';';
        if (value !== null) text += csvCell(inertText(String(value)));
      }
      text += '\r\n';
    }
    if (text !== '') this.write(Buffer.from(text, 'utf8'));
  }
}

/** The most characters an Excel cell holds. */
const XLSX_CELL_MAX = 32_767;

/** A text as an XLSX cell: inert, its line breaks Excel's "\n", cut to what a cell holds. */
function textCell(text: string): string {
  const inert = inertText(text).replace(/\r\n?/g, '\n');
  return inert.length <= XLSX_CELL_MAX ? inert : `${inert.slice(0, XLSX_CELL_MAX - 1)}…`;
}

/** A value as an XLSX cell of its column's kind: a date or a number only when it is one. */
function xlsxCell(kind: Kind, value: Value): Date | number | string | null {
  if (value === null) return null;
  if (kind === 'date' && typeof value === 'string' && isIsoDate(value)) {
    return new Date(`${value}T00:00:00Z`);
  }
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) return value;
  return textCell(String(value));
}

/** The length of the longest line of `text`, without splitting it. */
function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    longest = Math.max(longest, stop - start);
    if (end === -1) break;
    start = end + 1;
  }
  return longest;
}

/**
 * The quarter as an XLSX workbook with one sheet: Swedish headers, dates as dates, numbers as
 * numbers, the header row frozen and filterable, columns as wide as their values (within limits).
 * The rows are compressed as the reports come (`add`); the file is written at `end`, when the
 * columns' widths, which come first in it, are known.
 */
export class QuarterXlsx {
  private readonly sheet: XlsxSheetWriter;
  /** The longest line in each column so far. */
  private readonly longest = QUARTER_COLUMNS.map((c): number => (c.kind === 'date' ? 10 : 0));

  constructor(
    head: { namndNamn: string; quarterKey: string },
    produced: { at: Date; by: string },
    write: Sink,
  ) {
    this.sheet = new XlsxSheetWriter(
      {
        sheetName: `Kvartal ${head.quarterKey}`,
        title: `Individrapporter ${head.namndNamn} ${head.quarterKey}`,
        creator: produced.by,
        created: produced.at,
        columns: QUARTER_COLUMNS.map((c) => ({ header: c.header, kind: c.kind })),
      },
      write,
    );
  }

  add(reports: readonly IndividrapportExport[]): void {
    const { longest } = this;
    this.sheet.addRows(
      reports.map((report) =>
        QUARTER_COLUMNS.map((column, i) => {
          const value = column.value(report);
          if (value !== null) longest[i] = Math.max(longest[i]!, longestLine(String(value)));
          return xlsxCell(column.kind, value);
        }),
      ),
    );
  }

  end(): void {
    this.sheet.end(
      QUARTER_COLUMNS.map((column, i) =>
        Math.min(
          column.maxWidth ?? 40,
          Math.max(10, Math.min(column.header.length, 24), this.longest[i]! + 2),
        ),
      ),
    );
  }
}
