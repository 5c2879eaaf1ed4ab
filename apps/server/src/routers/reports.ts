import {
  effectiveEdits,
  type Finding,
  filingCheck,
  formatSwedishDate,
  type IndividrapportDraft,
  IndividrapportEditsSchema,
  type IndividrapportField,
  IsoDateSchema,
  individrapportText,
  isValidPersonnummer,
  isWindowBound,
  lineMessages,
  lockedFieldViolations,
  maskPersonnummer,
  quarterBounds,
  quarterKey,
  quarterLabel,
  type RapportorMessage,
  reportingWindow,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { decisionScope, seesFullIdentity } from '../access/scope';
import { insertAudit } from '../data/audit';
import { findVisibleDecision, handledMessagesOf, lockChangeSequence } from '../data/decisions';
import {
  filingsOfDecisionWithSnapshots,
  filingsOfEpisode,
  findIndividrapportDraft,
  insertFiling,
  saveIndividrapportDraft,
} from '../data/reports';
import { toDomainDecision } from '../services/case-events';
import { recordFiling, settleFiledLine } from '../services/filing-record';
import { alreadyFiled, type FilingView, filingView } from '../services/filing-view';
import { type FiledSnapshot, readSnapshot, reportWithEdits } from '../services/individrapport';
import { type LoadedLine, loadLine } from '../services/report-line';
import { invalidInput } from '../services/role-grants';
import { voidedSinceNotes } from '../services/voiding';
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

const RecordInput = FileInput.extend({
  /** The report type sent in the e-tjänst. */
  report: z.enum(['ny', 'ater'], { error: 'Välj nyrapportering eller återrapportering' }),
  /** The fields as sent, over evb's report; left out when they are not given. */
  draft: IndividrapportEditsSchema.optional(),
});

/** Whether a filing can be recorded afterwards for the line today, and why not. */
function recordability(
  loaded: LoadedLine,
  today: string,
  windowOpens: string,
): { allowed: boolean; reason: string | null } {
  if (loaded.current) {
    return {
      allowed: false,
      reason: `Raden är registrerad som rapporterad ${formatSwedishDate(loaded.current.filedOn)}.`,
    };
  }
  const { line } = loaded;
  const from = isWindowBound(line) ? windowOpens : (line.statusDate ?? windowOpens);
  if (today < from) {
    return {
      allowed: false,
      reason: isWindowBound(line)
        ? `Rapporteringsperioden för ${quarterLabel(loaded.quarter)} öppnar ${formatSwedishDate(windowOpens)}.`
        : `Beslutet avslutades eller verkställdes ${formatSwedishDate(from)}.`,
    };
  }
  return { allowed: true, reason: null };
}

export type { FiledSnapshot, FilingView };

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
  /**
   * The report type sent, as against the law's schedule: an återrapportering is sent as a
   * nyrapportering while no earlier filing of the episode is recorded (`notice` says so, and which
   * earlier quarters to record).
   */
  reportType: {
    scheduled: 'ny' | 'ater';
    send: 'ny' | 'ater';
    unrecordedEarlier: { quarter: string; label: string }[];
    notice: string | null;
  };
  /**
   * Whether a filing made in IVO's e-tjänst can be recorded afterwards for the line
   * (reports.recordFiling): it is not filed, and its window has opened or it has ended.
   */
  record: { allowed: boolean; reason: string | null };
};

/** The report as it would be filed now, and what validation finds in it. */
function currentReport(loaded: LoadedLine, edits: Record<string, unknown>) {
  return reportWithEdits(loaded, edits);
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
    const record = recordability(loaded, today, window.opens);
    const voidedSince = await voidedSinceNotes(
      ctx.db,
      row.id,
      loaded.events,
      [loaded.previous, current].filter((f) => f !== null),
    );
    const reason = current
      ? `Raden rapporterades till IVO ${formatSwedishDate(current.filedOn)} av ${current.filedByNamn}.`
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
        loaded.scheduled,
        current ?? undefined,
        messages.filter((m) => !m.handled).length,
        loaded.reportType,
        current ? (voidedSince.get(current.id) ?? null) : null,
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
      previous: loaded.previous
        ? filingView(loaded.previous, undefined, voidedSince.get(loaded.previous.id) ?? null)
        : null,
      filing: current ? filingView(current, undefined, voidedSince.get(current.id) ?? null) : null,
      messages,
      window: {
        ...window,
        open: window.opens <= today && today <= window.closes,
        closed: today > window.closes,
      },
      canFile: reason === null,
      reason,
      reportType: {
        ...loaded.reportType,
        unrecordedEarlier: loaded.reportType.unrecordedEarlier.map((q) => ({
          quarter: quarterKey(q),
          label: quarterLabel(q),
        })),
      },
      record,
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
      const snapshot: FiledSnapshot = { draft, text: individrapportText(draft), note: null };
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
      const messagesHandled = await settleFiledLine(trx, loaded, ctx.user.id);
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
   * Records a filing made in IVO's e-tjänst afterwards: { …line key, filedOn, report, draft? } →
   * FilingView (with `messagesHandled`). `report` is the report type sent; `draft` the fields as
   * sent, any of them over evb's report (left out: evb's report is the copy, and it says so). Who
   * and which lines as for `file`. Refused (400) where the rules say it cannot have happened — the
   * date outside the quarter's window or before the execution, in the future, an återrapportering
   * in the quarter the delay was new, a nyrapportering after a recorded filing — or a locked field
   * changed; 409 when the line is already filed for the quarter. Audited.
   */
  recordFiling: reporterProcedure.input(RecordInput).mutation(({ ctx, input }) =>
    ctx.db.transaction().execute(async (trx) => {
      await lockChangeSequence(trx);
      const { filedOn, report, draft, ...lineKey } = input;
      const result = await recordFiling(trx, {
        ...lineKey,
        user: ctx.user,
        filedOn,
        report,
        edits: draft ?? null,
        recorded: 'efterhand',
        now: ctx.clock.now(),
      });
      if (result.ok) return result.filing;
      const { refusal } = result;
      if (result.conflict) throw new TRPCError({ code: 'CONFLICT', message: refusal.message });
      if (refusal.field === 'decision') throw notFound();
      if (refusal.field === 'quarter') throw notFound('Rapportraden');
      throw invalidInput([
        {
          path: refusal.field === 'draft' ? ['draft', refusal.draftField ?? ''] : [refusal.field],
          message: refusal.message,
        },
      ]);
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
          ...snapshot,
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
