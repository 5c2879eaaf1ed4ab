import {
  applyIndividrapportEdits,
  type CaseEvent,
  type Decision,
  daysBetween,
  type Finding,
  firstOverdueDay,
  type IndividrapportDraft,
  type IndividrapportField,
  individrapportContextFor,
  lockedFields,
  type PreviousFiling,
  parseQuarterKey,
  prefillIndividrapport,
  type Quarter,
  quarterBounds,
  type ReportLine,
  type ReportTypeToSend,
  reportTypeToSend,
  StoredIndividrapportDraftSchema,
  validateIndividrapport,
} from '@evb/domain';
import type { FilingRow, ReportDecision } from '../data/reports';
import { toDomainDecision } from './case-events';

/*
 * A line's individrapport from what was read about it: the domain's prefill, the fields it locks,
 * and the report with the rapportör's saved changes over it and what validation finds. One place,
 * so that reports.get (one line) and the quarter's exports (every line, read in bulk) give the same
 * report for the same line.
 */

/** What a filing froze: the report exactly as filed, and its text as the rapportör copied it. */
export type FiledSnapshot = {
  /** Null only for a copy that cannot be read as a report (none is made by evb). */
  draft: IndividrapportDraft | null;
  text: string | null;
  /**
   * For a filing recorded afterwards or imported: who recorded it and when, and whether the copy
   * is what was sent (Swedish, shown with the copy); null for a filing marked in evb.
   */
  note: string | null;
};

/**
 * A filing's frozen copy as stored. Read without the draft's limits: a copy filed before them may
 * break them, and stays what was filed.
 */
export function readSnapshot(snapshot: Record<string, unknown>): FiledSnapshot {
  const draft = StoredIndividrapportDraftSchema.safeParse(snapshot.draft);
  return {
    draft: draft.success ? draft.data : null,
    text: typeof snapshot.text === 'string' ? snapshot.text : null,
    note: typeof snapshot.note === 'string' ? snapshot.note : null,
  };
}

/**
 * An episode's filings seen from a quarter (`2026-Q2`): the last one of an earlier quarter (its
 * copy is what an återrapportering builds on) and this quarter's, if the line is filed.
 * `filings` are the episode's, oldest quarter first.
 */
export function episodeFilings(filings: readonly FilingRow[], quarterKey: string) {
  const previous = filings.filter((f) => f.quarter < quarterKey).at(-1) ?? null;
  const current = filings.find((f) => f.quarter === quarterKey) ?? null;
  const previousDraft = previous ? readSnapshot(previous.snapshot).draft : null;
  const previousQuarter = previous ? parseQuarterKey(previous.quarter) : null;
  const previousFiling: PreviousFiling | null =
    previousDraft && previousQuarter ? { quarter: previousQuarter, draft: previousDraft } : null;
  const filedQuarters = filings
    .map((f) => parseQuarterKey(f.quarter))
    .filter((q): q is Quarter => q !== null);
  return { previous, current, previousFiling, filedQuarters };
}

/**
 * The line as it is sent to IVO: the law's schedule says ny or åter, and an återrapportering goes
 * as a nyrapportering while no earlier filing of the episode is recorded (reportTypeToSend).
 * `report` overrides the type, for a filing recorded afterwards with the type that was sent.
 */
export function sendableLine(
  line: ReportLine,
  quarter: Quarter,
  filedQuarters: readonly Quarter[],
  report?: 'ny' | 'ater',
): { line: ReportLine; reportType: ReportTypeToSend } {
  const reportType = reportTypeToSend({ line, quarter, filedQuarters });
  return { line: { ...line, report: report ?? reportType.send }, reportType };
}

/** The decision and person columns the prefill reads (a row of findReportDecision). */
export type PrefillDecision = Pick<
  ReportDecision,
  | 'id'
  | 'lagrum'
  | 'insats'
  | 'beslutsdatum'
  | 'forhandsbesked'
  | 'ersatterBeslutId'
  | 'verksamhetsomrade'
  | 'inriktning'
  | 'inriktningText'
  | 'personFornamn'
  | 'personEfternamn'
  | 'personPersonnummer'
  | 'personIdentitet'
  | 'personSkyddadIdentitet'
  | 'personIvoId'
  | 'namndNamn'
>;

export type PrefillSource = {
  row: PrefillDecision;
  quarter: Quarter;
  /** The line as it is sent (see sendableLine): its `report` is the report type sent. */
  line: ReportLine;
  /** Every event of the decision, as the domain reads them. */
  events: readonly CaseEvent[];
  previousFiling: PreviousFiling | null;
  /** The decision this one replaced, with its events, when there is one. */
  replaced: { decision: Decision; events: readonly CaseEvent[] } | null;
  /** The name of the rapportör who will file (tab 2). */
  rapportor: string;
  /**
   * The quarters with a recorded filing of the episode; without it, the previous filing's. They
   * decide the report type sent (sendableLine).
   */
  filedQuarters?: readonly Quarter[];
  /** The report type that was sent, for a filing recorded afterwards. */
  report?: 'ny' | 'ater';
};

/**
 * The line's prefilled report and the fields the e-tjänst locks in it, for the line as it is sent
 * (`line`, with the report type sent, and `reportType`, why).
 */
export function prefillLine(source: PrefillSource): {
  prefill: IndividrapportDraft;
  locked: IndividrapportField[];
  line: ReportLine;
  reportType: ReportTypeToSend;
} {
  const { row, quarter, previousFiling } = source;
  const { line, reportType } = sendableLine(
    source.line,
    quarter,
    source.filedQuarters ?? (previousFiling ? [previousFiling.quarter] : []),
    source.report,
  );
  const prefill = prefillIndividrapport({
    quarter,
    line,
    decision: {
      ...toDomainDecision(row),
      verksamhetsomrade: row.verksamhetsomrade,
      inriktning: row.inriktning,
      inriktningText: row.inriktningText,
    },
    person: {
      fornamn: row.personFornamn,
      efternamn: row.personEfternamn,
      personnummer: row.personPersonnummer,
      identitet: row.personIdentitet,
      skyddadIdentitet: row.personSkyddadIdentitet,
      ivoId: row.personIvoId,
    },
    namnd: row.namndNamn,
    rapportor: source.rapportor,
    events: source.events,
    previous: previousFiling,
    replaced: source.replaced,
  });
  return {
    prefill,
    locked: lockedFields(line, previousFiling?.draft ?? null),
    line,
    reportType,
  };
}

/** The report as it would be filed now (the prefill with the saved changes), and its findings. */
export function reportWithEdits(
  loaded: {
    prefill: IndividrapportDraft;
    locked: readonly IndividrapportField[];
    line: ReportLine;
    quarter: Quarter;
    previousFiling: PreviousFiling | null;
  },
  edits: Record<string, unknown>,
): { draft: IndividrapportDraft; findings: Finding[] } {
  const draft = applyIndividrapportEdits(
    loaded.prefill,
    edits as Partial<IndividrapportDraft>,
    loaded.locked,
  );
  const findings = validateIndividrapport(
    draft,
    individrapportContextFor(loaded.line, loaded.quarter, loaded.previousFiling),
  );
  return { draft, findings };
}

/**
 * The line a filing was filed as, from the filing row and its copy: for a filed line whose episode
 * the timeline no longer has. The episode is the filing's (its kind as the copy says, else by
 * whether it starts on the decision date), its status the filed one (with the copy's status date),
 * and the waiting counted as the quarter's lines count it.
 */
export function filedLine(filing: FilingRow, beslutsdatum: string, quarter: Quarter): ReportLine {
  const draft = readSnapshot(filing.snapshot).draft;
  const start = filing.episodeStart;
  const status = filing.status as ReportLine['status'];
  const statusDate =
    status !== 'ej_verkstalld' && draft?.statusDatum ? draft.statusDatum : undefined;
  const end = statusDate ? { type: status as 'verkstalld' | 'avslutad', date: statusDate } : null;
  return {
    decisionId: filing.decisionId,
    episode: {
      kind: draft?.drojsmalAvser ?? (start === beslutsdatum ? 'beslut' : 'avbrott'),
      start,
      ...(end ? { end } : {}),
    },
    report: filing.report,
    status,
    ...(statusDate ? { statusDate } : {}),
    overdueFrom: firstOverdueDay(start),
    daysWaited: daysBetween(start, statusDate ?? quarterBounds(quarter).end),
  };
}
