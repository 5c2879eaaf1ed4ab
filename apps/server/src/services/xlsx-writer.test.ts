import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { csvCell } from './quarter-table';
import { crc32Combine, XlsxSheetWriter, xmlText } from './xlsx-writer';

/*
 * The quarter's table files written without ExcelJS and csv-stringify (issue 11): the XLSX as a
 * ZIP that streams, its sheet's rows compressed as they come and their checksum joined to the part
 * in front of them at the end; the CSV's cells quoted as csv-stringify quoted them. Each checked
 * against an independent reader or the library it replaces.
 */

/** Python's zipfile: reads every entry back and checks its CRC-32 (testzip); the entries' names. */
function zipEntriesCheckedByPython(bytes: Uint8Array): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'evb-xlsx-'));
  try {
    const file = path.join(dir, 'file.xlsx');
    writeFileSync(file, bytes);
    const result = spawnSync(
      'python3',
      [
        '-c',
        'import json, sys, zipfile\n' +
          'z = zipfile.ZipFile(sys.argv[1])\n' +
          'bad = z.testzip()\n' +
          'if bad: sys.exit("bad entry: " + bad)\n' +
          'print(json.dumps(z.namelist()))',
        file,
      ],
      { encoding: 'utf8' },
    );
    if (result.error)
      throw new Error(`Install python3 to check ZIP files (${result.error.message})`);
    if (result.status !== 0) throw new Error(`python3 could not read the ZIP:\n${result.stderr}`);
    return JSON.parse(result.stdout) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('crc32Combine', () => {
  it('gives the CRC-32 of two pieces joined, from each piece’s CRC-32 and the second’s length', () => {
    for (const [a, b] of [
      [0, 0],
      [0, 5],
      [7, 0],
      [1, 1],
      [100, 65_537],
      [70_000, 3],
    ] as const) {
      const first = randomBytes(a);
      const second = randomBytes(b);
      expect(crc32Combine(crc32(first), crc32(second), b)).toBe(
        crc32(Buffer.concat([first, second])),
      );
    }
  });
});

describe('xmlText', () => {
  it('escapes markup and leaves out what XML 1.0 cannot hold, keeping every other character', () => {
    expect(xmlText('a & b < c > "d" \'e\'')).toBe("a &amp; b &lt; c &gt; &quot;d&quot; 'e'");
    expect(xmlText('rad\u0000ett\u0007\u000b\u000c\u001f\ufffe\tflik\nrad\r')).toBe(
      'radett\tflik\nrad\r',
    );
    // A lone surrogate goes; a pair (an emoji) stays.
    expect(xmlText('x\ud800y\udc00z😀')).toBe('xyz😀');
  });
});

describe('the XLSX sheet writer', () => {
  it('writes a ZIP that Python verifies and ExcelJS reads: typed cells, widths, frozen header', async () => {
    const chunks: Uint8Array[] = [];
    const sheet = new XlsxSheetWriter(
      {
        sheetName: 'Kvartal 2026-Q2: [prov]',
        title: 'Individrapporter Vård & omsorg 2026-Q2',
        creator: 'Åsa Öberg',
        created: new Date('2026-07-05T10:00:00Z'),
        columns: [
          { header: 'Namn', kind: 'text' },
          { header: 'Datum', kind: 'date' },
          { header: 'Dagar', kind: 'number' },
        ],
      },
      (chunk) => chunks.push(chunk),
    );
    // Rows in several batches, as the reports come; many, so the rows span many pieces.
    const rows = Array.from({ length: 3000 }, (_, i) => [
      i === 0 ? ' Rad ett\nrad två & <tre> ' : `Person ${i} ${'x'.repeat(i % 50)}`,
      i % 7 === 0 ? null : new Date(Date.UTC(2026, 0, 1 + (i % 300))),
      i % 5 === 0 ? 'inget tal' : i,
    ]);
    for (let start = 0; start < rows.length; start += 250) {
      sheet.addRows(rows.slice(start, start + 250));
    }
    // Nothing is written before the widths are known: they come first in the sheet.
    expect(chunks).toHaveLength(0);
    sheet.end([42, 12, 10]);
    const bytes = Buffer.concat(chunks);

    expect(zipEntriesCheckedByPython(bytes)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/core.xml',
      'docProps/app.xml',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.creator).toBe('Åsa Öberg');
    expect(workbook.title).toBe('Individrapporter Vård & omsorg 2026-Q2');
    const read = workbook.worksheets[0]!;
    expect(read.name).toBe('Kvartal 2026-Q2- -prov-');
    expect(read.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(read.getRow(1).values).toEqual([undefined, 'Namn', 'Datum', 'Dagar']);
    expect(read.getRow(1).font?.bold).toBe(true);
    expect([1, 2, 3].map((c) => read.getColumn(c).width)).toEqual([42, 12, 10]);
    expect(read.rowCount).toBe(3001);
    expect(read.getCell('A2').value).toBe(' Rad ett\nrad två & <tre> ');
    expect(read.getCell('B2').value).toBeNull();
    expect(read.getCell('C2').value).toBe('inget tal');
    expect(read.getCell('B3').value).toEqual(new Date('2026-01-02T00:00:00Z'));
    expect(read.getCell('B3').numFmt).toBe('yyyy-mm-dd');
    expect(read.getCell('C3').value).toBe(1);
    expect(read.getCell('A3001').value).toBe(rows[2999]![0]);
    expect(read.getCell('C3001').value).toBe(2999);
  });
});

describe('the CSV cells', () => {
  it('are quoted and escaped as csv-stringify quoted them (semicolons, CRLF, quoted_match)', () => {
    const cells = [
      'vanlig',
      '',
      'med;semikolon',
      'med "citat"',
      'rad\nbrytning',
      'rad\r\nbrytning',
      'bara\rCR',
      "'=SUM(1+2)",
      ' mellanslag ',
      'Åsa Öberg',
      '"',
    ];
    const expected = stringify([cells], {
      delimiter: ';',
      record_delimiter: 'windows',
      quoted_match: /[\r\n]/,
    });
    expect(`${cells.map(csvCell).join(';')}\r\n`).toBe(expected);
  });
});
