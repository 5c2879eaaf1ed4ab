import { CsvError, parse } from 'csv-parse/sync';

/*
 * Reading a case system's CSV export: semicolon-separated as Swedish Excel writes it, or comma-
 * separated; UTF-8 with or without a byte order mark; any line ending. The header row decides the
 * separator. Each record keeps the line it starts on, so a refusal can name the row as the user
 * sees it in an editor (the header is line 1). Rows with nothing in them are skipped.
 */

export type CsvRecord = { line: number; cells: string[] };

export type CsvFile = {
  delimiter: ';' | ',';
  header: string[];
  /** The header's line. */
  headerLine: number;
  records: CsvRecord[];
};

export type CsvReadResult =
  | { ok: true; file: CsvFile }
  | { ok: false; line: number; message: string };

/** The separator of the header row: the one of ; and , that occurs more often outside quotes. */
export function detectDelimiter(firstLine: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of firstLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === ';') semicolons++;
    else if (!quoted && char === ',') commas++;
  }
  return commas > semicolons ? ',' : ';';
}

const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'Ett citattecken (") på raden stängs aldrig',
  CSV_INVALID_CLOSING_QUOTE: 'Efter ett avslutande citattecken (") ska nästa fält börja',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE:
    'Efter ett avslutande citattecken (") ska nästa fält börja',
};

const OPTIONS = {
  record_delimiter: '\n',
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  info: true,
  raw: true,
} as const;

type Parsed = { record: string[]; info: { lines: number }; raw: string }[];

export function readCsv(text: string): CsvReadResult {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const firstLine = normalised.slice(0, normalised.search(/\n|$/));
  const delimiter = detectDelimiter(firstLine);
  let parsed: Parsed;
  try {
    // With `info` and `raw` each record comes with the line it ends on and its text.
    parsed = parse(normalised, { ...OPTIONS, delimiter }) as unknown as Parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return {
      ok: false,
      line: brokenRecordLine(normalised, delimiter, (error as CsvError & { lines: number }).lines),
      message: CSV_ERRORS[error.code] ?? 'Raden kan inte läsas som CSV',
    };
  }
  const records = parsed.map(({ record, info, raw }) => ({
    cells: record,
    // A quoted value may span several lines: the record starts that many lines earlier.
    line: info.lines - (raw.replace(/\n$/, '').match(/\n/g)?.length ?? 0),
  }));
  const [header, ...rows] = records;
  if (!header) return { ok: false, line: 1, message: 'Filen är tom' };
  return {
    ok: true,
    file: { delimiter, header: header.cells, headerLine: header.line, records: rows },
  };
}

/**
 * The line where the record the parser gave up on starts. The parser names the line it stopped
 * at, which for a quote that never closes is the end of the file: the record starts on the first
 * non-empty line after the last record that ended before it.
 */
function brokenRecordLine(text: string, delimiter: string, stoppedAt: number): number {
  const read = parse(text, {
    ...OPTIONS,
    delimiter,
    skip_records_with_error: true,
  }) as unknown as Parsed;
  const ends = read.map((r) => r.info.lines).filter((line) => line < stoppedAt);
  const lines = text.split('\n');
  let line = ends.length > 0 ? Math.max(...ends) + 1 : 1;
  while (line < stoppedAt && lines[line - 1]?.trim() === '') line++;
  return line;
}

/** The first record with a character that could not be decoded (U+FFFD), or undefined. */
export function undecodableRecord(records: readonly CsvRecord[]): CsvRecord | undefined {
  return records.find((r) => r.cells.some((c) => c.includes('\uFFFD')));
}

/** Said of a file with a character that could not be decoded. */
export const UNDECODABLE_MESSAGE =
  'Filen innehåller tecken som inte kunde läsas. Spara den som CSV UTF-8 och försök igen.';

/** Why a record cannot be read against the header, or null: it has another number of fields. */
export function fieldCountProblem(record: CsvRecord, headerLength: number): string | null {
  return record.cells.length === headerLength
    ? null
    : `Raden har ${record.cells.length} fält men rubrikraden ${headerLength}; kontrollera skiljetecken och citattecken`;
}

/** 5000 → "5 000", as Swedish writes numbers. */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ' ');
}
