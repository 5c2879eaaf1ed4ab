import {
  type CaseEvent,
  type CaseStatus,
  type Deadline,
  IsoDateSchema,
  isFollowUpDue,
} from '@evb/domain';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { decisionScope } from '../access/scope';
import { findVisibleDecision, listVisibleDecisions } from '../data/decisions';
import { appendCaseEvent } from '../services/case-events';
import {
  type DecisionSummary,
  decisionSummary,
  loadCaseStatus,
  loadCaseStatuses,
  parseCaseEvent,
} from '../services/decisions';
import { notFound, roleProcedure, router } from '../trpc/init';

export type FollowUpDue = {
  decision: DecisionSummary;
  /** The follow-up call's deadline: window from `from` to `date`; `overdue` once it has passed. */
  uppfoljning: Deadline;
};

const LogInput = z.object({
  decisionId: z
    .string({ error: 'Beslutets id saknas' })
    .trim()
    .min(1, { error: 'Beslutets id saknas' })
    .max(100, { error: 'Ogiltigt id' }),
  /** The client's UUID for the event (idempotency); minted when left out. */
  id: z.uuid({ error: 'Händelsens id ska vara ett UUID' }).optional(),
  /** Who the handläggare talked to: the person, a representative, a guardian… */
  kontakt: z.string({ error: 'Skriv vem du talade med' }).max(4000),
  text: z.string({ error: 'Skriv vad som sades' }).max(4000),
  /** The day of the call; defaults to today. */
  date: IsoDateSchema.optional(),
  /** A stödfamilj (LSS 9 § 6) not yet found: whether korttidsvistelse on a korttidsenhet was offered. */
  korttidsenhetErbjuden: z.boolean({ error: 'Ange om korttidsvistelse erbjöds' }).optional(),
});

export const followUpsRouter = router({
  /**
   * The caller's waiting decisions whose two-month follow-up call is due (its window has opened) or
   * overdue, per the domain's caseStatus; earliest deadline first. No input. Handläggare. Answers
   * FollowUpDue[]; the read is audited.
   */
  due: roleProcedure('handlaggare').query(async ({ ctx }): Promise<FollowUpDue[]> => {
    const today = ctx.today();
    const own = { enhetIds: [], handlaggareId: ctx.user.id, namndAreas: [] };
    const rows = await listVisibleDecisions(ctx.db, own, {});
    const statuses = await loadCaseStatuses(ctx.db, rows, today);
    const due = rows
      .map((row) => ({ row, status: statuses.get(row.id)! }))
      .filter(({ status }) => isFollowUpDue(status, today))
      .map(({ row, status }) => ({
        decision: decisionSummary(ctx.user, row, status),
        uppfoljning: status.deadlines.uppfoljning!,
      }))
      .sort(
        (a, b) =>
          a.uppfoljning.date.localeCompare(b.uppfoljning.date) ||
          a.decision.id.localeCompare(b.decision.id),
      );
    await ctx.audit({
      action: 'uppfoljningar_listade',
      subjectType: 'beslut',
      details: { beslut: due.map((d) => d.decision.id) },
    });
    return due;
  }),

  /**
   * Logs a follow-up call: { decisionId, id?, kontakt, text, date?, korttidsenhetErbjuden? } as an
   * `uppfoljning` event (korttidsenhetErbjuden only on a stödfamilj, LSS 9 § 6: seed 001).
   * Handläggare of the decision. Answers { event, caseStatus } (the call's deadline moves on).
   */
  log: roleProcedure('handlaggare')
    .input(LogInput)
    .mutation(async ({ ctx, input }): Promise<{ event: CaseEvent; caseStatus: CaseStatus }> => {
      const today = ctx.today();
      const event = parseCaseEvent({
        id: input.id ?? uuidv7(),
        decisionId: input.decisionId,
        type: 'uppfoljning',
        date: input.date ?? today,
        kontakt: input.kontakt,
        text: input.text,
        ...(input.korttidsenhetErbjuden === undefined
          ? {}
          : { korttidsenhetErbjuden: input.korttidsenhetErbjuden }),
      });
      return ctx.db.transaction().execute(async (trx) => {
        const result = await appendCaseEvent(trx, ctx.user, event, today, ctx.clock.now());
        const decision = await findVisibleDecision(trx, decisionScope(ctx.user), input.decisionId);
        if (!decision) throw notFound();
        return {
          event: result.event,
          caseStatus: await loadCaseStatus(trx, decision, today),
        };
      });
    }),
});
