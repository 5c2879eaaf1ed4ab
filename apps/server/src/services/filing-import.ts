import {
  type CaseEvent,
  checkFilingImportFile,
  chooseFilingLine,
  EPISODE_EVENT_TYPES,
  episodes,
  FILING_IMPORT_COLUMNS,
  FILING_IMPORT_LIMITS,
  type FilingImportField,
  type FilingImportRow,
  filingImportColumn,
  filingImportOrder,
  findInsats,
  matchFilingImportHeader,
  parseFilingImportRow,
  quarterKey,
  quarterLabel,
  quarterReport,
  todayInStockholm,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { lockChangeSequence, timelinesWithFieldsOf } from '../data/decisions';
import { decisionsOfPersons, type FilingImportDecision } from '../data/filing-import';
import type { Db } from '../db/database';
import type { AuthUser } from '../trpc/context';
import {
  fieldCountProblem,
  readCsv,
  thousands,
  UNDECODABLE_MESSAGE,
  undecodableRecord,
} from './case-system-csv';
import type { ImportInput } from './case-system-import';
import type { PersonLookup } from './decisions';
import { type RecordFilingRefusal, recordFiling } from './filing-record';
import { reportingRoleIn, reportingScope } from './role-grants';

/*
 * Importing the kommun's earlier filings with IVO from a CSV file (issue 11): the columns and row
 * rules are the domain's (filing-import.ts); each row is matched to a decision the rapportör
 * reports in the nämnd (person by personnummer or IVO id, beslutsdatum, insats), to the report line
 * of its episode in the quarter (quarterReport, chooseFilingLine), and recorded by the same
 * service as a single filing recorded afterwards (filing-record.ts: the recording rule, the frozen
 * copy, the messages it handles), marked as imported.
 *
 * Like the decision import, one pass does everything in one transaction and then keeps or rolls
 * back its work: a dry run always rolls back and answers every row it would refuse and why; a run
 * commits only when nothing is refused. Rows are recorded in quarter order, so a nyrapportering is
 * in place before the återrapporteringar of its episode whatever the file's order, and a filing
 * already recorded for the line and quarter is refused ("redan registrerad") — so importing a file
 * twice refuses every row and changes nothing.
 *
 * A person outside the caller's scope (another nämnd, another verksamhetsområde) is not found,
 * exactly as a person evb has never seen; the answer names no person. Look-ups by personnummer are
 * handed back for the audit log.
 */

/** A row the import refuses: its line in the file (the header is 1), the column, and why. */
export type FilingImportRefusal = { row: number; field: string; message: string };

/** A row the import records: which line and quarter, without the person's identity. */
export type FilingImportAccepted = {
  row: number;
  /** `2026-Q3` */
  quarter: string;
  quarterLabel: string;
  beslutsdatum: string;
  insats: string;
  insatsLabel: string;
  episode: { kind: 'beslut' | 'avbrott'; start: string };
  /** The report type recorded (a `slut` row: the type the line's schedule gives). */
  report: 'ny' | 'ater';
  status: 'ej_verkstalld' | 'verkstalld' | 'avslutad';
  statusDate: string | null;
  filedOn: string;
};

export type FilingImportPreview = {
  /** Rows with a filing (the header and empty rows not counted). */
  rows: number;
  accepted: FilingImportAccepted[];
  refused: FilingImportRefusal[];
  /** Columns of the file that the import does not read. */
  ignoredColumns: string[];
};

export type FilingImportOutcome = FilingImportPreview & { filingIds: string[] };

class RollBack extends Error {
  constructor(readonly outcome: FilingImportOutcome) {
    super('filings import rolled back');
  }
}

/**
 * Runs the import of `input.csv` into `input.namndId` for `user`, a rapportör or huvudrapportör of
 * that nämnd: `dryRun` always rolls back; `run` commits when nothing is refused. Answers the
 * outcome either way. Look-ups of persons by personnummer are added to `lookups`.
 */
export async function importFilings(
  db: Db,
  user: AuthUser,
  input: ImportInput,
  mode: 'dryRun' | 'run',
  now: Date,
  lookups: PersonLookup[] = [],
): Promise<FilingImportOutcome> {
  if (!reportingRoleIn(user, input.namndId)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'Du rapporterar inte för den nämnden och kan inte importera inlämningar dit.',
    });
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const outcome = await importInTransaction(trx, user, input, now, lookups);
      if (mode === 'dryRun' || outcome.refused.length > 0) throw new RollBack(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof RollBack) return error.outcome;
    throw error;
  }
}

const RECORD_FIELD: Record<RecordFilingRefusal['field'], FilingImportField | null> = {
  filedOn: 'inlamnad',
  report: 'rapporttyp',
  quarter: 'kvartal',
  decision: 'person',
  draft: null,
};

async function importInTransaction(
  db: Db,
  user: AuthUser,
  input: ImportInput,
  now: Date,
  lookups: PersonLookup[],
): Promise<FilingImportOutcome> {
  const outcome: FilingImportOutcome = {
    rows: 0,
    accepted: [],
    refused: [],
    ignoredColumns: [],
    filingIds: [],
  };
  const read = readCsv(input.csv);
  if (!read.ok) {
    outcome.refused.push({ row: read.line, field: '', message: read.message });
    return outcome;
  }
  const { header: headerCells, headerLine, records } = read.file;
  outcome.rows = records.length;
  if (records.length > FILING_IMPORT_LIMITS.maxRows) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `Filen har ${records.length} inlämningar; högst ${thousands(FILING_IMPORT_LIMITS.maxRows)} kan importeras åt gången. Dela upp den i flera filer.`,
    });
  }
  const header = matchFilingImportHeader(headerCells);
  outcome.ignoredColumns = header.ignored;
  const columnName = (field: FilingImportField | null) =>
    field ? (header.names[field] ?? filingImportColumn(field).header) : '';
  const refuse = (row: number, field: FilingImportField | null, message: string) =>
    outcome.refused.push({ row, field: columnName(field), message });
  if (header.issues.length > 0) {
    for (const issue of header.issues) refuse(headerLine, issue.field, issue.message);
    return outcome;
  }
  if (records.length === 0) {
    refuse(headerLine, null, 'Filen har inga rader med inlämningar under rubrikraden');
    return outcome;
  }
  const undecodable = undecodableRecord(records);
  if (undecodable) {
    refuse(undecodable.line, null, UNDECODABLE_MESSAGE);
    return outcome;
  }

  // The rules of each row and between rows, from the domain.
  const today = todayInStockholm(now);
  const parsed: { line: number; row: FilingImportRow }[] = [];
  for (const record of records) {
    const fieldCount = fieldCountProblem(record, headerCells.length);
    if (fieldCount) {
      refuse(record.line, null, fieldCount);
      continue;
    }
    const result = parseFilingImportRow((field) => {
      const position = header.positions[field];
      return position === undefined ? '' : (record.cells[position] ?? '');
    }, today);
    if (result.ok) parsed.push({ line: record.line, row: result.row });
    else for (const issue of result.issues) refuse(record.line, issue.field, issue.message);
  }
  const fileIssues = checkFilingImportFile(parsed);

  // What the rows need from the database, read at once, under the lock the recording needs.
  await lockChangeSequence(db);
  const numbers = unique(
    parsed.flatMap(({ row }) =>
      row.person.typ === 'personnummer' ? [row.person.personnummer] : [],
    ),
  );
  const ivoIds = unique(
    parsed.flatMap(({ row }) => (row.person.typ === 'ivoId' ? [row.person.ivoId] : [])),
  );
  const decisions = await decisionsOfPersons(
    db,
    reportingScope(user, input.namndId),
    input.namndId,
    {
      personnummer: numbers,
      ivoIds,
    },
  );
  for (const number of numbers) {
    const personIds = unique(
      decisions.filter((d) => d.personnummer === number).map((d) => d.personId),
    );
    if (personIds.length === 0) lookups.push({ personId: null });
    for (const personId of personIds) lookups.push({ personId });
  }
  const timelines = await timelinesWithFieldsOf(
    db,
    decisions.map((d) => d.id),
    EPISODE_EVENT_TYPES,
  );
  const eventsOf = (decisionId: string): CaseEvent[] =>
    (timelines.get(decisionId) ?? []).map(
      ({ data, ...event }) => ({ ...data, ...event, decisionId }) as CaseEvent,
    );

  for (const { line, row } of filingImportOrder(parsed)) {
    const sameLine = fileIssues.get(line);
    if (sameLine) {
      for (const issue of sameLine) refuse(line, issue.field, issue.message);
      continue;
    }
    const decision = matchDecision(decisions, row, (field, message) =>
      refuse(line, field, message),
    );
    if (!decision) continue;
    const domainDecision = {
      id: decision.id,
      lagrum: decision.lagrum,
      insats: decision.insats,
      beslutsdatum: decision.beslutsdatum,
      forhandsbesked: decision.forhandsbesked,
      ersatterBeslutId: decision.ersatterBeslutId,
    };
    const events = eventsOf(decision.id);
    const choice = chooseFilingLine(
      row,
      quarterReport(domainDecision, events, row.quarter),
      row.avbrottsdatum !== null &&
        episodes(domainDecision, events).some(
          (e) => e.kind === 'avbrott' && e.start === row.avbrottsdatum,
        ),
    );
    if (!choice.ok) {
      refuse(line, choice.field, choice.message);
      continue;
    }
    const recorded = await recordFiling(db, {
      user,
      namndId: input.namndId,
      decisionId: decision.id,
      episodeStart: choice.line.episode.start,
      quarter: row.quarter,
      filedOn: row.inlamnad,
      report: choice.report,
      edits: null,
      recorded: 'import',
      now,
    });
    if (!recorded.ok) {
      refuse(line, RECORD_FIELD[recorded.refusal.field], recorded.refusal.message);
      continue;
    }
    outcome.filingIds.push(recorded.filing.id);
    outcome.accepted.push({
      row: line,
      quarter: quarterKey(row.quarter),
      quarterLabel: quarterLabel(row.quarter),
      beslutsdatum: row.beslutsdatum,
      insats: row.insats,
      insatsLabel: findInsats(row.insats)?.label ?? row.insats,
      episode: { kind: choice.line.episode.kind, start: choice.line.episode.start },
      report: choice.report,
      status: choice.line.status,
      statusDate: choice.line.statusDate ?? null,
      filedOn: row.inlamnad,
    });
  }

  const order = new Map(FILING_IMPORT_COLUMNS.map((c, i) => [columnName(c.field), i]));
  outcome.refused.sort(
    (a, b) => a.row - b.row || (order.get(a.field) ?? -1) - (order.get(b.field) ?? -1),
  );
  outcome.accepted.sort((a, b) => a.row - b.row);
  return outcome;
}

/**
 * The one decision of the nämnd (as far as the caller sees it) that the row names: its person, on
 * its beslutsdatum, for its insats. None, or more than one, is refused and said so.
 */
function matchDecision(
  decisions: readonly FilingImportDecision[],
  row: FilingImportRow,
  refuse: (field: FilingImportField, message: string) => void,
): FilingImportDecision | null {
  const person = row.person;
  const matches = decisions.filter(
    (d) =>
      (person.typ === 'personnummer'
        ? d.personnummer === person.personnummer
        : d.ivoId === person.ivoId) &&
      d.beslutsdatum === row.beslutsdatum &&
      d.insats === row.insats,
  );
  const what = `med beslutsdatum ${row.beslutsdatum} och insatsen ${findInsats(row.insats)?.label ?? row.insats}`;
  if (matches.length === 0) {
    refuse(
      'person',
      `Det finns inget beslut ${what} för personen bland nämndens beslut som du rapporterar`,
    );
    return null;
  }
  if (matches.length > 1) {
    refuse(
      'person',
      `Personen har ${matches.length} beslut ${what}; evb kan inte avgöra vilket av dem inlämningen gällde`,
    );
    return null;
  }
  return matches[0]!;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
