import { parseQuarterKey } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Context as HonoContext } from 'hono';
import { z } from 'zod';
import type { SessionPolicy } from '../auth/sessions';
import type { Database } from '../db/database';
import { logError, requestIdOf } from '../logging';
import { renderInWorker } from '../render/pool';
import { appRouter } from '../router';
import { reportingRoleIn } from '../services/role-grants';
import { createContext, type ServerClock } from '../trpc/context';
import { createCallerFactory } from '../trpc/init';
import { renderRefusal } from './exports';

/*
 * GET /api/export/statistik.pdf?namndId=…&quarter=2026-Q2: the statistics report as a PDF, for a
 * plain link the browser downloads. It goes through the same procedure as the screen
 * (statistics.quarter), with the session read from the cookie as for every tRPC call, so who may
 * see it, and the audit, are decided in one place. A refusal is a short Swedish text with the same
 * status tRPC would give. The PDF is rendered in a worker thread within the exports' time limit
 * (src/render/pool.ts; 503 past it, as for the quarter's exports).
 */

const createCaller = createCallerFactory(appRouter);

const Query = z.object({
  namndId: z
    .string({ error: 'namndId: Välj nämnd' })
    .trim()
    .min(1, { error: 'namndId: Välj nämnd' })
    .max(100, { error: 'namndId: Okänd nämnd' }),
  quarter: z.string({ error: 'quarter: Ange kvartal som 2026-Q2' }).transform((key, ctx) => {
    const quarter = parseQuarterKey(key.trim());
    if (!quarter) {
      ctx.addIssue({ code: 'custom', message: 'quarter: Ange kvartal som 2026-Q2' });
      return z.NEVER;
    }
    return quarter;
  }),
});

/** The Swedish message of a refusal; an input error names its fields, as tRPC's formatter does. */
function messageOf(error: TRPCError): string {
  const issues = (
    error.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined
  )?.issues;
  if (!Array.isArray(issues)) return error.message;
  return issues
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function refusal(c: HonoContext, status: number, message: string) {
  c.header('Content-Type', 'text/plain; charset=utf-8');
  return c.body(message, status as 400);
}

export function statisticsPdfHandler({
  database,
  clock,
  sessionPolicy,
}: {
  database: Database;
  clock: ServerClock;
  sessionPolicy?: SessionPolicy;
}) {
  return async (c: HonoContext) => {
    const parsed = Query.safeParse({
      namndId: c.req.query('namndId'),
      quarter: c.req.query('quarter'),
    });
    if (!parsed.success) {
      return refusal(c, 400, parsed.error.issues.map((i) => i.message).join('; '));
    }
    const resHeaders = new Headers();
    const ctx = await createContext({
      database,
      req: c.req.raw,
      resHeaders,
      clock,
      ...(sessionPolicy ? { sessionPolicy } : {}),
    });
    // A session renewed on this request keeps its cookie, as on a tRPC call.
    for (const cookie of resHeaders.getSetCookie())
      c.header('Set-Cookie', cookie, { append: true });
    try {
      const report = await createCaller(ctx).statistics.quarter(parsed.data);
      const pdf = await renderInWorker(
        { kind: 'statistik.pdf', report, producedOn: ctx.today() },
        { signal: c.req.raw.signal },
      );
      await ctx.audit({
        role: ctx.user ? reportingRoleIn(ctx.user, report.namndId) : null,
        action: 'statistik_pdf',
        subjectType: 'statistik',
        subjectId: report.quarterKey,
        namndId: report.namndId,
      });
      c.header('Content-Type', 'application/pdf');
      c.header('Content-Disposition', `attachment; filename="statistik-${report.quarterKey}.pdf"`);
      return c.body(pdf);
    } catch (error) {
      if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
        return refusal(c, getHTTPStatusCodeFromError(error), messageOf(error));
      }
      const refused = renderRefusal(c, 'statistik.pdf', error, {
        userId: ctx.user?.id ?? null,
        namndId: parsed.data.namndId,
      });
      if (refused) return refused;
      logError('export', error, {
        path: '/api/export/statistik.pdf',
        userId: ctx.user?.id ?? null,
        requestId: requestIdOf(c.req.raw),
      });
      return refusal(c, 500, 'Ett oväntat fel inträffade. Försök igen.');
    }
  };
}
