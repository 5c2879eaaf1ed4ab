import {
  type CaseEvent,
  type Decision,
  type Finding,
  type IndividrapportDraft,
  type IndividrapportField,
  type Quarter,
  quarterKey,
  quarterReport,
  type ReportLine,
  type ReportTypeToSend,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import type { DecisionScope } from '../access/scope';
import {
  caseEventsOfDecisions,
  decisionsByIds,
  filingsOfDecisionsUpTo,
  individrapportDraftsOf,
  reportDecisionsByIds,
} from '../data/quarter-export';
import { byDecision } from '../data/reporting';
import type { FilingRow } from '../data/reports';
import type { Db } from '../db/database';
import { toDomainDecision } from './case-events';
import { episodeFilings, filedLine, prefillLine, reportWithEdits } from './individrapport';
import { flatMapInTurns } from './turns';

/*
 * Many lines' individrapporter of one quarter, built in one pass: what reports.get builds for one
 * line (services/individrapport.ts: the prefill for the line as it is sent, the locked fields, the
 * saved changes over them, what validation finds, the episode's filings), from a few set-based
 * reads over every decision with a line (data/quarter-export.ts) rather than one round of reads per
 * line. The quarter's exports print them; the to-do view counts each line's findings from them.
 * In two steps: the reads, with each line found again in them (readQuarterReportSources), then
 * each report built from what was read for it (buildReport), pure, which the quarter's files do in
 * their render worker (render/tasks.ts).
 */

/** A line to build: its decision and the start of its episode. */
export type LineToBuild = { decisionId: string; episodeStart: string };

export type ReportDecisionRow = Awaited<ReturnType<typeof reportDecisionsByIds>>[number];

export type BuiltReport = {
  row: ReportDecisionRow;
  /** The line as the law's schedule gives it (quarterReport). */
  scheduled: ReportLine;
  /** The line as it is sent: `report` is the report type sent (sendableLine). */
  line: ReportLine;
  reportType: ReportTypeToSend;
  prefill: IndividrapportDraft;
  locked: IndividrapportField[];
  /** The report as it would be filed now (the prefill with the saved changes), and its findings. */
  current: { draft: IndividrapportDraft; findings: Finding[] };
  /** This quarter's filing of the line, or null. */
  filing: FilingRow | null;
  /** The episode's last filing in an earlier quarter, or null. */
  previous: FilingRow | null;
};

const lineKeyOf = (decisionId: string, episodeStart: string) => `${decisionId}|${episodeStart}`;

/** Filings grouped by their line (decision and episode), each group oldest quarter first. */
function byLine(filings: readonly FilingRow[]): Map<string, FilingRow[]> {
  const groups = new Map<string, FilingRow[]>();
  for (const filing of filings) {
    const key = lineKeyOf(filing.decisionId, filing.episodeStart);
    const group = groups.get(key);
    if (group) group.push(filing);
    else groups.set(key, [filing]);
  }
  return groups;
}

/** What one line's individrapport is built from, as read in bulk: plain data (see buildReport). */
export type ReportSource = {
  row: ReportDecisionRow;
  /** The line as the law's schedule gives it (quarterReport), found again in what was read. */
  scheduled: ReportLine;
  /** Every event of the decision that an individrapport is built from, as the domain reads them. */
  events: readonly CaseEvent[];
  /** The episode's filings up to the quarter, oldest quarter first. */
  filings: readonly FilingRow[];
  /** The rapportör's saved changes to the line's report in the quarter. */
  edits: Record<string, unknown>;
  /** The decision this one replaced, with its events, when there is one. */
  replaced: { decision: Decision; events: readonly CaseEvent[] } | null;
};

/** Lines built between two turns of the event loop: a few milliseconds of work. */
const LINES_PER_TURN = 50;

/**
 * What the individrapporter of `lines` (in their order) for `quarter` are built from, over the
 * decisions in `scope`: set-based reads, and each line found again in what was read (a filed line
 * whose episode the timeline no longer has, by its filing). A line whose decision is no longer in
 * scope, or whose episode no longer has a line in the quarter (an event logged since the lines
 * were read), is left out when `ifChanged` is `skip`, else refused with a
 * 409 saying `ifChanged.refuse` (an export is never half true).
 */
export async function readQuarterReportSources(
  db: Db,
  input: {
    scope: DecisionScope;
    quarter: Quarter;
    lines: readonly LineToBuild[];
    ifChanged: 'skip' | { refuse: string };
  },
): Promise<ReportSource[]> {
  const q = input.quarter;
  const key = quarterKey(q);
  const ids = [...new Set(input.lines.map((l) => l.decisionId))];
  const [rows, eventRows, filings, savedEdits] = await Promise.all([
    reportDecisionsByIds(db, input.scope, ids),
    caseEventsOfDecisions(db, ids),
    filingsOfDecisionsUpTo(db, ids, key),
    individrapportDraftsOf(db, ids, key),
  ]);
  const replacedIds = rows.flatMap((r) => (r.ersatterBeslutId ? [r.ersatterBeslutId] : []));
  const [replacedRows, replacedEventRows] = await Promise.all([
    decisionsByIds(db, replacedIds),
    caseEventsOfDecisions(db, replacedIds),
  ]);
  const decisions = new Map(rows.map((r) => [r.id, r]));
  const events = byDecision(eventRows);
  const replacedDecisions = new Map(replacedRows.map((r) => [r.id, r]));
  const replacedEvents = byDecision(replacedEventRows);
  const filingsByLine = byLine(filings);
  const editsByLine = new Map(
    savedEdits.map((d) => [lineKeyOf(d.decisionId, d.episodeStart), d.edits]),
  );
  // The domain's lines of each decision, computed once however many of its lines are built.
  const linesOf = new Map<string, ReportLine[]>();

  return flatMapInTurns(input.lines, LINES_PER_TURN * 4, (wanted): ReportSource[] => {
    const row = decisions.get(wanted.decisionId);
    const timeline = events.get(wanted.decisionId) ?? ([] as CaseEvent[]);
    let domainLines = row ? linesOf.get(row.id) : undefined;
    if (row && !domainLines) {
      domainLines = quarterReport(toDomainDecision(row), timeline, q);
      linesOf.set(row.id, domainLines);
    }
    // A filed line whose episode the timeline no longer has is the line that was filed, as
    // reports.get reads it (services/report-line.ts).
    const filedNow = filingsByLine
      .get(lineKeyOf(wanted.decisionId, wanted.episodeStart))
      ?.find((f) => f.quarter === key);
    const scheduled =
      domainLines?.find((l) => l.episode.start === wanted.episodeStart) ??
      (row && filedNow ? filedLine(filedNow, row.beslutsdatum, q) : undefined);
    if (!row || !scheduled) {
      if (input.ifChanged === 'skip') return [];
      throw new TRPCError({ code: 'CONFLICT', message: input.ifChanged.refuse });
    }
    const lineKey = lineKeyOf(row.id, scheduled.episode.start);
    const replaced = row.ersatterBeslutId ? replacedDecisions.get(row.ersatterBeslutId) : undefined;
    return [
      {
        row,
        scheduled,
        events: timeline,
        filings: filingsByLine.get(lineKey) ?? [],
        edits: editsByLine.get(lineKey) ?? {},
        replaced: replaced
          ? {
              decision: toDomainDecision(replaced),
              events: replacedEvents.get(replaced.id) ?? [],
            }
          : null,
      },
    ];
  });
}

/**
 * One line's individrapport from what was read for it: pure, so the same on the request's thread
 * and in a render worker (render/tasks.ts builds a quarter's files' reports there).
 */
export function buildReport(
  source: ReportSource,
  quarter: Quarter,
  rapportor: string,
): BuiltReport {
  const { row, scheduled } = source;
  const { previous, current, previousFiling, filedQuarters } = episodeFilings(
    source.filings,
    quarterKey(quarter),
  );
  const { prefill, locked, line, reportType } = prefillLine({
    row,
    quarter,
    line: scheduled,
    filedQuarters,
    events: source.events,
    previousFiling,
    replaced: source.replaced,
    rapportor,
  });
  return {
    row,
    scheduled,
    line,
    reportType,
    prefill,
    locked,
    current: reportWithEdits({ prefill, locked, line, quarter, previousFiling }, source.edits),
    filing: current,
    previous,
  };
}

/**
 * The individrapporter of `lines` (in their order) for `quarter`, over the decisions in `scope`:
 * readQuarterReportSources (which leaves out or refuses a line that changed, as `ifChanged` says),
 * each built by buildReport, with other requests let in between.
 */
export async function buildQuarterReports(
  db: Db,
  input: {
    scope: DecisionScope;
    quarter: Quarter;
    lines: readonly LineToBuild[];
    /** The name of the rapportör who will file (tab 2 of each report). */
    rapportor: string;
    ifChanged: 'skip' | { refuse: string };
  },
): Promise<BuiltReport[]> {
  const sources = await readQuarterReportSources(db, input);
  return flatMapInTurns(sources, LINES_PER_TURN, (source) => [
    buildReport(source, input.quarter, input.rapportor),
  ]);
}
