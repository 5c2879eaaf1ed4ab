import { formatKronor, formatSwedishDate, waitBucketLabel } from '@evb/domain';
import type { RouterOutputs } from '../api/client';
import { days } from '../format/format';

/*
 * What the risk screen shows of a wait apart from the markup: the fee range in kronor, the time
 * waited with its group, and what the waiting began with.
 */

export type RiskAnswer = RouterOutputs['risk']['longestWaits'];
export type RiskRow = RiskAnswer['rows'][number];

/** "15 000 kr – 1 500 000 kr": the särskild avgift the court may impose. */
export function feeRangeText(avgift: RiskRow['avgift']): string {
  return `${formatKronor(avgift.min)} – ${formatKronor(avgift.max)}`;
}

/** "366 dagar (mer än 12 månader)". */
export function waitedText(row: Pick<RiskRow, 'daysWaited' | 'vantetid'>): string {
  return `${days(row.daysWaited)} (${waitBucketLabel(row.vantetid).toLocaleLowerCase('sv')})`;
}

/** What the waiting began with: the decision itself, or an interruption on a later day. */
export function waitStartText(row: Pick<RiskRow, 'episode'>): string {
  return row.episode.kind === 'avbrott'
    ? `Avbrott ${formatSwedishDate(row.episode.start)}`
    : 'Sedan beslutet';
}
