import {
  type CaseEvent,
  effectiveEdits,
  type Finding,
  filingCheck,
  type IndividrapportDraft,
  IndividrapportEditsSchema,
  type IndividrapportField,
  IsoDateSchema,
  individrapportText,
  isValidPersonnummer,
  lineMessages,
  lockedFieldViolations,
  maskPersonnummer,
  messagesSettledByFiling,
  type PreviousFiling,
  parseQuarterKey,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterLabel,
  quarterReport,
  type RapportorMessage,
  type ReportLine,
  reportingWindow,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { decisionScope, seesFullIdentity } from '../access/scope';
import { insertAudit } from '../data/audit';
import {
  eventsOfDecision,
  findDecisionById,
  findVisibleDecision,
  handledMessagesOf,
  lockChangeSequence,
} from '../data/decisions';
import { markMessageHandled } from '../data/reporting';
import {
  deleteIndividrapportDraft,
  type FilingRow,
  filingsOfDecisionWithSnapshots,
  filingsOfEpisode,
  findIndividrapportDraft,
  findReportDecision,
  insertFiling,
  type ReportDecision,
  type ReportLineKey,
  saveIndividrapportDraft,
} from '../data/reports';
import type { Db } from '../db/database';
import type { FilingRecorded } from '../db/schema';
import { toDomainDecision, toDomainEvent } from '../services/case-events';
import {
  episodeFilings,
  type FiledSnapshot,
  prefillLine,
  readSnapshot,
  reportWithEdits,
} from '../services/individrapport';
import { invalidInput, reportingRoleIn, reportingScope } from '../services/role-grants';
import type { AuthUser } from '../trpc/context';
import { notFound, protectedProcedure, roleProcedure, router } from '../trpc/init';
import { type QuarterLineView, QuarterSchema, quarterLineView } from './quarter';

/*
 * The individrapport of one report line (issue 5): the domain's prefill with the rapportör's saved
 * changes over it, what the e-tjänst locks, what validation still finds, and filing the line with
 * IVO — a frozen copy of exactly what was filed is kept and shown in the decision's history.
 *
 * A line is named by { namndId, quarter, decisionId, episodeStart }: the quarter view's line of that
 * decision's episode. Who may: a rapportör or huvudrapportör of the nämnd (else 403, as for
 * quarter.lines) for a decision in their verksamhetsområden (else 404, the answer for an unknown
 * decision or a decision with no line in the quarter). The history: anyone who sees the decision.
 *
 * Filing (the domain's filingCheck): a line still not executed at the reference date — ny or åter —
 * only inside its quarter's reporting window; an executed or closed line (the slutrapportering, or a
 * new line executed within its quarter) at any time from its end date; never a future date; never
 * twice for the same quarter (409); never while validation finds anything (400 naming the fields).
 * Filing handles the rapportör messages about the line (the domain's messagesSettledByFiling) and
 * forgets the saved changes.
 */

const reporterProcedure = roleProcedure('rapportor', 'huvudrapportor');

const someId = (what: string) =>
  z
    .string({ error: `${what} saknas` })
    .trim()
    .min(1, { error: `${what} saknas` })
    .max(100, { error: `Okänt ${what.toLowerCase()}` });

const LineKeyInput = z.object({
  namndId: z
    .string({ error: 'Välj nämnd' })
    .trim()
    .min(1, { error: 'Välj nämnd' })
    .max(100, { error: 'Okänd nämnd' }),
  quarter: QuarterSchema,
  decisionId: someId('Beslutets id'),
  /** The start of the line's episode: the decision date, or the interruption's date. */
  episodeStart: IsoDateSchema,
});
type LineKeyInput = z.infer<typeof LineKeyInput>;

const SaveDraftInput = LineKeyInput.extend({
  /**
   * The rapportör's changes: any fields of the report (the whole form or only some). Fields equal
   * to the prefill are not kept, so they follow the case again.
   */
  draft: IndividrapportEditsSchema,
});

const FileInput = LineKeyInput.extend({
  /** The day the report was sent in IVO's e-tjänst. */
  filedOn: IsoDateSchema,
});

export type { FiledSnapshot };

export type FilingView = {
  id: string;
  decisionId: string;
  episodeStart: string;
  /** `2026-Q2` */
  quarter: string;
  quarterLabel: string;
  report: 'ny' | 'ater';
  status: string;
  filedOn: string;
  /** When it was recorded, ISO timestamp. */
  filedAt: string;
  filedBy: { id: string; namn: string };
  snapshot: FiledSnapshot;
  /** `evb`: marked as filed in evb; `efterhand`: recorded afterwards; `import`: imported. */
  recorded: FilingRecorded;
  /** False when the copy is evb's prefill when it was recorded, not the report as sent. */
  fieldsAsSent: boolean;
};

export type LineMessageView = RapportorMessage & {
  handled: { at: string; byUserId: string; byName: string } | null;
};

export type ReportView = {
  /** The line as quarter.lines shows it. */
  line: QuarterLineView;
  quarterKey: string;
  referenceDate: string;
  /** Everything the system knows, as the domain prefills it. */
  prefill: IndividrapportDraft;
  /** The rapportör's saved changes over the prefill (only fields that differ), or null. */
  edits: {
    fields: Partial<IndividrapportDraft>;
    updatedAt: string;
    updatedBy: { id: string; namn: string };
  } | null;
  /** The report as it would be filed now: the prefill with the edits, locked fields kept. */
  draft: IndividrapportDraft;
  /** `draft` as plain Swedish text, tab by tab (the copy-all button, the PDF). */
  text: string;
  /** Fields the UI must lock (their prefilled value is the only one accepted). */
  locked: IndividrapportField[];
  /** What validation finds in `draft`; empty when it can be filed. */
  findings: Finding[];
  /** The last filing of this episode in an earlier quarter, or null. */
  previous: FilingView | null;
  /** This quarter's filing of the line, or null while it is not filed. */
  filing: FilingView | null;
  /** The rapportör messages about the line due up to today, with who handled each. */
  messages: LineMessageView[];
  /** The quarter's reporting window, and whether it is open or has closed today. */
  window: { opens: string; closes: string; open: boolean; closed: boolean };
  /** Whether the line can be filed today; `reason` says why not (Swedish), else null. */
  canFile: boolean;
  reason: string | null;
};

function filingView(row: FilingRow, snapshot = readSnapshot(row.snapshot)): FilingView {
  const q = parseQuarterKey(row.quarter);
  return {
    id: row.id,
    decisionId: row.decisionId,
    episodeStart: row.episodeStart,
    quarter: row.quarter,
    quarterLabel: q ? quarterLabel(q) : row.quarter,
    report: row.report,
    status: row.status,
    filedOn: row.filedOn,
    filedAt: new Date(row.filedAt).toISOString(),
    filedBy: { id: row.filedBy, namn: row.filedByNamn },
    snapshot,
    recorded: row.recorded,
    fieldsAsSent: row.fieldsAsSent,
  };
}

/** The caller's reporting role in the line's nämnd; 403 when they do not report for it. */
function reportingRole(user: AuthUser, namndId: string) {
  const role = reportingRoleIn(user, namndId);
  if (!role) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
  }
  return role;
}

/** Everything about one line the procedures need, read in `db` (a transaction when writing). */
type LoadedLine = {
  role: 'rapportor' | 'huvudrapportor';
  row: ReportDecision;
  quarter: Quarter;
  key: ReportLineKey;
  line: ReportLine;
  events: CaseEvent[];
  previous: FilingRow | null;
  previousFiling: PreviousFiling | null;
  current: FilingRow | null;
  prefill: IndividrapportDraft;
  locked: IndividrapportField[];
};

async function loadLine(db: Db, user: AuthUser, input: LineKeyInput): Promise<LoadedLine> {
  const role = reportingRole(user, input.namndId);
  const row = await findReportDecision(db, reportingScope(user, input.namndId), input.decisionId);
  if (!row) throw notFound();
  const quarter: Quarter = input.quarter;
  const key = {
    decisionId: row.id,
    episodeStart: input.episodeStart,
    quarter: quarterKey(quarter),
  };
  const events = (await eventsOfDecision(db, row.id)).map(toDomainEvent);
  const decision = toDomainDecision(row);
  const line = quarterReport(decision, events, quarter).find(
    (l) => l.episode.start === input.episodeStart,
  );
  if (!line) throw notFound('Rapportraden');
  const { previous, current, previousFiling } = episodeFilings(
    await filingsOfEpisode(db, row.id, input.episodeStart),
    key.quarter,
  );
  const replaced = row.ersatterBeslutId ? await findDecisionById(db, row.ersatterBeslutId) : null;
  const { prefill, locked } = prefillLine({
    row,
    quarter,
    line,
    events,
    previousFiling,
    replaced: replaced
      ? {
          decision: toDomainDecision(replaced),
          events: (await eventsOfDecision(db, replaced.id)).map(toDomainEvent),
        }
      : null,
    rapportor: user.displayName,
  });
  return {
    role,
    row,
    quarter,
    key,
    line,
    events,
    previous,
    previousFiling,
    current,
    prefill,
    locked,
  };
}

/** The report as it would be filed now, and what validation finds in it. */
function currentReport(loaded: LoadedLine, edits: Record<string, unknown>) {
  return reportWithEdits(loaded, edits);
}

function alreadyFiled(filing: FilingRow): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: `Raden rapporterades till IVO ${filing.filedOn} av ${filing.filedByNamn}; den kan inte rapporteras igen för samma kvartal.`,
  });
}

export const reportsRouter = router({
  /**
   * One line's individrapport: { namndId, quarter, decisionId, episodeStart } → ReportView.
   * Rapportör or huvudrapportör of the nämnd and the decision's verksamhetsområde. Audited.
   */
  get: reporterProcedure.input(LineKeyInput).query(async ({ ctx, input }): Promise<ReportView> => {
    const loaded = await loadLine(ctx.db, ctx.user, input);
    const { row, line, quarter, key, current } = loaded;
    const saved = await findIndividrapportDraft(ctx.db, key);
    const { draft, findings } = currentReport(loaded, saved?.edits ?? {});
    const today = ctx.today();
    const handled = new Map(
      (await handledMessagesOf(ctx.db, [row.id])).map((h) => [h.messageKey, h]),
    );
    const messages = lineMessages(toDomainDecision(row), line, quarter, today).map((m) => {
      const h = handled.get(m.key);
      return {
        ...m,
        handled: h
          ? { at: h.handledAt.toISOString(), byUserId: h.handledBy, byName: h.handledByNamn }
          : null,
      };
    });
    const window = reportingWindow(quarter);
    const check = filingCheck({ line, quarter, filedOn: today, today });
    const reason = current
      ? `Raden rapporterades till IVO ${current.filedOn} av ${current.filedByNamn}.`
      : findings.length > 0
        ? `Rapporten har ${findings.length === 1 ? '1 uppgift' : `${findings.length} uppgifter`} som måste rättas innan den kan lämnas in.`
        : check.ok
          ? null
          : check.reason;
    await insertAudit(ctx.db, {
      userId: ctx.user.id,
      role: loaded.role,
      action: 'individrapport_last',
      subjectType: 'beslut',
      subjectId: row.id,
      namndId: row.namndId,
      details: { kvartal: key.quarter, episodStart: key.episodeStart, personId: row.personId },
    });
    return {
      line: quarterLineView(
        row,
        line,
        current ?? undefined,
        messages.filter((m) => !m.handled).length,
      ),
      quarterKey: key.quarter,
      referenceDate: quarterBounds(quarter).end,
      prefill: loaded.prefill,
      edits: saved
        ? {
            fields: saved.edits as Partial<IndividrapportDraft>,
            updatedAt: saved.updatedAt.toISOString(),
            updatedBy: { id: saved.updatedBy, namn: saved.updatedByNamn },
          }
        : null,
      draft,
      text: individrapportText(draft),
      locked: loaded.locked,
      findings,
      previous: loaded.previous ? filingView(loaded.previous) : null,
      filing: current ? filingView(current) : null,
      messages,
      window: {
        ...window,
        open: window.opens <= today && today <= window.closes,
        closed: today > window.closes,
      },
      canFile: reason === null,
      reason,
    };
  }),

  /**
   * Saves the rapportör's changes to a line's report: { …line key, draft: fields } → the saved
   * changes and the findings of the report they give. Merged over what was saved before; fields
   * equal to the prefill are dropped. A changed locked field is refused (400 naming it); a filed
   * line cannot be changed (409). Audited (field names only).
   */
  saveDraft: reporterProcedure.input(SaveDraftInput).mutation(({ ctx, input }) =>
    ctx.db.transaction().execute(async (trx) => {
      const { draft: given, ...lineKey } = input;
      const loaded = await loadLine(trx, ctx.user, lineKey);
      if (loaded.current) throw alreadyFiled(loaded.current);
      const violations = lockedFieldViolations(given, loaded.prefill, loaded.locked);
      if (violations.length > 0) {
        throw invalidInput(
          violations.map((v) => ({ path: ['draft', v.field], message: v.message })),
        );
      }
      const saved = await findIndividrapportDraft(trx, loaded.key, true);
      const edits = effectiveEdits(loaded.prefill, {
        ...(saved?.edits as Partial<IndividrapportDraft> | undefined),
        ...given,
      });
      for (const field of loaded.locked) delete edits[field];
      await saveIndividrapportDraft(trx, loaded.key, edits, ctx.user.id);
      await insertAudit(trx, {
        userId: ctx.user.id,
        role: loaded.role,
        action: 'individrapport_utkast_sparat',
        subjectType: 'beslut',
        subjectId: loaded.row.id,
        namndId: loaded.row.namndId,
        details: {
          kvartal: loaded.key.quarter,
          episodStart: loaded.key.episodeStart,
          falt: Object.keys(given).sort(),
        },
      });
      const { draft, findings } = currentReport(loaded, edits);
      return { edits: edits as Partial<IndividrapportDraft>, draft, findings };
    }),
  ),

  /**
   * Records the line as filed with IVO on `filedOn`: { …line key, filedOn } → FilingView (with
   * `messagesHandled`, the keys of the messages it handled). Refused while validation finds
   * anything (400, each field named as draft.<field>), outside the filing rule (400 on filedOn),
   * or when the line is already filed for the quarter (409). Audited.
   */
  file: reporterProcedure.input(FileInput).mutation(({ ctx, input }) =>
    ctx.db.transaction().execute(async (trx) => {
      const { filedOn, ...lineKey } = input;
      // Taken first: two filings of the same line are serialised, and the seq is ordered.
      await lockChangeSequence(trx);
      const loaded = await loadLine(trx, ctx.user, lineKey);
      const { row, line, quarter, key } = loaded;
      if (loaded.current) throw alreadyFiled(loaded.current);
      const check = filingCheck({ line, quarter, filedOn, today: ctx.today() });
      if (!check.ok) throw invalidInput([{ path: ['filedOn'], message: check.reason }]);
      const saved = await findIndividrapportDraft(trx, key, true);
      const { draft, findings } = currentReport(loaded, saved?.edits ?? {});
      if (findings.length > 0) {
        throw invalidInput(findings.map((f) => ({ path: ['draft', f.field], message: f.message })));
      }
      const snapshot: FiledSnapshot = { draft, text: individrapportText(draft) };
      const inserted = await insertFiling(trx, {
        ...key,
        id: uuidv7(),
        report: line.report,
        status: line.status,
        filedOn,
        filedBy: ctx.user.id,
        snapshot,
      });
      if (!inserted) {
        const [filing] = (await filingsOfEpisode(trx, row.id, key.episodeStart)).filter(
          (f) => f.quarter === key.quarter,
        );
        throw filing
          ? alreadyFiled(filing)
          : new TRPCError({ code: 'CONFLICT', message: 'Raden är redan rapporterad.' });
      }
      const messagesHandled: string[] = [];
      for (const message of messagesSettledByFiling(toDomainDecision(row), line, quarter)) {
        const marked = await markMessageHandled(trx, {
          messageKey: message.key,
          decisionId: row.id,
          handledBy: ctx.user.id,
        });
        if (marked) messagesHandled.push(message.key);
      }
      await deleteIndividrapportDraft(trx, key);
      await insertAudit(trx, {
        userId: ctx.user.id,
        role: loaded.role,
        action: 'individrapport_inlamnad',
        subjectType: 'beslut',
        subjectId: row.id,
        namndId: row.namndId,
        details: {
          kvartal: key.quarter,
          episodStart: key.episodeStart,
          rapport: line.report,
          status: line.status,
          inlamnad: filedOn,
          meddelandenHanterade: messagesHandled,
        },
      });
      const filing = filingView(
        {
          ...key,
          id: inserted.id,
          report: line.report,
          status: line.status,
          filedOn,
          filedAt: inserted.filedAt as unknown as Date,
          filedBy: ctx.user.id,
          filedByNamn: ctx.user.displayName,
          snapshot,
          recorded: 'evb',
          fieldsAsSent: true,
        },
        snapshot,
      );
      return { ...filing, messagesHandled };
    }),
  ),

  /**
   * Every filing of a decision with its frozen copy, by quarter: { decisionId } →
   * { decisionId, filings: FilingView[] }. Anyone who may see the decision (else 404); for an
   * utförare or matchare the personnummer in the copies is masked. Audited.
   */
  history: protectedProcedure
    .input(z.object({ decisionId: someId('Beslutets id') }))
    .query(async ({ ctx, input }) => {
      const decision = await findVisibleDecision(ctx.db, decisionScope(ctx.user), input.decisionId);
      if (!decision) throw notFound();
      const full = seesFullIdentity(ctx.user, decision);
      const filings = (await filingsOfDecisionWithSnapshots(ctx.db, decision.id)).map((row) => {
        const snapshot = readSnapshot(row.snapshot);
        const pnr = snapshot.draft?.personnummer;
        if (full || !snapshot.draft || !pnr || !isValidPersonnummer(pnr)) {
          return filingView(row, snapshot);
        }
        const masked = maskPersonnummer(pnr);
        return filingView(row, {
          draft: { ...snapshot.draft, personnummer: masked },
          text: snapshot.text?.replaceAll(pnr, masked) ?? null,
        });
      });
      await ctx.audit({
        action: 'individrapporter_lasta',
        subjectType: 'beslut',
        subjectId: decision.id,
        namndId: decision.namndId,
        details: { personId: decision.personId, rapporter: filings.length },
      });
      return { decisionId: decision.id, filings };
    }),
});
