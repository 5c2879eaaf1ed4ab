import { type CaseEvent, type RapportorMessage, rapportorMessages } from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { insertAudit } from '../data/audit';
import { eventsOfDecision, findVisibleDecision } from '../data/decisions';
import {
  byDecision,
  findHandledMessage,
  handledMessages,
  markMessageHandled,
  reportingDecisions,
  reportingEpisodeEvents,
  reportingEventToDomain,
} from '../data/reporting';
import { toDomainDecision, toDomainEvent } from '../services/case-events';
import { reportingNamnder, reportingRoleIn, reportingScope } from '../services/role-grants';
import { notFound, roleProcedure, router } from '../trpc/init';

/*
 * The rapportör's inbox: the messages the routine (seed 001) sends them about each decision they
 * report, computed by the domain from the decision's episodes (`rapportorMessages`) up to today,
 * with whether someone has handled each one.
 */

const reporterProcedure = roleProcedure('rapportor', 'huvudrapportor');

const NamndIdSchema = z
  .string({ error: 'Välj nämnd' })
  .trim()
  .min(1, { error: 'Välj nämnd' })
  .max(100, { error: 'Okänd nämnd' });

const InboxInput = z
  .object({
    filter: z
      .enum(['unhandled', 'all'], { error: 'Välj unhandled (ohanterade) eller all (alla)' })
      .default('unhandled'),
    namndId: NamndIdSchema.optional(),
    limit: z
      .number({ error: 'Ange ett antal' })
      .int({ error: 'Ange ett heltal' })
      .min(1, { error: 'Minst 1' })
      .max(200, { error: 'Högst 200 per sida' })
      .default(50),
    /** Where the page starts: 0, or the previous answer's `nextOffset`. */
    offset: z
      .number({ error: 'Ange ett antal' })
      .int({ error: 'Ange ett heltal' })
      .min(0, { error: 'Minst 0' })
      .max(10_000_000, { error: 'För stort' })
      .default(0),
  })
  .prefault({});

const MarkInput = z.object({
  decisionId: z
    .string({ error: 'Beslutets id saknas' })
    .trim()
    .min(1, { error: 'Beslutets id saknas' })
    .max(100, { error: 'Okänt beslut' }),
  key: z
    .string({ error: 'Meddelandets nyckel saknas' })
    .min(1, { error: 'Meddelandets nyckel saknas' })
    .max(300, { error: 'Okänt meddelande' }),
});

type ReportedDecision = Awaited<ReturnType<typeof reportingDecisions>>[number];
type HandledRecord = Awaited<ReturnType<typeof handledMessages>>[number];

/** One message as the inbox shows it: the domain's message, its decision and who handled it. */
function inboxMessage(d: ReportedDecision, m: RapportorMessage, done: HandledRecord | undefined) {
  return {
    key: m.key,
    type: m.type,
    title: m.title,
    date: m.date,
    due: m.due,
    ...(m.k !== undefined ? { k: m.k } : {}),
    decisionId: d.id,
    namndId: d.namndId,
    verksamhetsomrade: d.verksamhetsomrade,
    insats: d.insats,
    episode: { kind: m.episode.kind, start: m.episode.start },
    person: {
      ivoId: d.personIvoId,
      namn: `${d.personFornamn} ${d.personEfternamn}`,
      skyddadIdentitet: d.personSkyddadIdentitet,
    },
    handled: done
      ? { at: done.handledAt, byUserId: done.handledBy, byName: done.handledByName }
      : null,
  };
}

export type InboxMessage = ReturnType<typeof inboxMessage>;

export type InboxPage = {
  items: InboxMessage[];
  /** How many messages the filter matches, over all pages. */
  total: number;
  /** The offset of the next page, null on the last. */
  nextOffset: number | null;
  /** How many of the caller's messages are unhandled, whatever the filter. */
  unhandled: number;
};

export const messagesRouter = router({
  /**
   * A page of the messages due up to today about the decisions the caller reports, newest first
   * (by due day, then day, then decision and message key, so pages never overlap or skip).
   */
  inbox: reporterProcedure.input(InboxInput).query(async ({ ctx, input }): Promise<InboxPage> => {
    const own = reportingNamnder(ctx.user);
    if (input.namndId && !own.includes(input.namndId)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
    }
    const selection = { scope: reportingScope(ctx.user, input.namndId) };
    const [decisions, events, handled] = await Promise.all([
      reportingDecisions(ctx.db, selection),
      reportingEpisodeEvents(ctx.db, selection),
      handledMessages(ctx.db, selection),
    ]);
    const eventsByDecision = byDecision(events.map(reportingEventToDomain));
    const handledByKey = new Map(handled.map((h) => [h.messageKey, h]));
    const today = ctx.today();
    const all = decisions.flatMap((d) =>
      rapportorMessages(
        toDomainDecision(d),
        eventsByDecision.get(d.id) ?? ([] as CaseEvent[]),
        today,
      ).map((m) => inboxMessage(d, m, handledByKey.get(m.key))),
    );
    all.sort(
      (a, b) =>
        b.due.localeCompare(a.due) ||
        b.date.localeCompare(a.date) ||
        a.decisionId.localeCompare(b.decisionId) ||
        a.key.localeCompare(b.key),
    );
    const matching = input.filter === 'all' ? all : all.filter((m) => !m.handled);
    const items = matching.slice(input.offset, input.offset + input.limit);
    // The page is what the caller reads of the persons' data: each nämnd's log counts its decisions.
    for (const namndId of input.namndId ? [input.namndId] : own) {
      await insertAudit(ctx.db, {
        userId: ctx.user.id,
        role: reportingRoleIn(ctx.user, namndId),
        action: 'meddelanden_last',
        subjectType: 'meddelanden',
        namndId,
        details: {
          filter: input.filter,
          offset: input.offset,
          limit: input.limit,
          beslut: [...new Set(items.filter((m) => m.namndId === namndId).map((m) => m.decisionId))]
            .length,
        },
      });
    }
    const end = input.offset + items.length;
    return {
      items,
      total: matching.length,
      nextOffset: end < matching.length ? end : null,
      unhandled: all.filter((m) => !m.handled).length,
    };
  }),

  /**
   * Marks one of the caller's messages handled. Marking it again changes nothing and answers
   * who handled it first.
   */
  markHandled: reporterProcedure.input(MarkInput).mutation(async ({ ctx, input }) => {
    const decision = await findVisibleDecision(ctx.db, reportingScope(ctx.user), input.decisionId);
    if (!decision) throw notFound();
    const events = (await eventsOfDecision(ctx.db, decision.id)).map(toDomainEvent);
    const message = rapportorMessages(toDomainDecision(decision), events, ctx.today()).find(
      (m) => m.key === input.key,
    );
    if (!message) throw notFound('Meddelandet');
    await ctx.db.transaction().execute(async (trx) => {
      const marked = await markMessageHandled(trx, {
        messageKey: message.key,
        decisionId: decision.id,
        handledBy: ctx.user.id,
      });
      if (!marked) return;
      await insertAudit(trx, {
        userId: ctx.user.id,
        role: reportingRoleIn(ctx.user, decision.namndId),
        action: 'meddelande_hanterat',
        subjectType: 'beslut',
        subjectId: decision.id,
        namndId: decision.namndId,
        details: { meddelande: message.key, rubrik: message.title },
      });
    });
    const record = await findHandledMessage(ctx.db, message.key);
    return {
      key: message.key,
      title: message.title,
      handled: record
        ? { at: record.handledAt, byUserId: record.handledBy, byName: record.handledByName }
        : null,
    };
  }),
});
