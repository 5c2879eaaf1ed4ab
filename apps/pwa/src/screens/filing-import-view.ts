import { formatSwedishDate } from '@evb/domain';
import type { RouterOutputs } from '../api/client';
import { count } from './import-view';

/*
 * What the import of earlier filings (Import.tsx, "Tidigare inlämningar till IVO") says of a dry
 * run and a run, in Swedish. The rules are the domain's and the server's.
 */

export type FilingImportPreview = RouterOutputs['imports']['filingsDryRun'];
export type FilingImportDone = RouterOutputs['imports']['filingsRun'];
export type FilingImportAccepted = FilingImportPreview['accepted'][number];

/** The dry run in a few sentences: what would be recorded and what is refused. */
export function filingPreviewSummary(preview: FilingImportPreview): string[] {
  const lines = [`Filen har ${count(preview.rows, 'rad', 'rader')} med inlämningar.`];
  if (preview.accepted.length > 0) {
    lines.push(
      `${count(preview.accepted.length, 'inlämning', 'inlämningar')} kan registreras som ${rapporterad(preview.accepted.length)} till IVO.`,
    );
  }
  const refusedRows = new Set(preview.refused.map((r) => r.row)).size;
  if (refusedRows > 0) lines.push(`${count(refusedRows, 'rad', 'rader')} kan inte importeras.`);
  return lines;
}

/** Whether the dry run allows the import: nothing refused and something to record. */
export function mayImportFilings(preview: FilingImportPreview): boolean {
  return preview.refused.length === 0 && preview.accepted.length > 0;
}

/** The sentence after an import. */
export function filingDoneSummary(done: FilingImportDone): string {
  return `${count(done.recorded, 'inlämning', 'inlämningar')} registrerades som ${rapporterad(done.recorded)} till IVO.`;
}

/** The participle agrees with the count: "1 inlämning … rapporterad", "2 inlämningar … rapporterade". */
function rapporterad(n: number): string {
  return n === 1 ? 'rapporterad' : 'rapporterade';
}

/** "Beslutet" or "Avbrottet 1 juni 2026": which waiting the filing was about. */
export function episodeText(accepted: Pick<FilingImportAccepted, 'episode'>): string {
  return accepted.episode.kind === 'avbrott'
    ? `Avbrottet ${formatSwedishDate(accepted.episode.start)}`
    : 'Beslutet';
}

/** "Återrapportering, verkställt 15 september 2026": the report recorded and the line's status. */
export function reportText(
  accepted: Pick<FilingImportAccepted, 'report' | 'status' | 'statusDate'>,
): string {
  const report = accepted.report === 'ny' ? 'Nyrapportering' : 'Återrapportering';
  if (accepted.status === 'ej_verkstalld') return `${report}, ej verkställt`;
  const what = accepted.status === 'verkstalld' ? 'verkställt' : 'avslutat';
  return `${report}, ${what} ${accepted.statusDate ? formatSwedishDate(accepted.statusDate) : ''}`.trimEnd();
}
