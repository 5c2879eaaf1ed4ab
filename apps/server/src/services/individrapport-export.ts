import {
  type Finding,
  type IndividrapportDraft,
  type IndividrapportField,
  individrapportText,
  parseQuarterKey,
  type Quarter,
  quarterLabel,
} from '@evb/domain';
import type { FilingRow } from '../data/reports';
import type { QuarterLineView } from '../routers/quarter';
import type { ReportView } from '../routers/reports';
import { type FiledSnapshot, readSnapshot } from './individrapport';
import { buildReport, type ReportSource } from './quarter-reports';

/*
 * One line's individrapport as the exports print it (PDF, CSV, XLSX): a filed line as it was
 * filed (the frozen copy), any other line as it would be filed now, with what validation finds.
 */

export type ExportFiling = {
  filedOn: string;
  /** When it was recorded in evb, ISO timestamp. */
  filedAt: string;
  filedBy: { id: string; namn: string };
};

export type IndividrapportExport = {
  line: QuarterLineView;
  /** `inlamnad`: filed with IVO, the report as filed; `utkast`: not filed yet. */
  state: 'inlamnad' | 'utkast';
  draft: IndividrapportDraft;
  /** The report as plain Swedish text, as the rapportör copies it. */
  text: string;
  /** What validation finds in an unfiled report; empty for a filed one. */
  findings: Finding[];
  locked: IndividrapportField[];
  filing: ExportFiling | null;
  /** The episode's filing in an earlier quarter, which an återrapportering builds on. */
  previous: { quarter: string; quarterLabel: string; filedOn: string } | null;
};

/** The report of a line: as filed when it is filed, else the current draft and its findings. */
function chosen(
  current: { draft: IndividrapportDraft; findings: Finding[] },
  filedCopy: FiledSnapshot | null,
): Pick<IndividrapportExport, 'state' | 'draft' | 'text' | 'findings'> {
  if (filedCopy) {
    const draft = filedCopy.draft ?? current.draft;
    return {
      state: 'inlamnad',
      draft,
      text: filedCopy.text ?? individrapportText(draft),
      findings: [],
    };
  }
  return {
    state: 'utkast',
    draft: current.draft,
    text: individrapportText(current.draft),
    findings: current.findings,
  };
}

/** The export of the line reports.get answered. */
export function exportOfReportView(view: ReportView): IndividrapportExport {
  const { filing, previous } = view;
  return {
    line: view.line,
    ...chosen(view, filing?.snapshot ?? null),
    locked: view.locked,
    filing: filing
      ? { filedOn: filing.filedOn, filedAt: filing.filedAt, filedBy: filing.filedBy }
      : null,
    previous: previous
      ? {
          quarter: previous.quarter,
          quarterLabel: previous.quarterLabel,
          filedOn: previous.filedOn,
        }
      : null,
  };
}

/** The export of a line built from bulk reads (the quarter's exports). */
export function exportOfLine(input: {
  line: QuarterLineView;
  current: { draft: IndividrapportDraft; findings: Finding[] };
  locked: IndividrapportField[];
  filing: FilingRow | null;
  previous: FilingRow | null;
}): IndividrapportExport {
  const { filing, previous } = input;
  const previousQuarter = previous ? parseQuarterKey(previous.quarter) : null;
  return {
    line: input.line,
    ...chosen(input.current, filing ? readSnapshot(filing.snapshot) : null),
    locked: input.locked,
    filing: filing
      ? {
          filedOn: filing.filedOn,
          filedAt: new Date(filing.filedAt).toISOString(),
          filedBy: { id: filing.filedBy, namn: filing.filedByNamn },
        }
      : null,
    previous: previous
      ? {
          quarter: previous.quarter,
          quarterLabel: previousQuarter ? quarterLabel(previousQuarter) : previous.quarter,
          filedOn: previous.filedOn,
        }
      : null,
  };
}

/** A line of a quarter's export with what its report is built from (services/quarter-reports.ts). */
export type QuarterLineSource = { line: QuarterLineView; source: ReportSource };

/**
 * The export of a line of `quarter` from what was read for it (buildReport, then exportOfLine):
 * pure, so that a render worker can build a quarter's reports while the request's thread reads
 * the next ones.
 */
export function exportOfSource(
  { line, source }: QuarterLineSource,
  quarter: Quarter,
  rapportor: string,
): IndividrapportExport {
  const report = buildReport(source, quarter, rapportor);
  return exportOfLine({
    line,
    current: report.current,
    locked: report.locked,
    filing: report.filing,
    previous: report.previous,
  });
}
