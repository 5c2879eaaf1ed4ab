import {
  addQuarters,
  compareQuarters,
  type Quarter,
  quarterLabel,
  quarterOf,
} from './calendar/quarters';
import type { ReportLine } from './quarter-report';

/*
 * The report type the rapportör sends, as against the law's schedule (domain.md, "What IVO already
 * has"). `quarterReport` says when the law calls a line a nyrapportering or an återrapportering.
 * What IVO's e-tjänst accepts also depends on what IVO holds: an återrapportering "updates an
 * earlier reported decision" and is offered only for cases IVO has (seed 000, tab 2). So a line the
 * schedule calls återrapportering is sent as a nyrapportering while no earlier filing of its episode
 * is recorded; the line says which earlier quarters are not recorded, and the rapportör either
 * records those filings or sends a nyrapportering now.
 *
 * A line that the schedule calls a nyrapportering is always sent as one: IVO cannot have had it.
 */

export type ReportTypeToSend = {
  /** What the law's schedule calls the line (`quarterReport`). */
  scheduled: 'ny' | 'ater';
  /** What is sent in the e-tjänst. */
  send: 'ny' | 'ater';
  /**
   * The earlier quarters in which the episode had a line and no filing of it is recorded, oldest
   * first (empty on a nyrapportering by the schedule).
   */
  unrecordedEarlier: Quarter[];
  /** A Swedish sentence when `send` differs from `scheduled`, else null. */
  notice: string | null;
};

/**
 * The quarters before `quarter` in which the line's episode had a line of its own: from the
 * quarter of its first overdue day. An episode that has a line in `quarter` was still waiting at
 * the end of each of them.
 */
export function earlierLineQuarters(
  line: Pick<ReportLine, 'overdueFrom'>,
  quarter: Quarter,
): Quarter[] {
  const quarters: Quarter[] = [];
  for (
    let q = quarterOf(line.overdueFrom);
    compareQuarters(q, quarter) < 0;
    q = addQuarters(q, 1)
  ) {
    quarters.push(q);
  }
  return quarters;
}

function listLabels(quarters: readonly Quarter[]): string {
  const labels = quarters.map(quarterLabel);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} och ${labels.at(-1)}`;
}

/**
 * The report type to send for `line` of `quarter`, given the quarters for which a filing of the
 * same episode is recorded (`filedQuarters`, any order; later quarters are ignored).
 */
export function reportTypeToSend(input: {
  line: Pick<ReportLine, 'report' | 'overdueFrom'>;
  quarter: Quarter;
  filedQuarters: readonly Quarter[];
}): ReportTypeToSend {
  const { line, quarter } = input;
  if (line.report === 'ny') {
    return { scheduled: 'ny', send: 'ny', unrecordedEarlier: [], notice: null };
  }
  const filedBefore = input.filedQuarters.filter((q) => compareQuarters(q, quarter) < 0);
  const isFiled = (q: Quarter) => filedBefore.some((f) => compareQuarters(f, q) === 0);
  const unrecordedEarlier = earlierLineQuarters(line, quarter).filter((q) => !isFiled(q));
  if (filedBefore.length > 0) {
    return { scheduled: 'ater', send: 'ater', unrecordedEarlier, notice: null };
  }
  const which = listLabels(unrecordedEarlier);
  return {
    scheduled: 'ater',
    send: 'ny',
    unrecordedEarlier,
    notice:
      `Enligt lagens schema är raden en återrapportering, men ingen tidigare rapportering av dröjsmålet är registrerad i evb${which ? ` (${which})` : ''}. ` +
      'IVO:s e-tjänst erbjuder återrapportering bara för ärenden som IVO redan har: registrera de tidigare inlämningarna, eller lämna rapporten nu som en nyrapportering.',
  };
}
