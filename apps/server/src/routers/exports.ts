import type { Quarter } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { insertAudit } from '../data/audit';
import { findNamnd } from '../data/organisation';
import {
  exportOfSource,
  type IndividrapportExport,
  type QuarterLineSource,
} from '../services/individrapport-export';
import { readQuarterReportSources } from '../services/quarter-reports';
import { reportingRoleIn, reportingScope } from '../services/role-grants';
import { flatMapInTurns } from '../services/turns';
import type { AuthUser, Context } from '../trpc/context';
import { createCallerFactory, roleProcedure, router } from '../trpc/init';
import { type QuarterLineView, QuarterSchema, quarterRouter } from './quarter';

/*
 * The quarter's exports (issue 5): every line of a quarter with its individrapport, for the PDF of
 * the whole quarter, the CSV and the XLSX (src/http/exports.ts). The lines are quarter.lines',
 * called here so that who may read them, and the audit of the read, stay the screen's; the reports
 * are built as reports.get builds one, in bulk passes over the lines (services/quarter-reports.ts,
 * which the to-do view's quarter.todo uses too), REPORTS_PER_PASS lines at a time. For the files,
 * this thread only reads and checks each batch (`sources`); their worker builds the batch's
 * reports and renders them while the next batch is read (issue 11).
 */

const QuarterExportInput = z.object({
  namndId: z
    .string({ error: 'Välj nämnd' })
    .trim()
    .min(1, { error: 'Välj nämnd' })
    .max(100, { error: 'Okänd nämnd' }),
  quarter: QuarterSchema,
});

/**
 * Lines built in one pass: a few tenths of a second of reading and building for the largest
 * nämnd, so that the worker has the first reports to render early, and other requests get in
 * between the passes.
 */
const REPORTS_PER_PASS = 250;

/** Reports built between two turns of the event loop: a few milliseconds of work. */
const REPORTS_PER_TURN = 50;

const quarterCaller = createCallerFactory(quarterRouter);

/** A quarter's export without its reports: the quarter view's figures and the nämnd's name. */
export type QuarterExportHead = {
  namndId: string;
  namndNamn: string;
  quarter: Quarter;
  quarterKey: string;
  referenceDate: string;
  window: { opens: string; closes: string };
  verksamhetsomraden: string[] | null;
  counts: Record<string, number>;
};

export type QuarterExport = QuarterExportHead & { reports: IndividrapportExport[] };

/** A quarter's export opened: checked and its lines read, its reports still to be built. */
export type OpenedQuarterExport = {
  head: QuarterExportHead;
  /** The quarter view's lines, in its order. */
  lines: QuarterLineView[];
  /** Audits the read of the reports, with every decision that has a line. */
  auditRead(): Promise<void>;
  /**
   * What the reports of `lines` (the view's, in any order) are built from, in that order,
   * REPORTS_PER_PASS at a time: each line with its ReportSource, for exportOfSource (which the
   * files' worker runs). Refuses with 409 when a line's case changed since the lines were read:
   * no half-true export.
   */
  sources(lines: readonly QuarterLineView[]): AsyncGenerator<QuarterLineSource[]>;
  /** The reports of `lines`, as `sources` gives them, built on this thread. */
  reports(lines: readonly QuarterLineView[]): AsyncGenerator<IndividrapportExport[]>;
};

/**
 * Opens the quarter's export for the caller: the lines as quarter.lines gives them (who may read
 * them, and its audit), 403 unless the caller reports for the nämnd.
 */
async function openQuarterExport(
  ctx: Context & { user: AuthUser },
  input: z.output<typeof QuarterExportInput>,
): Promise<OpenedQuarterExport> {
  const view = await quarterCaller(ctx).lines(input);
  const role = reportingRoleIn(ctx.user, input.namndId);
  if (!role) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
  }
  const namnd = await findNamnd(ctx.db, input.namndId);
  const q: Quarter = view.quarter;
  const scope = reportingScope(ctx.user, input.namndId);
  async function* sources(lines: readonly QuarterLineView[]): AsyncGenerator<QuarterLineSource[]> {
    for (let start = 0; start < lines.length; start += REPORTS_PER_PASS) {
      const pass = lines.slice(start, start + REPORTS_PER_PASS);
      const sources = await readQuarterReportSources(ctx.db, {
        scope,
        quarter: q,
        lines: pass.map((l) => ({ decisionId: l.decisionId, episodeStart: l.episode.start })),
        // The case changed between the reads (an event logged meanwhile): no half-true export.
        ifChanged: {
          refuse: 'Kvartalets uppgifter ändrades medan exporten togs fram. Försök igen.',
        },
      });
      yield sources.map((source, i) => ({ line: pass[i]!, source }));
    }
  }
  return {
    head: {
      namndId: view.namndId,
      namndNamn: namnd?.namn ?? view.namndId,
      quarter: q,
      quarterKey: view.quarterKey,
      referenceDate: view.referenceDate,
      window: view.window,
      verksamhetsomraden: view.verksamhetsomraden,
      counts: view.counts,
    },
    lines: view.lines,
    auditRead: () =>
      insertAudit(ctx.db, {
        userId: ctx.user.id,
        role,
        action: 'individrapporter_kvartal_last',
        subjectType: 'kvartal',
        subjectId: view.quarterKey,
        namndId: input.namndId,
        details: {
          rader: view.lines.length,
          beslut: [...new Set(view.lines.map((l) => l.decisionId))],
        },
      }),
    sources,
    async *reports(lines) {
      for await (const pass of sources(lines)) {
        yield await flatMapInTurns(pass, REPORTS_PER_TURN, (item) => [
          exportOfSource(item, q, ctx.user.displayName),
        ]);
      }
    },
  };
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
    .query(async ({ ctx, input }): Promise<QuarterExport> => {
      const opened = await openQuarterExport(ctx, input);
      const reports: IndividrapportExport[] = [];
      for await (const pass of opened.reports(opened.lines)) reports.push(...pass);
      await opened.auditRead();
      return { ...opened.head, reports };
    }),
});

/**
 * The files' way in (src/http/exports.ts), not mounted, so not callable over tRPC: the same
 * checks as exports.quarter (a rapportör or huvudrapportör of the nämnd), its lines read and the
 * reports left to build pass by pass while a worker renders them.
 */
const quarterExportOpener = router({
  open: roleProcedure('rapportor', 'huvudrapportor')
    .input(QuarterExportInput)
    .query(({ ctx, input }) => openQuarterExport(ctx, input)),
});

export const openQuarterExportFor = createCallerFactory(quarterExportOpener);
