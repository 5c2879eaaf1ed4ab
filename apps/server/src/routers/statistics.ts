import {
  addQuarters,
  type CaseEvent,
  findInsats,
  legalReference,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterStatistics,
  STATISTICS_TREND_QUARTERS,
  type StatisticsSubject,
  statisticsTrend,
  waitBucketLabel,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { findNamnd } from '../data/organisation';
import { reportingEpisodeTimelines } from '../data/reporting';
import { statisticsDecisions } from '../data/statistics';
import type { Db } from '../db/database';
import { toDomainDecision } from '../services/case-events';
import { reportingAreasIn, reportingRoleIn, reportingScope } from '../services/role-grants';
import type { AuthUser } from '../trpc/context';
import { roleProcedure, router } from '../trpc/init';
import { QuarterSchema } from './quarter';

/*
 * The nämnd's quarterly statistics report to kommunfullmäktige (SoL 2025:400 34 kap. 3 §, LSS 28 h §),
 * counted by the domain's quarterStatistics (see packages/domain/src/statistics.ts for what counts):
 * de-identified, so the answer holds counts only, never a name, id or date of a person.
 */

export const NamndIdSchema = z
  .string({ error: 'Välj nämnd' })
  .trim()
  .min(1, { error: 'Välj nämnd' })
  .max(100, { error: 'Okänd nämnd' });

const StatisticsInput = z.object({ namndId: NamndIdSchema, quarter: QuarterSchema });

export type StatisticsReport = Awaited<ReturnType<typeof readStatistics>>;

async function readStatistics(ctx: { db: Db; user: AuthUser }, namndId: string, q: Quarter) {
  const first = addQuarters(q, 1 - STATISTICS_TREND_QUARTERS);
  const { end: referenceDate } = quarterBounds(q);
  const selection = {
    scope: reportingScope(ctx.user, namndId),
    overdueDuring: { from: quarterBounds(first).start, to: referenceDate },
  };
  const [namnd, decisions, timelines] = await Promise.all([
    findNamnd(ctx.db, namndId),
    statisticsDecisions(ctx.db, selection),
    reportingEpisodeTimelines(ctx.db, selection),
  ]);
  const subjects: StatisticsSubject[] = decisions.map((d) => ({
    decision: toDomainDecision(d),
    events: timelines.get(d.id) ?? ([] as CaseEvent[]),
    ivoId: d.personIvoId,
    kon: d.personKon,
  }));
  const stats = quarterStatistics(subjects, q);
  const trend = statisticsTrend(subjects, q);
  return {
    namndId,
    namndNamn: namnd?.namn ?? namndId,
    quarter: q,
    quarterKey: quarterKey(q),
    referenceDate,
    /** The caller's verksamhetsområden in the nämnd; null when they report for all of them. */
    verksamhetsomraden: reportingAreasIn(ctx.user, namndId),
    legalReferences: [
      legalReference('SOL_STATISTIK', referenceDate).citation,
      legalReference('LSS_STATISTIK', referenceDate).citation,
    ],
    total: stats.total,
    byInsats: stats.byInsats.map((row) => ({
      insats: row.insats,
      insatsLabel: findInsats(row.insats)?.label ?? row.insats,
      counts: row.counts,
    })),
    byWait: stats.byWait.map((row) => ({
      vantetid: row.vantetid,
      label: waitBucketLabel(row.vantetid),
      counts: row.counts,
    })),
    endedInQuarter: stats.endedInQuarter,
    trend: trend.map((t) => ({
      quarter: t.quarter,
      quarterKey: quarterKey(t.quarter),
      referenceDate: t.referenceDate,
      total: t.total,
    })),
  };
}

export const statisticsRouter = router({
  /**
   * The statistics of a quarter for a nämnd, over the caller's verksamhetsområden there, with the
   * trend of the eight quarters ending with it. Input: { namndId, quarter: { year, quarter } }.
   * Who: a rapportör or huvudrapportör of the nämnd (another nämnd: 403). Audited as
   * `statistik_last`.
   */
  quarter: roleProcedure('rapportor', 'huvudrapportor')
    .input(StatisticsInput)
    .query(async ({ ctx, input }) => {
      const role = reportingRoleIn(ctx.user, input.namndId);
      if (!role) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
      }
      const report = await readStatistics(ctx, input.namndId, input.quarter);
      await ctx.audit({
        role,
        action: 'statistik_last',
        subjectType: 'statistik',
        subjectId: report.quarterKey,
        namndId: input.namndId,
        details: {
          verksamhetsomraden: report.verksamhetsomraden,
          antal: report.total.total.total,
        },
      });
      return report;
    }),
});
