import {
  type CaseEvent,
  type IndividrapportDraft,
  type IndividrapportField,
  type PreviousFiling,
  type Quarter,
  quarterKey,
  quarterReport,
  type ReportLine,
  type ReportTypeToSend,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { eventsOfDecision, findDecisionById } from '../data/decisions';
import {
  type FilingRow,
  filingsOfEpisode,
  findReportDecision,
  type ReportDecision,
  type ReportLineKey,
} from '../data/reports';
import type { Db } from '../db/database';
import type { AuthUser } from '../trpc/context';
import { notFound } from '../trpc/init';
import { toDomainDecision, toDomainEvent } from './case-events';
import { episodeFilings, filedLine, prefillLine } from './individrapport';
import { reportingRoleIn, reportingScope } from './role-grants';

/*
 * One report line as the individrapport procedures and the recording of filings read it: the
 * decision (if the caller reports for its nämnd and area), the line of the quarter for the episode,
 * the episode's filings, and the line's prefilled report as it is sent.
 *
 * A filed line stays readable when the decision's timeline no longer has its episode (an
 * avbrott voided after the filing, say, which ends the episode or moves its start): it is found by
 * its filing row and read as the line that was filed (services/individrapport.ts `filedLine`); the
 * filing's copy stands.
 */

/** A line named by its nämnd, quarter, decision and the start of its episode. */
export type LineKey = {
  namndId: string;
  quarter: Quarter;
  decisionId: string;
  episodeStart: string;
};

export type LoadedLine = {
  role: 'rapportor' | 'huvudrapportor';
  row: ReportDecision;
  quarter: Quarter;
  key: ReportLineKey;
  /**
   * The line as the law's schedule gives it (quarterReport); for a filed line whose episode the
   * timeline no longer has, the line this quarter's filing (`current`) was filed as.
   */
  scheduled: ReportLine;
  /** The line as it is sent: `report` is the report type sent (see sendableLine). */
  line: ReportLine;
  reportType: ReportTypeToSend;
  events: CaseEvent[];
  /** Every filing of the episode, oldest quarter first. */
  filings: FilingRow[];
  previous: FilingRow | null;
  previousFiling: PreviousFiling | null;
  current: FilingRow | null;
  prefill: IndividrapportDraft;
  locked: IndividrapportField[];
};

/** The caller's reporting role in the line's nämnd; 403 when they do not report for it. */
export function reportingRole(user: AuthUser, namndId: string) {
  const role = reportingRoleIn(user, namndId);
  if (!role) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
  }
  return role;
}

/**
 * Everything about one line, read in `db` (a transaction when writing). 403 when the caller does
 * not report for the nämnd, 404 for a decision they may not see or with no such line. `report`
 * overrides the report type sent (a filing recorded afterwards with the type that was sent).
 */
export async function loadLine(
  db: Db,
  user: AuthUser,
  input: LineKey,
  report?: 'ny' | 'ater',
): Promise<LoadedLine> {
  const role = reportingRole(user, input.namndId);
  const row = await findReportDecision(db, reportingScope(user, input.namndId), input.decisionId);
  if (!row) throw notFound();
  const quarter: Quarter = input.quarter;
  const key = {
    decisionId: row.id,
    episodeStart: input.episodeStart,
    quarter: quarterKey(quarter),
  };
  const events = (await eventsOfDecision(db, row.id)).map(toDomainEvent);
  const filings = await filingsOfEpisode(db, row.id, input.episodeStart);
  const { previous, current, previousFiling, filedQuarters } = episodeFilings(filings, key.quarter);
  const inTimeline = quarterReport(toDomainDecision(row), events, quarter).find(
    (l) => l.episode.start === input.episodeStart,
  );
  if (!inTimeline && !current) throw notFound('Rapportraden');
  const scheduled = inTimeline ?? filedLine(current!, row.beslutsdatum, quarter);
  const replaced = row.ersatterBeslutId ? await findDecisionById(db, row.ersatterBeslutId) : null;
  const { prefill, locked, line, reportType } = prefillLine({
    row,
    quarter,
    line: scheduled,
    events,
    previousFiling,
    filedQuarters,
    ...(report ? { report } : {}),
    replaced: replaced
      ? {
          decision: toDomainDecision(replaced),
          events: (await eventsOfDecision(db, replaced.id)).map(toDomainEvent),
        }
      : null,
    rapportor: user.displayName,
  });
  return {
    role,
    row,
    quarter,
    key,
    scheduled,
    line,
    reportType,
    events,
    filings,
    previous,
    previousFiling,
    current,
    prefill,
    locked,
  };
}
