import { type CaseEvent, type Quarter, quarterReport } from '@evb/domain';
import { type inferRouterOutputs, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { insertAudit } from '../data/audit';
import { findNamnd } from '../data/organisation';
import {
  caseEventsOfDecisions,
  decisionsByIds,
  filingsOfDecisionsUpTo,
  individrapportDraftsOf,
  reportDecisionsByIds,
} from '../data/quarter-export';
import { byDecision } from '../data/reporting';
import type { FilingRow } from '../data/reports';
import { toDomainDecision } from '../services/case-events';
import { episodeFilings, prefillLine, reportWithEdits } from '../services/individrapport';
import { exportOfLine, type IndividrapportExport } from '../services/individrapport-export';
import { reportingRoleIn, reportingScope } from '../services/role-grants';
import { createCallerFactory, roleProcedure, router } from '../trpc/init';
import { QuarterSchema, quarterRouter } from './quarter';

/*
 * The quarter's exports (issue 5): every line of a quarter with its individrapport, for the PDF of
 * the whole quarter, the CSV and the XLSX (src/http/exports.ts). The lines are quarter.lines',
 * called here so that who may read them, and the audit of the read, stay the screen's; the reports
 * are built as reports.get builds one (services/individrapport.ts), from a few bulk reads over
 * every decision with a line rather than one round of reads per line.
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

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const lineKeyOf = (decisionId: string, episodeStart: string) => `${decisionId}|${episodeStart}`;

/** Filings grouped by their line (decision and episode), each group oldest quarter first. */
function byLine(filings: readonly FilingRow[]): Map<string, FilingRow[]> {
  const groups = new Map<string, FilingRow[]>();
  for (const filing of filings) {
    const key = lineKeyOf(filing.decisionId, filing.episodeStart);
    const group = groups.get(key);
    if (group) group.push(filing);
    else groups.set(key, [filing]);
  }
  return groups;
}

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
      const [namnd, rows, eventRows, filings, savedEdits] = await Promise.all([
        findNamnd(ctx.db, input.namndId),
        reportDecisionsByIds(ctx.db, reportingScope(ctx.user, input.namndId), ids),
        caseEventsOfDecisions(ctx.db, ids),
        filingsOfDecisionsUpTo(ctx.db, ids, view.quarterKey),
        individrapportDraftsOf(ctx.db, ids, view.quarterKey),
      ]);
      const replacedIds = rows.flatMap((r) => (r.ersatterBeslutId ? [r.ersatterBeslutId] : []));
      const [replacedRows, replacedEventRows] = await Promise.all([
        decisionsByIds(ctx.db, replacedIds),
        caseEventsOfDecisions(ctx.db, replacedIds),
      ]);
      const decisions = new Map(rows.map((r) => [r.id, r]));
      const events = byDecision(eventRows);
      const replacedDecisions = new Map(replacedRows.map((r) => [r.id, r]));
      const replacedEvents = byDecision(replacedEventRows);
      const filingsByLine = byLine(filings);
      const editsByLine = new Map(
        savedEdits.map((d) => [lineKeyOf(d.decisionId, d.episodeStart), d.edits]),
      );

      const reports: IndividrapportExport[] = [];
      for (const lineView of view.lines) {
        // Thousands of lines take a while: let other requests in between.
        if (reports.length % 200 === 199) await nextTurn();
        const row = decisions.get(lineView.decisionId);
        const timeline = events.get(lineView.decisionId) ?? ([] as CaseEvent[]);
        const line = row
          ? quarterReport(toDomainDecision(row), timeline, q).find(
              (l) => l.episode.start === lineView.episode.start,
            )
          : undefined;
        if (!row || !line) {
          // The case changed between the reads (an event logged meanwhile): no half-true export.
          throw new TRPCError({
            code: 'CONFLICT',
            message: 'Kvartalets uppgifter ändrades medan exporten togs fram. Försök igen.',
          });
        }
        const key = lineKeyOf(row.id, line.episode.start);
        const { previous, current, previousFiling } = episodeFilings(
          filingsByLine.get(key) ?? [],
          view.quarterKey,
        );
        const replaced = row.ersatterBeslutId
          ? replacedDecisions.get(row.ersatterBeslutId)
          : undefined;
        const { prefill, locked } = prefillLine({
          row,
          quarter: q,
          line,
          events: timeline,
          previousFiling,
          replaced: replaced
            ? {
                decision: toDomainDecision(replaced),
                events: replacedEvents.get(replaced.id) ?? [],
              }
            : null,
          rapportor: ctx.user.displayName,
        });
        reports.push(
          exportOfLine({
            line: lineView,
            current: reportWithEdits(
              { prefill, locked, line, quarter: q, previousFiling },
              editsByLine.get(key) ?? {},
            ),
            locked,
            filing: current,
            previous,
          }),
        );
      }

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
