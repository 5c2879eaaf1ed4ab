import { IsoDateSchema } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { DecisionScope } from '../access/scope';
import { insertAudit, listAudit } from '../data/audit';
import { findVisibleDecisions } from '../data/decisions';
import { findUserProfile } from '../data/users';
import { reportingNamnder, reportingRoleIn } from '../services/role-grants';
import type { AuthUser } from '../trpc/context';
import { roleProcedure, router } from '../trpc/init';

/*
 * The audit log as a rapportör or huvudrapportör reads it: their nämnd's entries, newest first, a
 * page at a time. Reading it is itself recorded.
 *
 * A reader sees only what their grants let them see elsewhere: an entry about a decision or a
 * person only when they may see that decision (or one of the person's), so a rapportör for LSS
 * does not read who looked at the nämnd's SoL decisions; an entry listing decisions (a list, a
 * pull, a quarter read) when one of them is theirs, with the ids of the others left out. Entries
 * about no decision or person (imports, exports of aggregates, users, reads of this log) are the
 * nämnd's.
 */

/** The decisions a reader of the audit log may see: their rapportör grants in these nämnder. */
function readerScope(user: AuthUser, namndIds: readonly string[]): DecisionScope {
  return {
    enhetIds: [],
    handlaggareId: null,
    namndAreas: user.roles
      .filter(
        (g) =>
          (g.role === 'rapportor' || g.role === 'huvudrapportor') &&
          g.namndId !== null &&
          namndIds.includes(g.namndId),
      )
      .map((g) => ({ namndId: g.namndId!, verksamhetsomrade: g.verksamhetsomrade })),
  };
}

/** An action code as the log writes them; anything else typed in the filter is not kept. */
const ACTION_CODE = /^[a-z][a-z_]{0,99}$/;

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
      const scope = readerScope(ctx.user, namndIds);
      const entries = await listAudit(ctx.db, {
        namndIds,
        scope,
        userId: query.userId,
        action: query.action,
        from: query.from,
        to: query.to,
        before: query.cursor,
        limit: query.limit + 1,
      });
      const page = await withoutOthersDecisions(ctx.db, scope, entries.slice(0, query.limit));
      // The filter as typed is free text: only a real user's id and an action code are kept.
      const filterUser =
        query.userId && (await findUserProfile(ctx.db, query.userId)) ? query.userId : null;
      const filterAction = query.action && ACTION_CODE.test(query.action) ? query.action : null;
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
              userId: filterUser,
              action: filterAction,
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

type Entry = Awaited<ReturnType<typeof listAudit>>[number];

/** The entries with the decisions they list (`details.beslut`) cut to those the reader sees. */
async function withoutOthersDecisions(
  db: Parameters<typeof listAudit>[0],
  scope: DecisionScope,
  entries: Entry[],
): Promise<Entry[]> {
  const listed = (entry: Entry): string[] | null => {
    const ids = (entry.details as { beslut?: unknown } | null)?.beslut;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : null;
  };
  const all = [...new Set(entries.flatMap((e) => listed(e) ?? []))];
  const visible = new Set((await findVisibleDecisions(db, scope, all)).map((d) => d.id));
  return entries.map((entry) => {
    const ids = listed(entry);
    if (!ids) return entry;
    return {
      ...entry,
      details: { ...(entry.details as object), beslut: ids.filter((id) => visible.has(id)) },
    };
  });
}
