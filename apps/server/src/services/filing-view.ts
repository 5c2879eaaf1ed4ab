import { formatSwedishDate, parseQuarterKey, quarterLabel } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import type { FilingRow } from '../data/reports';
import type { FilingRecorded } from '../db/schema';
import { type FiledSnapshot, readSnapshot } from './individrapport';

/** A filing as the API shows it: what was filed, when, by whom, how it came into evb. */
export type FilingView = {
  id: string;
  decisionId: string;
  episodeStart: string;
  /** `2026-Q2` */
  quarter: string;
  quarterLabel: string;
  report: 'ny' | 'ater';
  status: string;
  filedOn: string;
  /** When it was recorded, ISO timestamp. */
  filedAt: string;
  /** Who recorded it (for a filing marked in evb: who filed it). */
  filedBy: { id: string; namn: string };
  snapshot: FiledSnapshot;
  /** `evb`: marked as filed in evb; `efterhand`: recorded afterwards; `import`: imported. */
  recorded: FilingRecorded;
  /** False when the copy is evb's report when it was recorded, not the report as sent. */
  fieldsAsSent: boolean;
  /**
   * When the report used events voided (makulerade) since it was filed: a Swedish note naming
   * them (the copy itself never changes); null when none; absent when not looked for.
   */
  voidedSince?: string | null;
};

/**
 * A filing as the API shows it; `voidedSince` is the note of services/voiding.ts when the caller
 * looked for events voided since (undefined: not looked for).
 */
export function filingView(
  row: FilingRow,
  snapshot = readSnapshot(row.snapshot),
  voidedSince?: string | null,
): FilingView {
  const q = parseQuarterKey(row.quarter);
  return {
    ...(voidedSince !== undefined ? { voidedSince } : {}),
    id: row.id,
    decisionId: row.decisionId,
    episodeStart: row.episodeStart,
    quarter: row.quarter,
    quarterLabel: q ? quarterLabel(q) : row.quarter,
    report: row.report,
    status: row.status,
    filedOn: row.filedOn,
    filedAt: new Date(row.filedAt).toISOString(),
    filedBy: { id: row.filedBy, namn: row.filedByNamn },
    snapshot,
    recorded: row.recorded,
    fieldsAsSent: row.fieldsAsSent,
  };
}

/** 409: the line is already filed for the quarter. */
export function alreadyFiled(filing: Pick<FilingRow, 'filedOn' | 'filedByNamn'>): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: `Raden rapporterades till IVO ${formatSwedishDate(filing.filedOn)} av ${filing.filedByNamn}; den kan inte rapporteras igen för samma kvartal.`,
  });
}
