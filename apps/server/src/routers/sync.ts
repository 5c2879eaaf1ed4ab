import { packPage, pullChanges } from '../sync/pull';
import { pushMutations } from '../sync/push';
import { PullInputSchema, PushInputSchema } from '../sync/schemas';
import { itemwiseProtectedProcedure, protectedProcedure, router } from '../trpc/init';

/** Sync for the offline PWA: the outbox goes up with push, changes come down with pull. */
export const syncRouter = router({
  /**
   * Applies a batch of client mutations (events, drafts, draft deletions) in order; every item is
   * answered applied or rejected with a Swedish reason, and a repeated mutation id gets the first
   * answer again. Any signed-in user; what each item may do is decided per item.
   */
  push: itemwiseProtectedProcedure
    .input(PushInputSchema)
    .mutation(({ ctx, input }) =>
      pushMutations(ctx.db, ctx.user, input, { now: ctx.clock.now(), today: ctx.today() }),
    ),
  /**
   * What the caller's device keeps (a first sync), then what changed of it after their cursor;
   * and the next cursor. The PWA calls pullPacked; this shape stays for an installed app from
   * before it, which runs until its user takes the update (its pages would not parse otherwise).
   */
  pull: protectedProcedure.input(PullInputSchema).query(({ ctx, input }) =>
    pullChanges(ctx.db, ctx.user, input, {
      today: ctx.today(),
      windowMonths: ctx.syncWindowMonths,
    }),
  ),
  /** pull's page, its events packed (domain sync-wire.ts): 40 % fewer bytes, a fifth gzipped. */
  pullPacked: protectedProcedure.input(PullInputSchema).query(async ({ ctx, input }) =>
    packPage(
      await pullChanges(ctx.db, ctx.user, input, {
        today: ctx.today(),
        windowMonths: ctx.syncWindowMonths,
      }),
    ),
  ),
});
