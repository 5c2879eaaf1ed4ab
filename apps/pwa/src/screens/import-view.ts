import { IMPORT_LIMITS } from '@evb/domain';
import type { RouterOutputs } from '../api/client';

/*
 * What the import screen (Import.tsx) works out by itself: reading the chosen file's bytes as
 * text, and the Swedish sentences that sum up a dry run. The rules of the rows are the domain's
 * and the server's.
 */

export type ImportPreview = RouterOutputs['imports']['dryRun'];
export type ImportDone = RouterOutputs['imports']['run'];

export type DecodedFile = { text: string; encoding: 'UTF-8' | 'Windows-1252' };

/**
 * The file's text. The import's format is UTF-8 (Excel's "CSV UTF-8"); a file that is not valid
 * UTF-8 is read as Windows-1252, what Swedish Excel writes for plain "CSV (semikolonavgränsad)",
 * so its å, ä and ö come through, and the screen says so.
 */
export function decodeCsvBytes(bytes: ArrayBuffer): DecodedFile {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'Windows-1252' };
  }
}

const MAX_MB = IMPORT_LIMITS.maxBytes / 1024 / 1024;

/** Why a file cannot even be tried, or null. */
export function fileProblem(file: { size: number; name: string }): string | null {
  if (file.size === 0) return `Filen ${file.name} är tom.`;
  if (file.size > IMPORT_LIMITS.maxBytes) {
    return `Filen ${file.name} är större än ${MAX_MB} MB. Dela upp den i flera filer.`;
  }
  return null;
}

export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The dry run in a few sentences: what would be imported, left alone and refused. */
export function previewSummary(preview: ImportPreview): string[] {
  const lines = [`Filen har ${count(preview.rows, 'rad', 'rader')} med beslut.`];
  if (preview.accepted.length > 0) {
    lines.push(
      `${count(preview.accepted.length, 'beslut', 'beslut')} kan importeras, ${count(preview.newPersons, 'ny person', 'nya personer')}.`,
    );
  }
  if (preview.alreadyImported.length > 0) {
    lines.push(
      `${count(preview.alreadyImported.length, 'beslut är', 'beslut är')} redan importerade och lämnas som de är.`,
    );
  }
  const refusedRows = new Set(preview.refused.map((r) => r.row)).size;
  if (refusedRows > 0) {
    lines.push(`${count(refusedRows, 'rad', 'rader')} kan inte importeras.`);
  }
  return lines;
}

/** Whether the dry run allows the import: nothing refused and something to import. */
export function mayImport(preview: ImportPreview): boolean {
  return preview.refused.length === 0 && preview.accepted.length > 0;
}

/** The sentence after an import. */
export function doneSummary(done: ImportDone): string {
  const parts = [
    `${count(done.imported, 'beslut', 'beslut')} importerades, ${count(done.newPersons, 'ny person', 'nya personer')}.`,
  ];
  if (done.events > 0) {
    parts.push(
      `Deras läge (verkställd, avbrott, avslutad) blev ${count(done.events, 'händelse', 'händelser')}.`,
    );
  }
  if (done.alreadyImported > 0) {
    parts.push(
      `${count(done.alreadyImported, 'beslut', 'beslut')} fanns redan och lämnades orörda.`,
    );
  }
  return parts.join(' ');
}

/** A file to download, as a data URL: UTF-8 with a byte order mark, so Excel reads å, ä and ö. */
export function csvDataUrl(csv: string): string {
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${csv}`)}`;
}
