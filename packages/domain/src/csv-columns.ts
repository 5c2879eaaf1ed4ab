/**
 * The columns of an import file (the decision import and the filings import): how a header row is
 * matched to them. Case systems and hand-made spreadsheets name columns differently, so each column
 * has aliases, and names are compared folded (see foldHeader).
 */

export type CsvColumn<F extends string> = {
  field: F;
  /** The column's name as documented and in the example file. */
  header: string;
  /** Other names a case system's export may use; matched like the header (see foldHeader). */
  aliases: readonly string[];
  /** Whether the column must be in the file (its value may still be empty where described). */
  required: boolean;
  /** What the column holds, in Swedish: shown on the import page and in the README. */
  description: string;
};

/** A refusal of a column or value, before the row number is known. */
export type CsvIssue<F extends string> = { field: F | null; message: string };

export type CsvHeader<F extends string> = {
  /** The position of each column that was found. */
  positions: Partial<Record<F, number>>;
  /** The name each found column has in the file, for refusals the user recognises. */
  names: Partial<Record<F, string>>;
  /** Columns that are not the import's: left alone. */
  ignored: string[];
  issues: CsvIssue<F>[];
};

/**
 * A column name as compared: lower case without accents, spaces or punctuation, so that
 * "Förnamn", "FORNAMN" and "för_namn" are one column (exports often drop å, ä and ö).
 */
export function foldHeader(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The matcher of one import's header row: it finds each column by its name or an alias; a missing
 * required column or a column given twice is refused in Swedish, other columns are left alone.
 */
export function headerMatcher<F extends string>(
  columns: readonly CsvColumn<F>[],
): (headers: readonly string[]) => CsvHeader<F> {
  const headerOf = new Map(columns.map((c) => [c.field, c.header]));
  const fieldByFoldedHeader = new Map(
    columns.flatMap((c) => [c.header, ...c.aliases].map((h) => [foldHeader(h), c.field])),
  );
  return (headers) => {
    const result: CsvHeader<F> = { positions: {}, names: {}, ignored: [], issues: [] };
    headers.forEach((raw, index) => {
      const name = raw.trim();
      const field = fieldByFoldedHeader.get(foldHeader(name));
      if (!field) {
        if (name) result.ignored.push(name);
        return;
      }
      if (result.positions[field] !== undefined) {
        result.issues.push({
          field,
          message: `Kolumnen "${headerOf.get(field)}" finns två gånger (${result.names[field]} och ${name})`,
        });
        return;
      }
      result.positions[field] = index;
      result.names[field] = name;
    });
    for (const column of columns) {
      if (column.required && result.positions[column.field] === undefined) {
        result.issues.push({ field: column.field, message: `Kolumnen "${column.header}" saknas` });
      }
    }
    return result;
  };
}
