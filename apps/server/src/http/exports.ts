import { IsoDateSchema, parseQuarterKey, quarterKey } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { Context as HonoContext } from 'hono';
import { z } from 'zod';
import { enrolmentRequiredError } from '../auth/mfa/policy';
import type { SessionPolicy } from '../auth/sessions';
import type { Database } from '../db/database';
import { logError, logWarning, requestIdOf } from '../logging';
import {
  acquireExportSlot,
  RenderBusy,
  RenderCancelled,
  RenderTimeout,
  streamInWorker,
} from '../render/pool';
import type { QuarterReportsMessage, RenderTask } from '../render/tasks';
import { appRouter } from '../router';
import { openQuarterExportFor } from '../routers/exports';
import type { Kategori } from '../routers/quarter';
import {
  exportOfReportView,
  type IndividrapportExport,
  type QuarterLineSource,
} from '../services/individrapport-export';
import { reportingRoleIn } from '../services/role-grants';
import { type Context, createContext, type ServerClock } from '../trpc/context';
import { createCallerFactory } from '../trpc/init';

/*
 * The rapportör's exports of issue 5, as plain links the browser downloads:
 *
 *   GET /api/export/individrapport.pdf?namndId=…&quarter=2026-Q2&decisionId=…&episodeStart=YYYY-MM-DD
 *   GET /api/export/kvartal.pdf?namndId=…&quarter=2026-Q2
 *   GET /api/export/kvartal.csv?namndId=…&quarter=2026-Q2
 *   GET /api/export/kvartal.xlsx?namndId=…&quarter=2026-Q2
 *
 * Each reads through the procedure the screens use (reports.get for one line, exports.quarter for
 * the quarter), with the session read from the cookie as for every tRPC call, so who may export
 * what, and the audit of the read, are decided in one place; the file itself is audited here too.
 * A refusal is a short Swedish text with the status tRPC would give (400, 401, 403, 404, 409).
 *
 * The file is rendered in a worker thread (src/render/pool.ts) from the data read here, within a
 * time limit: a render that takes longer is stopped and answered 503 with a Swedish text, as is one
 * that finds too many renders waiting; the request's thread stays free for other requests. The
 * file is streamed: its bytes are sent on as the worker makes them, after the download has been
 * audited. A render that fails once sending has begun ends the download early (the client sees a
 * failed download, never a file that looks whole), and is logged.
 */

const createCaller = createCallerFactory(appRouter);

const NamndId = z
  .string({ error: 'Välj nämnd' })
  .trim()
  .min(1, { error: 'Välj nämnd' })
  .max(100, { error: 'Okänd nämnd' });

const QuarterKey = z.string({ error: 'Ange kvartal som 2026-Q2' }).transform((key, ctx) => {
  const quarter = parseQuarterKey(key.trim());
  if (!quarter) {
    ctx.addIssue({ code: 'custom', message: 'Ange kvartal som 2026-Q2' });
    return z.NEVER;
  }
  return quarter;
});

export const QuarterQuery = z.object({ namndId: NamndId, quarter: QuarterKey });

const LineQuery = QuarterQuery.extend({
  decisionId: z
    .string({ error: 'Beslutets id saknas' })
    .trim()
    .min(1, { error: 'Beslutets id saknas' })
    .max(100, { error: 'Okänt beslut' }),
  episodeStart: IsoDateSchema,
});

type ExportFile = {
  /** The file: its bytes, or a stream of them as a worker makes them (render). */
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>;
  contentType: string;
  /** The file's name, in Swedish; an ASCII form is derived for old clients. */
  filename: string;
  audit: {
    action: string;
    subjectType: string;
    subjectId: string | null;
    details: Record<string, unknown>;
    /** The role the file is taken in; the caller's reporting role in the nämnd when not given. */
    role?: string;
  };
};

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

/**
 * The answer to a render the pool did not finish (the time limit, too many waiting, the request
 * gone), or null for any other error. Logged with ids and the limit only.
 */
function renderRefusal(
  c: HonoContext,
  route: string,
  error: unknown,
  logged: { userId: string | null; namndId: string },
): Response | null {
  const log = renderLog(c, route, logged);
  if (error instanceof RenderTimeout) {
    log('export render stopped at the time limit', { limitMs: error.limitMs });
    const seconds = Math.max(1, Math.round(error.limitMs / 1000));
    return refusal(
      c,
      503,
      `Filen tog för lång tid att ta fram och avbröts efter ${seconds} ${seconds === 1 ? 'sekund' : 'sekunder'}. ` +
        'Försök igen om en stund. Händer det igen, kontakta den som förvaltar evb.',
    );
  }
  if (error instanceof RenderBusy) {
    log('export refused: too many renders waiting');
    c.header('Retry-After', '30');
    return refusal(c, 503, 'Servern tar fram många filer just nu. Försök igen om en stund.');
  }
  if (error instanceof RenderCancelled) {
    // The browser has gone: nobody reads this answer.
    return refusal(c, 503, 'Hämtningen avbröts.');
  }
  return null;
}

/** A warning about an export's render: the route, user, request and nämnd ids, counts. */
function renderLog(
  c: HonoContext,
  route: string,
  logged: { userId: string | null; namndId: string },
) {
  return (event: string, counts: Record<string, number> = {}) =>
    logWarning(
      event,
      { path: `/api/export/${route}`, userId: logged.userId, requestId: requestIdOf(c.req.raw) },
      { namndId: logged.namndId, ...counts },
    );
}

/**
 * Logs a render that failed after its file had begun to go out (the answer's status was sent):
 * the time limit as the refusal before sending would be, a client that left not at all, anything
 * else as an error, with ids only.
 */
function logRenderFailure(
  c: HonoContext,
  route: string,
  error: unknown,
  logged: { userId: string | null; namndId: string },
): void {
  if (error instanceof RenderCancelled) return;
  if (error instanceof RenderTimeout) {
    renderLog(
      c,
      route,
      logged,
    )('export render stopped at the time limit while sending', {
      limitMs: error.limitMs,
    });
    return;
  }
  logError('export', error, {
    path: `/api/export/${route}`,
    userId: logged.userId,
    requestId: requestIdOf(c.req.raw),
  });
}

/**
 * Renders `task` in a worker, its file streamed (the export's own signal, slot and logging), with
 * `input` made on this thread while the worker renders (see streamInWorker).
 */
export type Render = (
  task: RenderTask,
  input?: AsyncIterable<unknown>,
) => Promise<ReadableStream<Uint8Array>>;

/** RFC 5987's encoding of a header parameter value: percent-encoded UTF-8. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * `attachment` with the file's name: `filename` in ASCII (å → a, anything else unsafe → -) for
 * every client, and `filename*` in UTF-8 when the name has more than ASCII, which browsers prefer.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-');
  return ascii === filename
    ? `attachment; filename="${ascii}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(filename)}`;
}

/** A name as part of a file name: words joined by dashes, no characters a file system refuses. */
function fileNamePart(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\\/:*?"<>|\p{C}]+/gu, '')
    .trim()
    .replace(/[\s-]+/g, '-');
}

/**
 * A GET that answers with a file: the query checked, the session read from the cookie as for a
 * tRPC call, the file produced (through the screens' own procedures, rendered in a worker), the
 * download audited; every refusal a short Swedish text with tRPC's status.
 */
export function exportHandler<Q extends z.ZodType<{ namndId: string }>>(
  { database, clock, sessionPolicy }: ExportDeps,
  name: string,
  query: Q,
  produce: (
    ctx: Context,
    input: z.output<Q>,
    signal: AbortSignal,
    render: Render,
  ) => Promise<ExportFile>,
) {
  return async (c: HonoContext) => {
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) {
      return refusal(
        c,
        400,
        parsed.error.issues
          .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
          .join('; '),
      );
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
    const logged = { userId: ctx.user?.id ?? null, namndId: parsed.data.namndId };
    const signal = c.req.raw.signal;
    let release: (() => void) | null = null;
    let streamed: ReadableStream<Uint8Array> | null = null;
    try {
      // Nobody signed in waits for a slot: the answer is the procedures' own 401, at once.
      if (!ctx.user) return refusal(c, 401, 'Du är inte inloggad.');
      // A session that may only enrol a second factor gets no file (as no procedure).
      if (ctx.mfaEnrolmentRequired) return refusal(c, 403, enrolmentRequiredError().message);
      // The slot is held until the render is over (not until the client has read the file).
      const slot = await acquireExportSlot(signal);
      release = slot;
      const render: Render = async (task, input) => {
        const stream = await streamInWorker(task, {
          signal,
          ...(input ? { input } : {}),
          onError: (error) => logRenderFailure(c, name, error, logged),
          onSettled: slot,
        });
        streamed = stream;
        return stream;
      };
      const file = await produce(ctx, parsed.data, signal, render);
      const { namndId } = parsed.data;
      await ctx.audit({
        role: ctx.user ? reportingRoleIn(ctx.user, namndId) : null,
        namndId,
        ...file.audit,
      });
      c.header('Content-Type', file.contentType);
      c.header('Content-Disposition', contentDisposition(file.filename));
      if (file.body instanceof ReadableStream) release = null;
      return c.body(file.body);
    } catch (error) {
      // A render already streaming stops: its file is not sent.
      await (streamed as ReadableStream<Uint8Array> | null)?.cancel().catch(() => {});
      if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
        return refusal(c, getHTTPStatusCodeFromError(error), messageOf(error));
      }
      const refused = renderRefusal(c, name, error, logged);
      if (refused) return refused;
      logError('export', error, {
        path: `/api/export/${name}`,
        userId: ctx.user?.id ?? null,
        requestId: requestIdOf(c.req.raw),
      });
      return refusal(c, 500, 'Ett oväntat fel inträffade. Försök igen.');
    } finally {
      // Given back here unless a streaming render gives it back when it is over.
      (release as (() => void) | null)?.();
    }
  };
}

export type ExportDeps = { database: Database; clock: ServerClock; sessionPolicy?: SessionPolicy };

/** GET /api/export/individrapport.pdf: one line's individrapport (reports.get). */
export function individrapportPdfHandler(deps: ExportDeps) {
  return exportHandler(deps, 'individrapport.pdf', LineQuery, async (ctx, input, _, render) => {
    const view = await createCaller(ctx).reports.get(input);
    const report = exportOfReportView(view);
    const pdf = await render({
      kind: 'individrapport.pdf',
      input: {
        // The prefill's nämnd is the nämnd's name as registered.
        namndNamn: view.prefill.namnd ?? input.namndId,
        quarter: input.quarter,
        referenceDate: view.referenceDate,
        window: view.window,
        report,
      },
      producedOn: ctx.today(),
    });
    return {
      body: pdf,
      contentType: 'application/pdf',
      filename: `individrapport-${view.quarterKey}-${fileNamePart(view.line.person.ivoId)}.pdf`,
      audit: {
        action: 'individrapport_pdf',
        subjectType: 'beslut',
        subjectId: view.line.decisionId,
        details: { kvartal: view.quarterKey, episodStart: view.line.episode.start },
      },
    };
  });
}

type QuarterFormat = 'pdf' | 'csv' | 'xlsx';

const CONTENT_TYPE: Record<QuarterFormat, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The kinds of lines in the quarter's PDF, in its order. */
const GROUP_ORDER: Kategori[] = ['nyrapportering', 'aterrapportering', 'slutrapportering'];

/**
 * GET /api/export/kvartal.{pdf,csv,xlsx}: every line of the quarter, with the checks, reads and
 * audits of exports.quarter. The lines are read a few hundred at a time on this thread while the
 * worker renders the ones before (in the PDF's order for the PDF: by group): the PDF's reports are
 * built here, the CSV's and the XLSX's in the worker (render/tasks.ts says why). The file is sent
 * once all are read (a line whose case changed meanwhile is still answered 409).
 */
export function quarterExportHandler(deps: ExportDeps, format: QuarterFormat) {
  return exportHandler(deps, `kvartal.${format}`, QuarterQuery, async (ctx, input, _, render) => {
    const opened = await openQuarterExportFor(ctx).open(input);
    const { head, lines } = opened;
    await opened.auditRead();
    const by = ctx.user?.displayName ?? '';
    let body: ReadableStream<Uint8Array>;
    if (format === 'pdf') {
      // The reports are built here while the worker renders the ones before (render/tasks.ts).
      const order = GROUP_ORDER.flatMap((k) => lines.filter((l) => l.kategori === k));
      body = await render(
        {
          kind: 'kvartal.pdf',
          head: { ...head, groupSizes: groupSizesOf(lines) },
          produced: { on: ctx.today(), by },
        },
        reportMessages(opened.reports(order)),
      );
    } else {
      // The worker builds the reports from what is read here (render/tasks.ts).
      const build = { quarter: head.quarter, rapportor: by };
      body = await render(
        format === 'csv'
          ? { kind: 'kvartal.csv', build }
          : { kind: 'kvartal.xlsx', head, produced: { at: ctx.clock.now(), by }, build },
        messages(opened.sources(lines)),
      );
    }
    return {
      body,
      contentType: CONTENT_TYPE[format],
      filename: `kvartal-${quarterKey(head.quarter)}-${fileNamePart(head.namndNamn)}.${format}`,
      audit: {
        action: `kvartal_${format}`,
        subjectType: 'kvartal',
        subjectId: head.quarterKey,
        details: { rader: lines.length },
      },
    };
  });
}

/** How many lines each group has. */
function groupSizesOf(lines: readonly { kategori: Kategori }[]): Record<Kategori, number> {
  const sizes: Record<Kategori, number> = {
    nyrapportering: 0,
    aterrapportering: 0,
    slutrapportering: 0,
  };
  for (const line of lines) sizes[line.kategori]++;
  return sizes;
}

/** The reports, as a worker's input messages. */
async function* reportMessages(
  reports: AsyncIterable<IndividrapportExport[]>,
): AsyncGenerator<QuarterReportsMessage> {
  for await (const pass of reports) yield { reports: pass };
}

/** What the reports are built from, as a worker's input messages. */
async function* messages(
  sources: AsyncIterable<QuarterLineSource[]>,
): AsyncGenerator<QuarterReportsMessage> {
  for await (const pass of sources) yield { sources: pass };
}
