import { constants, crc32, deflateRawSync } from 'node:zlib';

/*
 * An XLSX workbook of one sheet, written as it is made: the quarter's XLSX (quarter-table.ts).
 * ExcelJS built every cell as an object, then the whole workbook in memory, and took several
 * seconds for a quarter of a few thousand lines; this writes the sheet's XML a few hundred rows at
 * a time straight into a ZIP archive that streams (each entry's sizes and checksum follow its
 * data, as ZIP allows), in a fraction of that.
 *
 * What it writes: text as inline strings, with characters XML 1.0 cannot hold left out (as
 * ExcelJS did); numbers as numbers; dates as Excel's day numbers in a `yyyy-mm-dd` format; a
 * bold, shaded, wrapped header row that is frozen and filterable; each column's width; the
 * workbook's title, author and creation time. Excel, LibreOffice and ExcelJS read it.
 */

export type XlsxColumn = { header: string; kind: 'text' | 'date' | 'number' };
export type XlsxCell = string | number | Date | null;

export type XlsxSheet = {
  sheetName: string;
  title: string;
  creator: string;
  created: Date;
  columns: readonly XlsxColumn[];
};

/** zlib's level for the archive: its default; the fastest made the file 30 % larger for little time. */
const LEVEL = 6;

/** Cell styles, by their index in styles.xml's cellXfs. */
const STYLE = { date: 1, number: 2, header: 3 } as const;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE7EEF5"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** A text as XML character data: escaped, without the characters XML 1.0 cannot hold. */
export function xmlText(text: string): string {
  return text
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what XML cannot hold
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '',
    )
    .replace(/[&<>"]/g, (ch) =>
      ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '&quot;',
    );
}

/** The letters of a column (1 → A, 27 → AA). */
export function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** Excel's day number of a date (1900 system): days since 1899-12-30, UTC. */
function excelDay(date: Date): number {
  return 25569 + date.getTime() / 86_400_000;
}

/** An Excel sheet name: at most 31 characters, none of : \ / ? * [ ]. */
function sheetNameOf(text: string): string {
  return text.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);
}

function inlineString(reference: string, text: string, style?: number): string {
  const space = /^\s|\s$|\n/.test(text) ? ' xml:space="preserve"' : '';
  const s = style === undefined ? '' : ` s="${style}"`;
  return `<c r="${reference}"${s} t="inlineStr"><is><t${space}>${xmlText(text)}</t></is></c>`;
}

function cellXml(reference: string, cell: XlsxCell, kind: XlsxColumn['kind']): string {
  if (cell === null) return '';
  const style = kind === 'date' ? STYLE.date : kind === 'number' ? STYLE.number : undefined;
  if (typeof cell === 'string') return inlineString(reference, cell, style);
  const value = cell instanceof Date ? excelDay(cell) : cell;
  return `<c r="${reference}"${style === undefined ? '' : ` s="${style}"`}><v>${value}</v></c>`;
}

/** MS-DOS time and date of a moment (UTC), as ZIP stores them. */
function dosTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
    date: ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

/** zlib's CRC-32 table polynomial, reversed. */
const CRC_POLYNOMIAL = 0xedb88320;

function gf2Times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0, v = vector >>> 0; v !== 0; i++, v >>>= 1) {
    if (v & 1) sum ^= matrix[i]!;
  }
  return sum >>> 0;
}

function gf2Square(square: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = gf2Times(matrix, matrix[n]!);
}

/**
 * The CRC-32 of A followed by B from the CRC-32 of each and B's length (zlib's crc32_combine):
 * the sheet's rows are checksummed as they come, before the part in front of them is known.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = CRC_POLYNOMIAL;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row >>> 0;
  gf2Square(even, odd);
  gf2Square(odd, even);
  let crc = crcA >>> 0;
  let length = lengthB;
  for (;;) {
    gf2Square(even, odd);
    if (length % 2 === 1) crc = gf2Times(even, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
    gf2Square(odd, even);
    if (length % 2 === 1) crc = gf2Times(odd, crc);
    length = Math.floor(length / 2);
    if (length === 0) break;
  }
  return (crc ^ crcB) >>> 0;
}

/** Text deflated piece by piece into one deflate stream, with its CRC-32 and length. */
class Deflated {
  readonly pieces: Buffer[] = [];
  crc = 0;
  size = 0;
  compressed = 0;

  add(text: string): void {
    if (text === '') return;
    const bytes = Buffer.from(text, 'utf8');
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.byteLength;
    // Flushed to a byte boundary and not final: the pieces join into one stream.
    this.push(deflateRawSync(bytes, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH }));
  }

  /** The stream's last, empty block. */
  close(): void {
    this.push(deflateRawSync(Buffer.alloc(0), { level: LEVEL }));
  }

  private push(piece: Buffer): void {
    if (piece.byteLength === 0) return;
    this.pieces.push(piece);
    this.compressed += piece.byteLength;
  }
}

/**
 * A ZIP archive written entry by entry: each entry deflated piece by piece (each piece flushed to
 * a byte boundary, so the pieces join into one deflate stream), its checksum and sizes in a data
 * descriptor after its data and in the central directory at the end.
 */
class ZipWriter {
  private offset = 0;
  private readonly entries: {
    name: Buffer;
    crc: number;
    compressed: number;
    size: number;
    offset: number;
  }[] = [];
  private readonly stamp: { time: number; date: number };

  constructor(
    private readonly write: (chunk: Uint8Array) => void,
    at: Date,
  ) {
    this.stamp = dosTime(at);
  }

  private out(bytes: Uint8Array): void {
    this.write(bytes);
    this.offset += bytes.byteLength;
  }

  /**
   * Writes an entry whose data is `parts` one after another (each deflated on its own, the last
   * closed): its checksum and sizes follow the data, in a data descriptor.
   */
  addEntry(name: string, parts: readonly Deflated[]): void {
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    // Sizes in a data descriptor (bit 3), the name in UTF-8 (bit 11).
    header.writeUInt16LE(0x0808, 6);
    header.writeUInt16LE(8, 8);
    header.writeUInt16LE(this.stamp.time, 10);
    header.writeUInt16LE(this.stamp.date, 12);
    header.writeUInt16LE(nameBytes.byteLength, 26);
    const entry = { name: nameBytes, crc: 0, compressed: 0, size: 0, offset: this.offset };
    this.out(Buffer.concat([header, nameBytes]));
    for (const part of parts) {
      for (const piece of part.pieces) this.out(piece);
      entry.crc = crc32Combine(entry.crc, part.crc, part.size);
      entry.size += part.size;
      entry.compressed += part.compressed;
    }
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(entry.crc >>> 0, 4);
    descriptor.writeUInt32LE(entry.compressed, 8);
    descriptor.writeUInt32LE(entry.size, 12);
    this.out(descriptor);
    this.entries.push(entry);
  }

  file(name: string, text: string): void {
    const data = new Deflated();
    data.add(text);
    data.close();
    this.addEntry(name, [data]);
  }

  /** The central directory and its end record. */
  end(): void {
    const start = this.offset;
    for (const e of this.entries) {
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0808, 8);
      header.writeUInt16LE(8, 10);
      header.writeUInt16LE(this.stamp.time, 12);
      header.writeUInt16LE(this.stamp.date, 14);
      header.writeUInt32LE(e.crc >>> 0, 16);
      header.writeUInt32LE(e.compressed, 20);
      header.writeUInt32LE(e.size, 24);
      header.writeUInt16LE(e.name.byteLength, 28);
      header.writeUInt32LE(e.offset, 42);
      this.out(Buffer.concat([header, e.name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    this.out(end);
  }
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/**
 * A workbook of one sheet: its rows compressed as they come (`addRows`), the file written at
 * `end`, when the columns' widths (which come before the rows in the sheet) are known.
 */
export class XlsxSheetWriter {
  private readonly rows = new Deflated();
  private rowCount = 0;
  private readonly letters: string[];

  constructor(
    private readonly sheet: XlsxSheet,
    private readonly write: (chunk: Uint8Array) => void,
  ) {
    this.letters = sheet.columns.map((_, i) => columnLetters(i + 1));
  }

  /** Compresses the next rows: one cell per column, null for an empty one. */
  addRows(rows: readonly (readonly XlsxCell[])[]): void {
    const { columns } = this.sheet;
    let xml = '';
    for (const cells of rows) {
      const r = this.rowCount + 2;
      this.rowCount++;
      xml += `<row r="${r}">`;
      for (let i = 0; i < columns.length; i++) {
        xml += cellXml(`${this.letters[i]}${r}`, cells[i] ?? null, columns[i]!.kind);
      }
      xml += '</row>';
    }
    this.rows.add(xml);
  }

  /** Writes the workbook, its columns `widths` characters wide. */
  end(widths: readonly number[]): void {
    const { sheet } = this;
    const zip = new ZipWriter(this.write, sheet.created);
    const name = sheetNameOf(sheet.sheetName);
    const lastColumn = columnLetters(sheet.columns.length);
    writeWorkbookParts(zip, sheet, name, lastColumn);
    const cols = sheet.columns
      .map((c, i) => {
        const style = c.kind === 'date' ? STYLE.date : c.kind === 'number' ? STYLE.number : null;
        return `<col min="${i + 1}" max="${i + 1}" width="${widths[i]}" customWidth="1"${style === null ? '' : ` style="${style}"`}/>`;
      })
      .join('');
    const head = new Deflated();
    head.add(
      `${XML_HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
        `<dimension ref="A1:${lastColumn}${this.rowCount + 1}"/>` +
        '<sheetViews><sheetView workbookViewId="0">' +
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
        `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>` +
        `<row r="1" ht="32" customHeight="1" s="${STYLE.header}" customFormat="1">${sheet.columns
          .map((c, i) => inlineString(`${this.letters[i]}1`, c.header, STYLE.header))
          .join('')}</row>`,
    );
    const tail = new Deflated();
    tail.add(`</sheetData><autoFilter ref="A1:${lastColumn}1"/></worksheet>`);
    tail.close();
    zip.addEntry('xl/worksheets/sheet1.xml', [head, this.rows, tail]);
    zip.end();
  }
}

/** Every part of the workbook but the sheet's: content types, relations, properties, styles. */
function writeWorkbookParts(zip: ZipWriter, sheet: XlsxSheet, name: string, lastColumn: string) {
  zip.file(
    '[Content_Types].xml',
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
      '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
      '</Types>',
  );
  zip.file(
    '_rels/.rels',
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>' +
      '</Relationships>',
  );
  const created = sheet.created.toISOString().replace(/\.\d+Z$/, 'Z');
  zip.file(
    'docProps/core.xml',
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<dc:title>${xmlText(sheet.title)}</dc:title><dc:creator>${xmlText(sheet.creator)}</dc:creator>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${created}</dcterms:created>` +
      `<dcterms:modified xsi:type="dcterms:W3CDTF">${created}</dcterms:modified>` +
      '</cp:coreProperties>',
  );
  zip.file(
    'docProps/app.xml',
    `${XML_HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>evb</Application></Properties>`,
  );
  zip.file(
    'xl/workbook.xml',
    `${XML_HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<bookViews><workbookView/></bookViews>' +
      `<sheets><sheet name="${xmlText(name)}" sheetId="1" r:id="rId1"/></sheets>` +
      // The header row's filter, as Excel itself names it.
      `<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">` +
      `${xmlText(`'${name.replace(/'/g, "''")}'`)}!$A$1:$${lastColumn}$1</definedName></definedNames>` +
      '</workbook>',
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '</Relationships>',
  );
  zip.file('xl/styles.xml', STYLES);
}
