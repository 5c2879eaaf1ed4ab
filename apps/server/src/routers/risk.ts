import {
  avgiftFristReference,
  type CaseEvent,
  compareOverdueWaits,
  findInsats,
  legalReference,
  overdueWaitOn,
  WAIT_BUCKETS,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { reportingDecisions, reportingEpisodeTimelines } from '../data/reporting';
import { latestReasonEvents } from '../data/risk';
import { toDomainDecision } from '../services/case-events';
import { reportingAreasIn, reportingRoleIn, reportingScope } from '../services/role-grants';
import { roleProcedure, router } from '../trpc/init';
import { NamndIdSchema } from './statistics';

/*
 * Risk of särskild avgift: the nämnd's decisions (and interruptions) that have waited more than
 * three months today, longest first, each with the range of fee the law gives for its decision date,
 * the last day the court can serve IVO's application for a fee, and whether the person asked to
 * postpone within LOV, which gives no fee (all from the domain's overdueWaitOn), so the nämnd can
 * act before IVO does.
 */

export const RISK_DEFAULT_LIMIT = 100;
const RISK_MAX_LIMIT = 5000;

const LongestWaitsInput = z.object({
  namndId: NamndIdSchema,
  /** How many of the longest waits to return; the counts cover all of them. */
  limit: z
    .number({ error: 'Ange antal rader som ett tal' })
    .int({ error: 'Ange antal rader som ett heltal' })
    .min(1, { error: 'Visa minst en rad' })
    .max(RISK_MAX_LIMIT, { error: `Visa högst ${RISK_MAX_LIMIT} rader` })
    .optional(),
});

export const riskRouter = router({
  /**
   * The waits past three months today in a nämnd, over the caller's verksamhetsområden there,
   * longest first: person (IVO pseudo-id and name), insats, decision date, days waited, the fee
   * range in kronor (null for a SoL wait the person asked to postpone within LOV, with the law that
   * says so in `uppskovLov`), and the last day the court can serve IVO's application for a fee
   * (`avgiftDeadline`, with `avgiftDeadlinePassed` once it is before today) with its law. Rows that
   * give no fee stay in their place in the order. Input: { namndId, limit? } (default 100 rows).
   * Who: a rapportör or huvudrapportör of the nämnd (another nämnd: 403). Audited as `risk_last`
   * with the rows shown.
   */
  longestWaits: roleProcedure('rapportor', 'huvudrapportor')
    .input(LongestWaitsInput)
    .query(async ({ ctx, input }) => {
      const role = reportingRoleIn(ctx.user, input.namndId);
      if (!role) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
      }
      const today = ctx.today();
      const selection = {
        scope: reportingScope(ctx.user, input.namndId),
        overdueDuring: { from: today, to: today },
      };
      const [decisions, timelines, reasons] = await Promise.all([
        reportingDecisions(ctx.db, selection),
        reportingEpisodeTimelines(ctx.db, selection),
        latestReasonEvents(ctx.db, selection, today),
      ]);
      const waits = decisions.flatMap((d) => {
        const reason = reasons.get(d.id);
        const events = timelines.get(d.id) ?? ([] as CaseEvent[]);
        const wait = overdueWaitOn(
          toDomainDecision(d),
          reason ? [...events, reason] : events,
          today,
        );
        if (!wait) return [];
        return [
          {
            decisionId: d.id,
            person: {
              ivoId: d.personIvoId,
              namn: `${d.personFornamn} ${d.personEfternamn}`,
              skyddadIdentitet: d.personSkyddadIdentitet,
            },
            insats: d.insats,
            insatsLabel: findInsats(d.insats)?.label ?? d.insats,
            verksamhetsomrade: d.verksamhetsomrade,
            lagrum: d.lagrum,
            beslutsdatum: d.beslutsdatum,
            episode: { kind: wait.episode.kind, start: wait.episode.start },
            overdueFrom: wait.overdueFrom,
            daysWaited: wait.daysWaited,
            vantetid: wait.vantetid,
            avgift: wait.avgift,
            avgiftDeadline: wait.avgiftDeadline,
            avgiftDeadlinePassed: wait.avgiftDeadlinePassed,
            uppskovLov: wait.uppskovLov?.citation ?? null,
          },
        ];
      });
      waits.sort(compareOverdueWaits);
      const rows = waits.slice(0, input.limit ?? RISK_DEFAULT_LIMIT);
      await ctx.audit({
        role,
        action: 'risk_last',
        subjectType: 'namnd',
        subjectId: input.namndId,
        namndId: input.namndId,
        details: { dag: today, rader: rows.length, beslut: rows.map((r) => r.decisionId) },
      });
      return {
        namndId: input.namndId,
        today,
        verksamhetsomraden: reportingAreasIn(ctx.user, input.namndId),
        legalReference: {
          sol: legalReference('SOL_SARSKILD_AVGIFT', today).citation,
          lss: legalReference('LSS_SARSKILD_AVGIFT', today).citation,
        },
        /** The two-year limit for serving IVO's application on the kommun, by law. */
        avgiftFrist: {
          sol: avgiftFristReference('SoL', today)?.citation ?? null,
          lss: avgiftFristReference('LSS', today)?.citation ?? null,
        },
        total: waits.length,
        byWait: WAIT_BUCKETS.map((b) => ({
          vantetid: b.code,
          label: b.label,
          count: waits.filter((w) => w.vantetid === b.code).length,
        })),
        rows,
      };
    }),
});
