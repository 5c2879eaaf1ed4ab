import {
  addQuarters,
  type CaseEvent,
  findInsats,
  type Lagrum,
  legalReference,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterStatistics,
  STATISTICS_TREND_QUARTERS,
  type StatisticsSubject,
  statisticsTrend,
  VERKSAMHETSOMRADEN,
  waitBucketLabel,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { findNamnd, verksamhetsomradenOf } from '../data/organisation';
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

/** How the statistics name the law groups of insatser. */
const LAGRUM_LABELS: Record<Lagrum, string> = {
  SoL: 'Insatser enligt socialtjänstlagen (SoL)',
  LSS: 'Insatser enligt LSS',
};

/** Whether the verksamhetsområden the figures cover include one under the law. */
function lagrumCovered(areas: readonly string[], lagrum: Lagrum): boolean {
  return VERKSAMHETSOMRADEN.some((v) => v.lagrum === lagrum && areas.includes(v.code));
}

async function readStatistics(ctx: { db: Db; user: AuthUser }, namndId: string, q: Quarter) {
  const first = addQuarters(q, 1 - STATISTICS_TREND_QUARTERS);
  const { end: referenceDate } = quarterBounds(q);
  const selection = {
    scope: reportingScope(ctx.user, namndId),
    overdueDuring: { from: quarterBounds(first).start, to: referenceDate },
  };
  const [namnd, namndAreas, decisions, timelines] = await Promise.all([
    findNamnd(ctx.db, namndId),
    verksamhetsomradenOf(ctx.db, [namndId]),
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
  const verksamhetsomraden = reportingAreasIn(ctx.user, namndId);
  // The areas the figures cover: the caller's in the nämnd, or all the nämnd reports for.
  const covered = verksamhetsomraden ?? namndAreas.map((a) => a.verksamhetsomrade);
  return {
    namndId,
    namndNamn: namnd?.namn ?? namndId,
    quarter: q,
    quarterKey: quarterKey(q),
    referenceDate,
    /** The caller's verksamhetsområden in the nämnd; null when they report for all of them. */
    verksamhetsomraden,
    legalReferences: [
      legalReference('SOL_STATISTIK', referenceDate).citation,
      legalReference('LSS_STATISTIK', referenceDate).citation,
    ],
    total: stats.total,
    /**
     * The insatser grouped by law, SoL first, then LSS, each with its subtotal and its insatser in
     * the code list's order. A group outside the verksamhetsområden covered (the caller's in the
     * nämnd, or all the nämnd reports for) is left out, as it can hold nothing; one within them is
     * kept also when empty, so its zero is said.
     */
    byLagrum: stats.byLagrum
      .filter((group) => group.counts.total.total > 0 || lagrumCovered(covered, group.lagrum))
      .map((group) => ({
        lagrum: group.lagrum,
        label: LAGRUM_LABELS[group.lagrum],
        counts: group.counts,
        insatser: group.insatser.map((row) => ({
          insats: row.insats,
          insatsLabel: findInsats(row.insats)?.label ?? row.insats,
          counts: row.counts,
        })),
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
