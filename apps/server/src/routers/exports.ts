import type { Quarter } from '@evb/domain';
import { type inferRouterOutputs, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { insertAudit } from '../data/audit';
import { findNamnd } from '../data/organisation';
import { exportOfLine, type IndividrapportExport } from '../services/individrapport-export';
import { buildQuarterReports } from '../services/quarter-reports';
import { reportingRoleIn, reportingScope } from '../services/role-grants';
import { createCallerFactory, roleProcedure, router } from '../trpc/init';
import { QuarterSchema, quarterRouter } from './quarter';

/*
 * The quarter's exports (issue 5): every line of a quarter with its individrapport, for the PDF of
 * the whole quarter, the CSV and the XLSX (src/http/exports.ts). The lines are quarter.lines',
 * called here so that who may read them, and the audit of the read, stay the screen's; the reports
 * are built as reports.get builds one, in one bulk pass over every line (services/quarter-reports.ts,
 * which the to-do view's quarter.todo uses too).
 */

const QuarterExportInput = z.object({
  namndId: z
    .string({ error: 'Välj nämnd' })
    .trim()
    .min(1, { error: 'Välj nämnd' })
    .max(100, { error: 'Okänd nämnd' }),
  quarter: QuarterSchema,
});

const quarterCaller = createCallerFactory(quarterRouter);

export const exportsRouter = router({
  /**
   * Every line of a quarter with its individrapport: { namndId, quarter } → the quarter view's
   * figures (window, counts, the caller's areas), the nämnd's name, and `reports`, one
   * IndividrapportExport per line in the quarter view's order. Who: a rapportör or huvudrapportör
   * of the nämnd (else 403), over their verksamhetsområden. Audited as `kvartal_last` (the lines)
   * and `individrapporter_kvartal_last` with the decisions whose reports were read.
   */
  quarter: roleProcedure('rapportor', 'huvudrapportor')
    .input(QuarterExportInput)
    .query(async ({ ctx, input }) => {
      const view = await quarterCaller(ctx).lines(input);
      const role = reportingRoleIn(ctx.user, input.namndId);
      if (!role) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
      }
      const q: Quarter = view.quarter;
      const ids = [...new Set(view.lines.map((l) => l.decisionId))];
      const [namnd, built] = await Promise.all([
        findNamnd(ctx.db, input.namndId),
        buildQuarterReports(ctx.db, {
          scope: reportingScope(ctx.user, input.namndId),
          quarter: q,
          lines: view.lines.map((l) => ({
            decisionId: l.decisionId,
            episodeStart: l.episode.start,
          })),
          rapportor: ctx.user.displayName,
          // The case changed between the reads (an event logged meanwhile): no half-true export.
          ifChanged: {
            refuse: 'Kvartalets uppgifter ändrades medan exporten togs fram. Försök igen.',
          },
        }),
      ]);
      const reports: IndividrapportExport[] = built.map((report, i) =>
        exportOfLine({
          line: view.lines[i]!,
          current: report.current,
          locked: report.locked,
          filing: report.filing,
          previous: report.previous,
        }),
      );

      await insertAudit(ctx.db, {
        userId: ctx.user.id,
        role,
        action: 'individrapporter_kvartal_last',
        subjectType: 'kvartal',
        subjectId: view.quarterKey,
        namndId: input.namndId,
        details: { rader: reports.length, beslut: ids },
      });
      return {
        namndId: view.namndId,
        namndNamn: namnd?.namn ?? view.namndId,
        quarter: q,
        quarterKey: view.quarterKey,
        referenceDate: view.referenceDate,
        window: view.window,
        verksamhetsomraden: view.verksamhetsomraden,
        counts: view.counts,
        reports,
      };
    }),
});

export type QuarterExport = inferRouterOutputs<typeof exportsRouter>['quarter'];
