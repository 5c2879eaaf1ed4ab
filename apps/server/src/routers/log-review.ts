import {
  auditActionLabel,
  IsoDateSchema,
  isReviewableMonth,
  isValidPersonnummer,
  LOG_REVIEW_COMMENT_MAX,
  LOG_REVIEW_SAMPLE_SIZE,
  LOG_REVIEW_VERDICTS,
  logReviewUnfinished,
  monthBounds,
  parseMonthKey,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { listAudit } from '../data/audit';
import {
  drawReview,
  findNamndPerson,
  findReviews,
  finishReview,
  markReviewItem,
  personExtract,
  reviewItems,
} from '../data/log-review';
import {
  extractEntry,
  requireReviewerOf,
  reviewerNamnder,
  reviewList,
  reviewView,
  roleText,
  stockholmTime,
} from '../services/log-review';
import { roleProcedure, router } from '../trpc/init';

/*
 * Loggkontroll (issue 14): the loggranskare of a nämnd reads its access log, takes the extract
 * of every access to one person's data, and reviews a random sample of each month's accesses.
 * The role sees no case: a row shows who, when, which screen or export, and what kind of data it
 * named, never the data. Every read and every step of a review is itself audited, under the role
 * `loggranskare`.
 */

const ROLE = 'loggranskare';

const NamndId = z
  .string({ error: 'Välj nämnd' })
  .trim()
  .min(1, { error: 'Välj nämnd' })
  .max(100, { error: 'Okänd nämnd' });

const Cursor = z
  .number({ error: 'Ogiltig sida' })
  .int({ error: 'Ogiltig sida' })
  .positive({ error: 'Ogiltig sida' })
  .max(Number.MAX_SAFE_INTEGER, { error: 'Ogiltig sida' })
  .optional();

const Limit = z
  .number({ error: 'Ange antal rader' })
  .int({ error: 'Ange antal rader som ett heltal' })
  .min(1, { error: 'Minst 1 rad' })
  .max(200, { error: 'Högst 200 rader åt gången' })
  .default(50);

/** A personnummer or samordningsnummer as typed (with or without the dash), as 12 digits. */
export const PersonnummerInput = z
  .string({ error: 'Ange personnummer som ÅÅÅÅMMDD-NNNN' })
  .trim()
  .max(20, { error: 'Ange personnummer som ÅÅÅÅMMDD-NNNN' })
  .refine(isValidPersonnummer, { error: 'Ange ett giltigt personnummer som ÅÅÅÅMMDD-NNNN' })
  .transform((pnr) => pnr.replace('-', ''));

/** A person's id as an extract answers it (for the files' links). */
export const PersonId = z
  .string({ error: 'Personen saknas' })
  .trim()
  .min(1, { error: 'Personen saknas' })
  .max(100, { error: 'Personen saknas' });

export const MonthInput = z
  .string({ error: 'Ange månad som ÅÅÅÅ-MM' })
  .trim()
  .max(7, { error: 'Ange månad som ÅÅÅÅ-MM' })
  .refine((m) => parseMonthKey(m) !== null, { error: 'Ange månad som ÅÅÅÅ-MM' });

const MonthOf = z.object({ namndId: NamndId, month: MonthInput });

const ExtractInput = z
  .object({
    namndId: NamndId,
    personnummer: PersonnummerInput.optional(),
    personId: PersonId.optional(),
    cursor: Cursor,
    limit: Limit,
  })
  .refine((q) => (q.personnummer === undefined) !== (q.personId === undefined), {
    path: ['personnummer'],
    error: 'Ange personnummer',
  });

const LogInput = z
  .object({
    namndId: NamndId,
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    cursor: Cursor,
    limit: Limit,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    error: 'Slutdatumet ligger före startdatumet',
  });

const MarkInput = MonthOf.extend({
  position: z
    .number({ error: 'Välj en åtkomst i urvalet' })
    .int({ error: 'Välj en åtkomst i urvalet' })
    .min(1, { error: 'Välj en åtkomst i urvalet' })
    .max(LOG_REVIEW_SAMPLE_SIZE.max, { error: 'Välj en åtkomst i urvalet' }),
  verdict: z.enum(LOG_REVIEW_VERDICTS, { error: 'Välj Motiverad eller Följ upp' }),
  comment: z
    .string({ error: 'Kommentaren ska vara text' })
    .max(LOG_REVIEW_COMMENT_MAX, {
      error: `Kommentaren får vara högst ${LOG_REVIEW_COMMENT_MAX} tecken`,
    })
    .transform((c) => c.trim() || null)
    .nullable()
    .default(null),
}).refine((m) => m.verdict !== 'folj_upp' || (m.comment ?? '') !== '', {
  path: ['comment'],
  error: 'Skriv vad som ska följas upp',
});

const reviewerProcedure = roleProcedure(ROLE);

const noReview = () =>
  new TRPCError({ code: 'NOT_FOUND', message: 'Månaden har ingen granskning än.' });

export const logReviewRouter = router({
  /** The nämnder the caller reviews, and the sample size a month's review draws. */
  overview: reviewerProcedure.query(async ({ ctx }) => ({
    namnder: await reviewerNamnder(ctx.db, ctx.user),
    sampleSize: ctx.logReviewSampleSize ?? LOG_REVIEW_SAMPLE_SIZE.default,
  })),

  /** The nämnd's access log, newest first, a page at a time. */
  log: reviewerProcedure.input(LogInput).query(async ({ ctx, input }) => {
    requireReviewerOf(ctx.user, input.namndId);
    const rows = await listAudit(ctx.db, {
      namndIds: [input.namndId],
      // Every decision of the nämnd: the reviewer sees the whole log, but no decision itself.
      scope: {
        enhetIds: [],
        handlaggareId: null,
        namndAreas: [{ namndId: input.namndId, verksamhetsomrade: null }],
      },
      from: input.from,
      to: input.to,
      before: input.cursor,
      limit: input.limit + 1,
    });
    const page = rows.slice(0, input.limit);
    await ctx.audit({
      role: ROLE,
      action: 'loggen_last',
      subjectType: 'granskningslogg',
      namndId: input.namndId,
      details: { filter: { from: input.from ?? null, to: input.to ?? null }, rader: page.length },
    });
    return {
      entries: page.map((row) => {
        const listed = (row.details as { beslut?: unknown } | null)?.beslut;
        return {
          id: Number(row.id),
          tid: stockholmTime(new Date(row.at)),
          vem: row.userName ?? (row.userId ? 'Okänd användare' : 'Systemet'),
          roll: roleText(row.role),
          action: row.action,
          vad: auditActionLabel(row.action),
          avser:
            row.subjectType === 'person' && row.subjectId
              ? 'En person'
              : row.subjectType === 'beslut' && row.subjectId
                ? 'Ett beslut'
                : Array.isArray(listed)
                  ? `En lista med ${listed.length} beslut`
                  : '',
        };
      }),
      nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }),

  /**
   * Every access to one person's data in the nämnd, newest first. A personnummer the nämnd has
   * no person for, whether nobody has it or a person of another nämnd does, answers `found: false`
   * and nothing else.
   */
  extract: reviewerProcedure.input(ExtractInput).query(async ({ ctx, input }) => {
    requireReviewerOf(ctx.user, input.namndId);
    const person = await findNamndPerson(
      ctx.db,
      input.namndId,
      input.personnummer !== undefined
        ? { personnummer: input.personnummer }
        : { personId: input.personId! },
    );
    const rows = person
      ? await personExtract(ctx.db, {
          namndId: input.namndId,
          personId: person.id,
          before: input.cursor,
          limit: input.limit + 1,
        })
      : [];
    const page = rows.slice(0, input.limit);
    await ctx.audit({
      role: ROLE,
      action: 'loggutdrag_last',
      subjectType: 'person',
      subjectId: person?.id ?? null,
      namndId: input.namndId,
      details: { hittad: person !== undefined, rader: page.length },
    });
    return {
      found: person !== undefined,
      personId: person?.id ?? null,
      entries: page.map(extractEntry),
      nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }),

  /** The nämnd's monthly reviews, newest first, with their counts. */
  reviews: reviewerProcedure.input(z.object({ namndId: NamndId })).query(async ({ ctx, input }) => {
    requireReviewerOf(ctx.user, input.namndId);
    const list = await reviewList(ctx.db, input.namndId);
    await ctx.audit({
      role: ROLE,
      action: 'loggranskningar_listade',
      subjectType: 'loggranskning',
      namndId: input.namndId,
      details: { rader: list.length },
    });
    return list;
  }),

  /** A month's review with its sample: the screen and the monthly report. */
  review: reviewerProcedure.input(MonthOf).query(async ({ ctx, input }) => {
    requireReviewerOf(ctx.user, input.namndId);
    const view = await reviewView(ctx.db, input.namndId, input.month);
    await ctx.audit({
      role: ROLE,
      action: 'loggranskning_last',
      subjectType: 'loggranskning',
      subjectId: view?.review.id ?? null,
      namndId: input.namndId,
      details: { manad: input.month },
    });
    return view;
  }),

  /**
   * Starts a month's review: its sample is drawn now, once, among the month's accesses by others
   * than the caller. Starting it again answers the sample already drawn.
   */
  start: reviewerProcedure.input(MonthOf).mutation(async ({ ctx, input }) => {
    requireReviewerOf(ctx.user, input.namndId);
    if (!isReviewableMonth(input.month, ctx.today())) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'Månaden har inte börjat: välj den här månaden eller en tidigare.',
      });
    }
    const { first, next } = monthBounds(input.month);
    const id = crypto.randomUUID();
    const sampleSize = ctx.logReviewSampleSize ?? LOG_REVIEW_SAMPLE_SIZE.default;
    const { created } = await drawReview(ctx.db, {
      id,
      namndId: input.namndId,
      month: input.month,
      first,
      next,
      sampleSize,
      reviewerId: ctx.user.id,
    });
    const view = (await reviewView(ctx.db, input.namndId, input.month))!;
    if (created) {
      await ctx.audit({
        role: ROLE,
        action: 'loggranskning_paborjad',
        subjectType: 'loggranskning',
        subjectId: view.review.id,
        namndId: input.namndId,
        details: {
          manad: input.month,
          urval: view.items.length,
          storlek: sampleSize,
          population: view.review.population,
          granskade: view.items.map((i) => i.auditId),
        },
      });
    }
    return view;
  }),

  /** Marks one sampled access Motiverad or Följ upp, with a comment, while the review is open. */
  mark: reviewerProcedure.input(MarkInput).mutation(async ({ ctx, input }) => {
    requireReviewerOf(ctx.user, input.namndId);
    const [review] = await findReviews(ctx.db, input.namndId, input.month);
    if (!review) throw noReview();
    if (review.finishedAt) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: 'Granskningen är avslutad och kan inte ändras.',
      });
    }
    const marked = await markReviewItem(ctx.db, {
      reviewId: review.id,
      position: input.position,
      verdict: input.verdict,
      comment: input.comment,
      userId: ctx.user.id,
      at: ctx.clock.now(),
    });
    if (!marked) {
      throw new TRPCError({
        code: 'NOT_FOUND',
        message: 'Åtkomsten finns inte i månadens urval, eller granskningen har avslutats.',
      });
    }
    await ctx.audit({
      role: ROLE,
      action: 'loggranskning_bedomd',
      subjectType: 'loggranskning',
      subjectId: review.id,
      namndId: input.namndId,
      details: {
        manad: input.month,
        position: input.position,
        bedomning: input.verdict,
        kommentar: input.comment !== null,
      },
    });
    return reviewView(ctx.db, input.namndId, input.month);
  }),

  /** Finishes a month's review once every sampled access is judged. */
  finish: reviewerProcedure.input(MonthOf).mutation(async ({ ctx, input }) => {
    requireReviewerOf(ctx.user, input.namndId);
    const [review] = await findReviews(ctx.db, input.namndId, input.month);
    if (!review) throw noReview();
    if (review.finishedAt) {
      throw new TRPCError({ code: 'CONFLICT', message: 'Granskningen är redan avslutad.' });
    }
    const why = logReviewUnfinished(await reviewItems(ctx.db, review.id));
    if (why) throw new TRPCError({ code: 'BAD_REQUEST', message: why });
    const finished = await finishReview(ctx.db, {
      reviewId: review.id,
      userId: ctx.user.id,
      at: ctx.clock.now(),
    });
    if (!finished) {
      throw new TRPCError({ code: 'CONFLICT', message: 'Granskningen är redan avslutad.' });
    }
    const view = (await reviewView(ctx.db, input.namndId, input.month))!;
    await ctx.audit({
      role: ROLE,
      action: 'loggranskning_avslutad',
      subjectType: 'loggranskning',
      subjectId: review.id,
      namndId: input.namndId,
      details: { manad: input.month, ...view.review.counts },
    });
    return view;
  }),
});
