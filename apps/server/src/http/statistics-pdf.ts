import { renderInWorker } from '../render/pool';
import { appRouter } from '../router';
import { createCallerFactory } from '../trpc/init';
import { type ExportDeps, exportHandler, QuarterQuery } from './exports';

/*
 * GET /api/export/statistik.pdf?namndId=…&quarter=2026-Q2: the statistics report as a PDF, for a
 * plain link the browser downloads. It goes through the same procedure as the screen
 * (statistics.quarter), with the session read from the cookie as for every tRPC call, so who may
 * see it, and the audit, are decided in one place. Refusals, the worker thread and its time limit
 * are the quarter's exports' (exportHandler).
 */

const createCaller = createCallerFactory(appRouter);

export function statisticsPdfHandler(deps: ExportDeps) {
  return exportHandler(deps, 'statistik.pdf', QuarterQuery, async (ctx, input, signal) => {
    const report = await createCaller(ctx).statistics.quarter(input);
    const body = await renderInWorker(
      { kind: 'statistik.pdf', report, producedOn: ctx.today() },
      { signal },
    );
    return {
      body,
      contentType: 'application/pdf',
      filename: `statistik-${report.quarterKey}.pdf`,
      audit: {
        action: 'statistik_pdf',
        subjectType: 'statistik',
        subjectId: report.quarterKey,
        details: {},
      },
    };
  });
}
