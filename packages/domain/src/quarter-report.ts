import { daysBetween, type IsoDate } from './calendar/dates';
import { compareQuarters, type Quarter, quarterBounds, quarterOf } from './calendar/quarters';
import type { CaseEvent, Decision } from './schemas';
import { type Episode, episodes, firstOverdueDay } from './timeline';

export type ReportStatus = 'ej_verkstalld' | 'verkstalld' | 'avslutad';

export type ReportLine = {
  decisionId: string;
  episode: Episode;
  /** `ny` in the quarter that contains the episode's first overdue day, otherwise `ater`. */
  report: 'ny' | 'ater';
  /** At the quarter's reference date. */
  status: ReportStatus;
  statusDate?: IsoDate;
  /** The first day the episode had waited more than three months. */
  overdueFrom: IsoDate;
  /** Days from the episode's start to its end, or to the reference date if it was still open. */
  daysWaited: number;
};

/**
 * The lines a decision has in quarter `q`: one per episode that is reportable then.
 *
 * An episode is reportable when its first overdue day is on or before the reference date E, and it
 * was either still open at E or ended inside the quarter on or after that overdue day. Events after
 * E have not happened as far as the quarter is concerned.
 */
export function quarterReport(
  decision: Decision,
  events: readonly CaseEvent[],
  q: Quarter,
): ReportLine[] {
  const { start: quarterStart, end: referenceDate } = quarterBounds(q);
  const lines: ReportLine[] = [];
  for (const episode of episodes(decision, events)) {
    const overdueFrom = firstOverdueDay(episode.start);
    if (overdueFrom > referenceDate) continue;
    const endedByE = episode.end && episode.end.date <= referenceDate ? episode.end : undefined;
    if (endedByE && (endedByE.date < overdueFrom || endedByE.date < quarterStart)) continue;
    lines.push({
      decisionId: decision.id,
      episode,
      report: compareQuarters(quarterOf(overdueFrom), q) === 0 ? 'ny' : 'ater',
      status: endedByE ? endedByE.type : 'ej_verkstalld',
      ...(endedByE ? { statusDate: endedByE.date } : {}),
      overdueFrom,
      daysWaited: daysBetween(episode.start, endedByE?.date ?? referenceDate),
    });
  }
  return lines;
}

/** True when the episode ever becomes reportable: it was still waiting after three months. */
export function isReportable(episode: Episode): boolean {
  return !episode.end || episode.end.date >= firstOverdueDay(episode.start);
}
