import { formatKronor, formatSwedishDate, waitBucketLabel } from '@evb/domain';
import type { RouterOutputs } from '../api/client';
import { days } from '../format/format';

/*
 * What the risk screen shows of a wait apart from the markup: the fee range in kronor, the time
 * waited with its group, what the waiting began with, the last day for IVO's fee application and
 * why a wait gives no fee.
 */

export type RiskAnswer = RouterOutputs['risk']['longestWaits'];
export type RiskRow = RiskAnswer['rows'][number];

/** "15 000 kr – 1 500 000 kr": the särskild avgift the court may impose. */
export function feeRangeText(avgift: NonNullable<RiskRow['avgift']>): string {
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

/**
 * The last day the court can serve IVO's application for a fee on the kommun, or that it has
 * passed: "Ansökan om särskild avgift måste delges senast 29 juni 2027".
 */
export function feeDeadlineText(
  row: Pick<RiskRow, 'avgiftDeadline' | 'avgiftDeadlinePassed'>,
): string {
  return row.avgiftDeadlinePassed
    ? `Tidsfristen för ansökan har passerat (den ${formatSwedishDate(row.avgiftDeadline)})`
    : `Ansökan om särskild avgift måste delges senast ${formatSwedishDate(row.avgiftDeadline)}`;
}

/** Why a wait the person asked to postpone within LOV gives no fee, with the law that says so. */
export function uppskovLovText(citation: string): string {
  return `Den enskilde har begärt uppskov inom valfrihetssystem (LOV): ingen särskild avgift enligt ${citation}`;
}
