import {
  applyIndividrapportEdits,
  formatSwedishDate,
  type IndividrapportDraft,
  individrapportText,
  lockedFieldViolations,
  messagesSettledByFiling,
  type Quarter,
  quarterLabel,
  recordedFilingCheck,
  todayInStockholm,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { v7 as uuidv7 } from 'uuid';
import { insertAudit } from '../data/audit';
import { markMessageHandled } from '../data/reporting';
import { deleteIndividrapportDraft, findIndividrapportDraft, insertFiling } from '../data/reports';
import type { Db } from '../db/database';
import type { AuthUser } from '../trpc/context';
import { toDomainDecision } from './case-events';
import { type FilingView, filingView } from './filing-view';
import type { FiledSnapshot } from './individrapport';
import { type LoadedLine, loadLine } from './report-line';

/*
 * Recording a filing made in IVO's e-tjänst afterwards (domain.md, "What IVO already has"): by a
 * rapportör for one line (reports.recordFiling), or for many rows of the kommun's earlier filings
 * (the filings import). The date and the report type must be ones the rules allow
 * (recordedFilingCheck); the frozen copy is the fields as sent when they are given, else evb's
 * report as it stands (the prefill with the saved changes), and it says which, by whom and when.
 */

export type RecordFilingInput = {
  user: AuthUser;
  namndId: string;
  decisionId: string;
  episodeStart: string;
  quarter: Quarter;
  filedOn: string;
  report: 'ny' | 'ater';
  /** The fields as actually sent (any of them, over evb's report); null or absent: not given. */
  edits?: Partial<IndividrapportDraft> | null;
  recorded: 'efterhand' | 'import';
  /** The server's clock: today decides which dates are possible, now is when it was recorded. */
  now: Date;
};

export type RecordFilingRefusal = {
  field: 'filedOn' | 'report' | 'quarter' | 'decision' | 'draft';
  /** For `draft`: the field of the report. */
  draftField?: string;
  message: string;
};

export type RecordFilingResult =
  | { ok: true; filing: FilingView & { messagesHandled: string[] } }
  | { ok: false; refusal: RecordFilingRefusal; conflict?: boolean };

/** The time of day in Sweden, "09:05"; the day is written as the screens write it. */
const STOCKHOLM_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  timeStyle: 'short',
});

/** What the frozen copy says about how it came into evb (Swedish). */
export function recordedNote(input: {
  recorded: 'efterhand' | 'import';
  byName: string;
  at: Date;
  fieldsAsSent: boolean;
}): string {
  const how =
    input.recorded === 'import'
      ? 'Registrerad vid import av tidigare inlämningar'
      : 'Registrerad i efterhand';
  const copy = input.fieldsAsSent
    ? 'Uppgifterna är de som skickades till IVO, som de angavs vid registreringen.'
    : 'Uppgifterna är evb:s rapport när inlämningen registrerades, inte en kopia av det som skickades till IVO.';
  return `${how} av ${input.byName} ${formatSwedishDate(todayInStockholm(input.at))} kl. ${STOCKHOLM_TIME.format(input.at)}. ${copy}`;
}

/**
 * What follows a line's filing, however it came into evb: the rapportör messages it settles are
 * handled ("Meddelandet … tas sedan bort", seed 001) and the saved changes to its report are
 * forgotten (the filing holds what was sent). Returns the keys of the messages it handled.
 */
export async function settleFiledLine(
  trx: Db,
  loaded: Pick<LoadedLine, 'row' | 'line' | 'quarter' | 'key'>,
  handledBy: string,
): Promise<string[]> {
  const { row, line, quarter, key } = loaded;
  const handled: string[] = [];
  for (const message of messagesSettledByFiling(toDomainDecision(row), line, quarter)) {
    const marked = await markMessageHandled(trx, {
      messageKey: message.key,
      decisionId: row.id,
      handledBy,
    });
    if (marked) handled.push(message.key);
  }
  await deleteIndividrapportDraft(trx, key);
  return handled;
}

/**
 * Records the line as filed with IVO on `filedOn` with report type `report`, in `trx`, whose
 * caller holds the change-sequence lock (lockChangeSequence). A refusal when the decision or line
 * is not the caller's to report, the rules say it cannot have happened, a locked field was changed,
 * or the line is already recorded for the quarter (`conflict`). Handles the line's messages and
 * forgets its saved changes, as filing in evb does. Audited for a single recording; the import
 * audits its run.
 */
export async function recordFiling(trx: Db, input: RecordFilingInput): Promise<RecordFilingResult> {
  let loaded: Awaited<ReturnType<typeof loadLine>>;
  try {
    loaded = await loadLine(trx, input.user, input, input.report);
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') {
      const what = error.message.startsWith('Rapportraden') ? 'quarter' : 'decision';
      return {
        ok: false,
        refusal: {
          field: what,
          message:
            what === 'quarter'
              ? `Beslutet har ingen rapportrad för ${quarterLabel(input.quarter)} som börjar ${formatSwedishDate(input.episodeStart)}`
              : 'Beslutet finns inte eller så saknar du behörighet.',
        },
      };
    }
    throw error;
  }
  const { row, key, line, scheduled, quarter } = loaded;
  if (loaded.current) {
    return {
      ok: false,
      conflict: true,
      refusal: {
        field: 'quarter',
        message: `Raden är redan registrerad som rapporterad till IVO ${formatSwedishDate(loaded.current.filedOn)} (${quarterLabel(quarter)})`,
      },
    };
  }
  const check = recordedFilingCheck({
    line: scheduled,
    quarter,
    filedOn: input.filedOn,
    today: todayInStockholm(input.now),
    report: input.report,
    earlierFiled: loaded.previous !== null,
  });
  if (!check.ok) {
    return { ok: false, refusal: { field: check.field ?? 'filedOn', message: check.reason } };
  }
  const given = input.edits ?? null;
  if (given) {
    const [violation] = lockedFieldViolations(given, loaded.prefill, loaded.locked);
    if (violation) {
      return {
        ok: false,
        refusal: { field: 'draft', draftField: violation.field, message: violation.message },
      };
    }
  }
  const saved = await findIndividrapportDraft(trx, key, true);
  const draft = applyIndividrapportEdits(
    loaded.prefill,
    { ...(saved?.edits as Partial<IndividrapportDraft> | undefined), ...given },
    loaded.locked,
  );
  const fieldsAsSent = given !== null;
  const recordedAt = input.now;
  const snapshot: FiledSnapshot = {
    draft,
    text: individrapportText(draft),
    note: recordedNote({
      recorded: input.recorded,
      byName: input.user.displayName,
      at: recordedAt,
      fieldsAsSent,
    }),
  };
  const inserted = await insertFiling(trx, {
    ...key,
    id: uuidv7(),
    report: line.report,
    status: line.status,
    filedOn: input.filedOn,
    filedBy: input.user.id,
    snapshot,
    recorded: input.recorded,
    fieldsAsSent,
  });
  if (!inserted) {
    return {
      ok: false,
      conflict: true,
      refusal: { field: 'quarter', message: 'Raden är redan registrerad som rapporterad.' },
    };
  }
  const messagesHandled = await settleFiledLine(trx, loaded, input.user.id);
  if (input.recorded === 'efterhand') {
    await insertAudit(trx, {
      userId: input.user.id,
      role: loaded.role,
      action: 'individrapport_registrerad_i_efterhand',
      subjectType: 'beslut',
      subjectId: row.id,
      namndId: row.namndId,
      details: {
        kvartal: key.quarter,
        episodStart: key.episodeStart,
        rapport: line.report,
        status: line.status,
        inlamnad: input.filedOn,
        uppgifterSomSkickades: fieldsAsSent,
        meddelandenHanterade: messagesHandled,
      },
    });
  }
  const filing = filingView(
    {
      ...key,
      id: inserted.id,
      report: line.report,
      status: line.status,
      filedOn: input.filedOn,
      filedAt: inserted.filedAt as unknown as Date,
      filedBy: input.user.id,
      filedByNamn: input.user.displayName,
      snapshot,
      recorded: input.recorded,
      fieldsAsSent,
    },
    snapshot,
  );
  return { ok: true, filing: { ...filing, messagesHandled } };
}
