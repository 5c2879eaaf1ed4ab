import { type CaseEvent, CaseEventSchema, type CaseStatus } from '@evb/domain';
import { decisionScope } from '../access/scope';
import { findVisibleDecision } from '../data/decisions';
import { appendCaseEvent } from '../services/case-events';
import { loadCaseStatus } from '../services/decisions';
import { protectedProcedure, router } from '../trpc/init';

export type LoggedEvent = {
  /** The stored event (on a repeated id: the one stored the first time). */
  event: CaseEvent;
  /**
   * The decision's caseStatus after the event; null only when the decision has left the caller's
   * care since they logged the event (re-routed to another unit) and they repeat it.
   */
  caseStatus: CaseStatus | null;
};

export const eventsRouter = router({
  /**
   * Logs one event: a CaseEvent (the domain's CaseEventSchema, with the client's id). Anyone whose
   * role may log that event type on a decision they see (appendCaseEvent decides: 404 when not
   * visible, 403 when not theirs to log, 400 with the domain's message when it does not fit). The
   * same id again answers the stored event. Answers LoggedEvent.
   */
  log: protectedProcedure.input(CaseEventSchema).mutation(({ ctx, input }) => {
    const today = ctx.today();
    return ctx.db.transaction().execute(async (trx): Promise<LoggedEvent> => {
      const { event } = await appendCaseEvent(trx, ctx.user, input, today, ctx.clock.now());
      const decision = await findVisibleDecision(trx, decisionScope(ctx.user), event.decisionId);
      const caseStatus = decision ? await loadCaseStatus(trx, decision, today) : null;
      return { event, caseStatus };
    });
  }),
});
