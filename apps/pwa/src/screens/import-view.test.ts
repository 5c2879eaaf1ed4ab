import { describe, expect, it } from 'vitest';
import {
  csvDataUrl,
  decodeCsvBytes,
  doneSummary,
  fileProblem,
  type ImportPreview,
  mayImport,
  previewSummary,
} from './import-view';

const preview = (overrides: Partial<ImportPreview> = {}): ImportPreview => ({
  rows: 0,
  accepted: [],
  alreadyImported: [],
  refused: [],
  newPersons: 0,
  ignoredColumns: [],
  ...overrides,
});

const accepted = (row: number) => ({
  row,
  beslutsid: `B-${row}`,
  insats: 'LSS_9_10',
  insatsLabel: 'Daglig verksamhet',
  verksamhetsomrade: 'LSS',
  beslutsdatum: '2026-06-10',
  handlaggare: { username: 'h', namn: 'H' },
  enhet: null,
  person: 'ny' as const,
  ersatter: null,
  timeline: [],
});

describe('decodeCsvBytes', () => {
  it('reads UTF-8, without its byte order mark', () => {
    const bytes = new TextEncoder().encode('\uFEFFförnamn;kön\n');
    expect(decodeCsvBytes(bytes.buffer as ArrayBuffer)).toEqual({
      text: 'förnamn;kön\n',
      encoding: 'UTF-8',
    });
  });

  it('reads a file that is not UTF-8 as Windows-1252, as Swedish Excel saves plain CSV', () => {
    // "förnamn;Åsa" in Windows-1252: ö = F6, Å = C5.
    const bytes = new Uint8Array([
      0x66, 0xf6, 0x72, 0x6e, 0x61, 0x6d, 0x6e, 0x3b, 0xc5, 0x73, 0x61,
    ]);
    expect(decodeCsvBytes(bytes.buffer)).toEqual({ text: 'förnamn;Åsa', encoding: 'Windows-1252' });
  });
});

describe('fileProblem', () => {
  it('refuses an empty file and one over 5 MB before anything is sent', () => {
    expect(fileProblem({ name: 'a.csv', size: 0 })).toBe('Filen a.csv är tom.');
    expect(fileProblem({ name: 'a.csv', size: 5 * 1024 * 1024 + 1 })).toBe(
      'Filen a.csv är större än 5 MB. Dela upp den i flera filer.',
    );
    expect(fileProblem({ name: 'a.csv', size: 5 * 1024 * 1024 })).toBeNull();
  });
});

describe('previewSummary and mayImport', () => {
  it('says what would be imported, left alone and refused, counting refused rows once', () => {
    const result = preview({
      rows: 5,
      accepted: [accepted(2), accepted(3)],
      alreadyImported: [{ row: 4, beslutsid: 'B-4' }],
      refused: [
        { row: 6, field: 'insats', message: 'Okänd insats' },
        { row: 6, field: 'beslutsdatum', message: 'Ogiltigt datum' },
      ],
      newPersons: 1,
    });
    expect(previewSummary(result)).toEqual([
      'Filen har 5 rader med beslut.',
      '2 beslut kan importeras, 1 ny person.',
      '1 beslut är redan importerade och lämnas som de är.',
      '1 rad kan inte importeras.',
    ]);
    expect(mayImport(result)).toBe(false);
    expect(mayImport({ ...result, refused: [] })).toBe(true);
    // Everything imported before: nothing to import.
    expect(mayImport(preview({ rows: 1, alreadyImported: [{ row: 2, beslutsid: 'B-2' }] }))).toBe(
      false,
    );
  });
});

describe('doneSummary', () => {
  it('counts what was imported and what was there already', () => {
    expect(
      doneSummary({ imported: 3, alreadyImported: 1, newPersons: 2, decisionIds: [], events: 0 }),
    ).toBe('3 beslut importerades, 2 nya personer. 1 beslut fanns redan och lämnades orörda.');
    expect(
      doneSummary({ imported: 3, alreadyImported: 0, newPersons: 2, decisionIds: [], events: 4 }),
    ).toBe(
      '3 beslut importerades, 2 nya personer. Deras läge (verkställd, avbrott, avslutad) blev 4 händelser.',
    );
  });
});

describe('csvDataUrl', () => {
  it('carries the file as UTF-8 with a byte order mark', () => {
    const url = csvDataUrl('förnamn;kön\r\nÅsa;kvinna\r\n');
    expect(url.startsWith('data:text/csv;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(
      '\uFEFFförnamn;kön\r\nÅsa;kvinna\r\n',
    );
  });
});
