import {
  AVSLUTSANLEDNING_CODES,
  byOwnDeadline,
  type CaseEvent,
  type CaseStatus,
  caseStatus,
  type Episode,
  episodes,
  INSATSER,
  type IsoDate,
  IsoDateSchema,
  type OwnDeadlineRanked,
  ownNextDeadline,
  type RapportorMessage,
  rapportorMessages,
  sortEvents,
  VERKSAMHETSOMRADE_CODES,
} from '@evb/domain';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { type DecisionScope, decisionScope } from '../access/scope';
import { insertAudits } from '../data/audit';
import {
  countVisibleDecisions,
  type DecisionFilter,
  type DecisionWithPeople,
  eventsWithRecorder,
  filingsOf,
  findVisibleDecisionWithPeople,
  handledMessagesOf,
  listVisibleDecisions,
} from '../data/decisions';
import { appendCaseEvent, toDomainDecision, toDomainEvent } from '../services/case-events';
import {
  type DecisionSummary,
  decisionSummary,
  loadCaseStatus,
  loadCaseStatuses,
  OrderDecisionInput,
  orderDecision,
  type PersonLookup,
  parseCaseEvent,
  personLookupAudits,
  RegisterDecisionInput,
  registerDecision,
} from '../services/decisions';
import type { AuthUser } from '../trpc/context';
import { notFound, protectedProcedure, roleProcedure, router } from '../trpc/init';

const DecisionId = z
  .string({ error: 'Beslutets id saknas' })
  .trim()
  .min(1, { error: 'Beslutets id saknas' })
  .max(100, { error: 'Ogiltigt id' });

const ListInput = z
  .object({
    /** Matches the person's name or IVO id, the insats label, and (where the caller sees full
     *  identities) the personnummer. */
    search: z.string({ error: 'Skriv en söktext' }).trim().max(200).optional(),
    status: z
      .enum(['vantar', 'verkstalld', 'avslutad'], {
        error: 'Välj status: väntar, verkställt eller avslutat',
      })
      .optional(),
    /** Only decisions with an overdue deadline. */
    overdueOnly: z.boolean({ error: 'Ange ja eller nej' }).optional(),
    namndId: DecisionId.optional(),
    enhetId: DecisionId.optional(),
    verksamhetsomrade: z
      .enum(VERKSAMHETSOMRADE_CODES, { error: 'Välj verksamhetsområde' })
      .optional(),
    /**
     * `urgency`: by the caller's own next deadline, overdue first, then the nearest (see
     * byUrgencyFor). `oldest`/`newest`: by beslutsdatum.
     */
    sort: z.enum(['urgency', 'oldest', 'newest'], { error: 'Välj sortering' }).default('urgency'),
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

export type DecisionList = {
  items: DecisionSummary[];
  /** How many decisions match, over all pages. */
  total: number;
  /** The offset of the next page, null on the last. */
  nextOffset: number | null;
};

/** The decisions the caller sees with full identity: those not reached only as utförare/matchare. */
function fullIdentityScope(user: AuthUser): DecisionScope {
  return decisionScope({
    ...user,
    roles: user.roles.filter((g) => g.role !== 'utforare' && g.role !== 'matchare'),
  });
}

/** A search for a number (a personnummer or part of one): 4 to 12 digits, dashes and spaces aside. */
function digitsOfSearch(text: string): string | null {
  const digits = text.replace(/[-\s]/g, '');
  return /^\d{4,12}$/.test(digits) ? digits : null;
}

/**
 * What the audit log keeps of a list call's criteria. The search text may be a personnummer or a
 * name, and the log is read by rapportörer of the nämnd, who may not see that person: so the text
 * is never kept, only what kind of search it was (`personnummer` for digits, `text` otherwise),
 * beside the ids of the decisions the call returned (`beslut`), which is what a review of access
 * needs: who was shown which person's decisions. A keyed hash of the text was the other choice (it
 * would let someone who holds a personnummer find the searches for it), but there are only a few
 * thousand personnummer per birth date: anyone holding the key could reverse every hash, the key
 * would have to live apart from the database, and a search that found nothing disclosed nothing.
 */
function auditedCriteria(input: z.output<typeof ListInput>) {
  const { search, ...criteria } = input;
  return {
    ...criteria,
    sokning: search ? (digitsOfSearch(search) ? 'personnummer' : 'text') : null,
  };
}

function searchFilter(user: AuthUser, text: string): DecisionFilter['search'] {
  const needle = text.toLocaleLowerCase('sv');
  const insatsCodes = INSATSER.filter((i) =>
    [i.label, i.shortLabel, i.code].some((s) => s.toLocaleLowerCase('sv').includes(needle)),
  ).map((i) => i.code);
  const digits = digitsOfSearch(text);
  return {
    text,
    insatsCodes,
    personnummer: digits ? { digits, scope: fullIdentityScope(user) } : null,
  };
}

/**
 * Most urgent first for the caller: a decision with an overdue deadline of the caller's own (by the
 * roles they hold: the unit's three-month date and summary, the handläggare's call and message, the
 * rapportör's filing window), then the one whose own next deadline is nearest, then those with none;
 * ties by the longer wait, beslutsdatum and id, so pages are stable. The PWA orders its lists by the
 * same rule.
 */
function byUrgencyFor(user: AuthUser, today: IsoDate) {
  const roles = user.roles.map((g) => g.role);
  const ranked = new Map<string, OwnDeadlineRanked>();
  const rank = ({ row, status }: { row: DecisionWithPeople; status: CaseStatus }) => {
    let r = ranked.get(row.id);
    if (!r) {
      r = {
        own: ownNextDeadline(roles, status, today),
        daysWaited: status.daysWaited,
        beslutsdatum: row.beslutsdatum,
        id: row.id,
      };
      ranked.set(row.id, r);
    }
    return r;
  };
  return (
    a: { row: DecisionWithPeople; status: CaseStatus },
    b: { row: DecisionWithPeople; status: CaseStatus },
  ): number => byOwnDeadline(rank(a), rank(b));
}

export type DecisionEventView = CaseEvent & { recordedBy: { id: string; namn: string } };

export type DecisionDetail = {
  decision: DecisionSummary;
  /** Every event, in the domain's order, with who recorded it. */
  events: DecisionEventView[];
  episodes: Episode[];
  caseStatus: CaseStatus;
  /** The rapportör messages due up to today, with whether each is handled. */
  messages: (RapportorMessage & {
    handled: boolean;
    handledAt: string | null;
    handledBy: { id: string; namn: string } | null;
  })[];
  /** Lines filed with IVO (without the frozen copy). */
  filings: {
    id: string;
    quarter: string;
    episodeStart: string;
    report: 'ny' | 'ater';
    status: string;
    filedOn: string;
    filedAt: string;
    filedBy: { id: string; namn: string };
  }[];
};

const CloseInput = z.object({
  decisionId: DecisionId,
  /** The client's UUID for the avslutad event (idempotency); minted when left out. */
  id: z.uuid({ error: 'Händelsens id ska vara ett UUID' }).optional(),
  anledning: z.enum(AVSLUTSANLEDNING_CODES, { error: 'Välj anledning till avslut' }),
  text: z.string({ error: 'Skriv en text' }).max(4000).optional(),
  /** Defaults to today. */
  date: IsoDateSchema.optional(),
});

export const decisionsRouter = router({
  /**
   * Registers a decision (RegisterDecisionInput: nämnd, person, insats, dates, optional order).
   * Handläggare with a grant for the nämnd. Answers the decision's DecisionSummary with caseStatus;
   * for a personnummer known only where the caller may not see, the person is answered as typed,
   * as for a person never seen (services/decisions.ts, "Confidentiality across nämnder"). The
   * look-up by personnummer is audited whether or not the registration succeeds.
   */
  register: roleProcedure('handlaggare')
    .input(RegisterDecisionInput)
    .mutation(async ({ ctx, input }) => {
      const lookups: PersonLookup[] = [];
      try {
        return await ctx.db
          .transaction()
          .execute((trx) =>
            registerDecision(trx, ctx.user, input, ctx.today(), ctx.clock.now(), lookups),
          );
      } finally {
        // After the transaction: a refused registration rolls back, its look-up is still recorded.
        await insertAudits(
          ctx.db,
          personLookupAudits(ctx.user, input.namndId, lookups, 'registrering'),
        );
      }
    }),

  /**
   * Routes or re-routes the order: { decisionId, enhetId?, extern? } (without enhetId: the
   * default recipient for the insats). The decision's handläggare. Answers DecisionSummary.
   */
  order: roleProcedure('handlaggare')
    .input(OrderDecisionInput)
    .mutation(({ ctx, input }) =>
      ctx.db
        .transaction()
        .execute((trx) => orderDecision(trx, ctx.user, input, ctx.today(), ctx.clock.now())),
    ),

  /**
   * Closes a decision: { decisionId, id?, anledning, text?, date? } logs an `avslutad` event. The
   * decision's handläggare. Answers { event, caseStatus }.
   */
  close: roleProcedure('handlaggare')
    .input(CloseInput)
    .mutation(async ({ ctx, input }) => {
      const today = ctx.today();
      const event = parseCaseEvent({
        id: input.id ?? uuidv7(),
        decisionId: input.decisionId,
        type: 'avslutad',
        date: input.date ?? today,
        anledning: input.anledning,
        ...(input.text ? { text: input.text } : {}),
      });
      return ctx.db.transaction().execute(async (trx) => {
        const result = await appendCaseEvent(trx, ctx.user, event, today, ctx.clock.now());
        const row = await findVisibleDecisionWithPeople(
          trx,
          decisionScope(ctx.user),
          input.decisionId,
        );
        if (!row) throw notFound();
        return { event: result.event, caseStatus: await loadCaseStatus(trx, row, today) };
      });
    }),

  /**
   * The decisions the caller may see (ListInput: search, status, overdueOnly, namndId, enhetId,
   * verksamhetsomrade, sort, limit ≤ 200, offset). Every role that sees decisions. Answers
   * DecisionList; the read is audited with the ids returned and the criteria, of the search text
   * only its kind (see auditedCriteria).
   */
  list: roleProcedure('utforare', 'matchare', 'handlaggare', 'rapportor', 'huvudrapportor')
    .input(ListInput)
    .query(async ({ ctx, input }): Promise<DecisionList> => {
      const today = ctx.today();
      const scope = decisionScope(ctx.user);
      const filter: DecisionFilter = {
        namndId: input.namndId,
        enhetId: input.enhetId,
        verksamhetsomrade: input.verksamhetsomrade,
        search: input.search ? searchFilter(ctx.user, input.search) : undefined,
      };
      let page: { row: DecisionWithPeople; status: CaseStatus }[];
      let total: number;
      if (input.sort === 'urgency' || input.status || input.overdueOnly) {
        // Urgency and status come from caseStatus, which needs every matching decision's timeline:
        // loaded in one query for all of them, then filtered, sorted and paged here.
        const rows = await listVisibleDecisions(ctx.db, scope, filter);
        const statuses = await loadCaseStatuses(ctx.db, rows, today);
        const matching = rows
          .map((row) => ({ row, status: statuses.get(row.id)! }))
          .filter(
            ({ status }) =>
              (!input.status || status.state === input.status) &&
              (!input.overdueOnly || status.overdue),
          );
        const order = { oldest: 1, newest: -1 } as const;
        const byUrgency = byUrgencyFor(ctx.user, today);
        matching.sort((a, b) =>
          input.sort === 'urgency'
            ? byUrgency(a, b)
            : order[input.sort] *
              (a.row.beslutsdatum.localeCompare(b.row.beslutsdatum) ||
                a.row.id.localeCompare(b.row.id)),
        );
        total = matching.length;
        page = matching.slice(input.offset, input.offset + input.limit);
      } else {
        // Ordered by date alone: the database pages, and only the page's events are loaded.
        total = await countVisibleDecisions(ctx.db, scope, filter);
        const rows = await listVisibleDecisions(ctx.db, scope, filter, {
          order: input.sort,
          limit: input.limit,
          offset: input.offset,
        });
        const statuses = await loadCaseStatuses(ctx.db, rows, today);
        page = rows.map((row) => ({ row, status: statuses.get(row.id)! }));
      }
      const items = page.map(({ row, status }) => decisionSummary(ctx.user, row, status));
      const namnder = [...new Set(items.map((i) => i.namndId))];
      await ctx.audit({
        action: 'beslut_listade',
        subjectType: 'beslut',
        namndId: namnder.length === 1 ? namnder[0] : null,
        details: { beslut: items.map((i) => i.id), namnder, urval: auditedCriteria(input) },
      });
      const end = input.offset + items.length;
      return { items, total, nextOffset: end < total ? end : null };
    }),

  /**
   * One decision in full: { id }. Anyone who may see it (otherwise 404). Answers DecisionDetail;
   * the personnummer is masked for utförare and matchare. The read is audited.
   */
  get: protectedProcedure
    .input(z.object({ id: DecisionId }))
    .query(async ({ ctx, input }): Promise<DecisionDetail> => {
      const today = ctx.today();
      const row = await findVisibleDecisionWithPeople(ctx.db, decisionScope(ctx.user), input.id);
      if (!row) throw notFound();
      const eventRows = await eventsWithRecorder(ctx.db, row.id);
      const events = sortEvents(
        eventRows.map((e) => ({
          ...toDomainEvent(e),
          recordedBy: { id: e.recordedBy, namn: e.recordedByNamn },
        })),
      );
      const handled = new Map(
        (await handledMessagesOf(ctx.db, [row.id])).map((h) => [h.messageKey, h]),
      );
      const filings = await filingsOf(ctx.db, [row.id]);
      const decision = toDomainDecision(row);
      const status = caseStatus(decision, events, today, {
        handledMessages: handled.keys(),
        filedQuarters: filings.map((f) => f.quarter),
      });
      await ctx.audit({
        action: 'beslut_last',
        subjectType: 'beslut',
        subjectId: row.id,
        namndId: row.namndId,
        details: { personId: row.personId },
      });
      return {
        decision: decisionSummary(ctx.user, row, status),
        events,
        episodes: episodes(decision, events),
        caseStatus: status,
        messages: rapportorMessages(decision, events, today).map((m) => {
          const h = handled.get(m.key);
          return {
            ...m,
            handled: h !== undefined,
            handledAt: h ? h.handledAt.toISOString() : null,
            handledBy: h ? { id: h.handledBy, namn: h.handledByNamn } : null,
          };
        }),
        filings: filings.map((f) => ({
          id: f.id,
          quarter: f.quarter,
          episodeStart: f.episodeStart,
          report: f.report,
          status: f.status,
          filedOn: f.filedOn,
          filedAt: new Date(f.filedAt).toISOString(),
          filedBy: { id: f.filedBy, namn: f.filedByNamn },
        })),
      };
    }),
});
