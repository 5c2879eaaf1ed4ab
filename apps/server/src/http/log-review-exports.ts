import { formatPersonnummer } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { findNamndPerson } from '../data/log-review';
import { MonthInput, PersonId } from '../routers/log-review';
import {
  EXTRACT_FILE_MAX_ROWS,
  requireReviewerOf,
  reviewerNamnder,
  reviewView,
  stockholmTime,
  wholeExtract,
} from '../services/log-review';
import type { Context } from '../trpc/context';
import { type ExportDeps, exportHandler } from './exports';

/*
 * Loggkontroll's downloads, for the loggranskare of a nämnd, as plain links:
 *
 *   GET /api/export/loggutdrag.csv?namndId=…&personId=…
 *   GET /api/export/loggutdrag.pdf?namndId=…&personId=…
 *   GET /api/export/loggranskning.pdf?namndId=…&month=2026-11
 *
 * The person goes by the id the extract screen answered, never by personnummer: a query string
 * ends up in proxies' and servers' access logs. A person the nämnd does not have answers 404, the
 * same as one that does not exist. Refusals, the worker, its time limit and the audit of the
 * download are exportHandler's; the download is audited as the loggranskare, naming the person.
 */

const NamndId = z
  .string({ error: 'Välj nämnd' })
  .trim()
  .min(1, { error: 'Välj nämnd' })
  .max(100, { error: 'Okänd nämnd' });

const ExtractQuery = z.object({ namndId: NamndId, personId: PersonId });
const ReviewQuery = z.object({ namndId: NamndId, month: MonthInput });

function signedInReviewer(ctx: Context, namndId: string) {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Du är inte inloggad.' });
  requireReviewerOf(ctx.user, namndId);
  return ctx.user;
}

async function namndNamn(ctx: Context, namndId: string): Promise<string> {
  const user = ctx.user!;
  return (await reviewerNamnder(ctx.db, user)).find((n) => n.id === namndId)?.namn ?? namndId;
}

/** `maxRows`: where a file is cut (EXTRACT_FILE_MAX_ROWS; a test passes a small one). */
export function extractExportHandler(
  deps: ExportDeps,
  format: 'csv' | 'pdf',
  maxRows = EXTRACT_FILE_MAX_ROWS,
) {
  return exportHandler(
    deps,
    `loggutdrag.${format}`,
    ExtractQuery,
    async (ctx, input, _signal, render) => {
      const user = signedInReviewer(ctx, input.namndId);
      const person = await findNamndPerson(ctx.db, input.namndId, { personId: input.personId });
      if (!person) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'Nämnden har ingen sådan person.' });
      }
      const { entries, cut } = await wholeExtract(ctx.db, input.namndId, person.id, maxRows);
      const body =
        format === 'csv'
          ? await render({ kind: 'loggutdrag.csv', entries })
          : await render({
              kind: 'loggutdrag.pdf',
              head: {
                namndNamn: await namndNamn(ctx, input.namndId),
                personnummer: person.personnummer ? formatPersonnummer(person.personnummer) : null,
                producedAt: stockholmTime(ctx.clock.now()),
                producedBy: user.displayName,
                cut,
              },
              entries,
            });
      return {
        body,
        contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf',
        // A cut extract says so in its name too: the CSV has no place for a note.
        filename: `loggutdrag-${ctx.today()}${cut ? `-senaste-${maxRows}` : ''}.${format}`,
        audit: {
          role: 'loggranskare',
          action: `loggutdrag_${format}`,
          subjectType: 'person',
          subjectId: person.id,
          details: { rader: entries.length, avkortat: cut },
        },
      };
    },
  );
}

export function reviewReportPdfHandler(deps: ExportDeps) {
  return exportHandler(
    deps,
    'loggranskning.pdf',
    ReviewQuery,
    async (ctx, input, _signal, render) => {
      const user = signedInReviewer(ctx, input.namndId);
      const view = await reviewView(ctx.db, input.namndId, input.month);
      if (!view) {
        throw new TRPCError({ code: 'NOT_FOUND', message: 'Månaden har ingen granskning än.' });
      }
      const body = await render({
        kind: 'loggranskning.pdf',
        head: {
          namndNamn: await namndNamn(ctx, input.namndId),
          producedAt: stockholmTime(ctx.clock.now()),
          producedBy: user.displayName,
        },
        view,
      });
      return {
        body,
        contentType: 'application/pdf',
        filename: `loggkontroll-${input.month}.pdf`,
        audit: {
          role: 'loggranskare',
          action: 'loggranskning_rapport_pdf',
          subjectType: 'loggranskning',
          subjectId: view.review.id,
          details: { manad: input.month, ...view.review.counts },
        },
      };
    },
  );
}
