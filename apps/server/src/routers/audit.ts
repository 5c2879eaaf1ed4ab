import { IsoDateSchema } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { insertAudit, listAudit } from '../data/audit';
import { reportingNamnder, reportingRoleIn } from '../services/role-grants';
import { roleProcedure, router } from '../trpc/init';

/*
 * The audit log as a rapportör or huvudrapportör reads it: their nämnd's entries, newest first, a
 * page at a time. Reading it is itself recorded.
 */

const ListInput = z
  .object({
    namndId: z
      .string({ error: 'Välj nämnd' })
      .trim()
      .min(1, { error: 'Välj nämnd' })
      .max(100)
      .optional(),
    userId: z.string({ error: 'Välj användare' }).trim().min(1).max(100).optional(),
    action: z.string({ error: 'Välj händelse' }).trim().min(1).max(100).optional(),
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    /** The `nextCursor` of the previous page. */
    cursor: z
      .number({ error: 'Ogiltig sida' })
      .int({ error: 'Ogiltig sida' })
      .positive({ error: 'Ogiltig sida' })
      .max(Number.MAX_SAFE_INTEGER, { error: 'Ogiltig sida' })
      .optional(),
    limit: z
      .number({ error: 'Ange antal rader' })
      .int({ error: 'Ange antal rader som ett heltal' })
      .min(1, { error: 'Minst 1 rad' })
      .max(200, { error: 'Högst 200 rader åt gången' })
      .default(50),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    path: ['to'],
    error: 'Slutdatumet ligger före startdatumet',
  });

export const auditRouter = router({
  list: roleProcedure('rapportor', 'huvudrapportor')
    .input(ListInput.prefault({}))
    .query(async ({ ctx, input: query }) => {
      const own = reportingNamnder(ctx.user);
      if (query.namndId && !own.includes(query.namndId)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
      }
      const namndIds = query.namndId ? [query.namndId] : own;
      const entries = await listAudit(ctx.db, {
        namndIds,
        userId: query.userId,
        action: query.action,
        from: query.from,
        to: query.to,
        before: query.cursor,
        limit: query.limit + 1,
      });
      const page = entries.slice(0, query.limit);
      for (const namndId of namndIds) {
        await insertAudit(ctx.db, {
          userId: ctx.user.id,
          role: reportingRoleIn(ctx.user, namndId),
          action: 'granskningslogg_last',
          subjectType: 'granskningslogg',
          subjectId: null,
          namndId,
          details: {
            filter: {
              userId: query.userId ?? null,
              action: query.action ?? null,
              from: query.from ?? null,
              to: query.to ?? null,
            },
            rader: page.length,
          },
        });
      }
      return {
        entries: page,
        nextCursor: entries.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    }),
});
