import {
  addDays,
  addQuarters,
  type CaseEvent,
  defaultReportQuarter,
  type FilingImportField,
  filingImportCsv,
  type IsoDate,
  minDate,
  nextWorkingDay,
  type Quarter,
  quarterKey,
  quarterReport,
  type ReportLine,
  reportingWindow,
} from '@evb/domain';
import { domainDecision, domainEvent } from '../seed/decisions';
import { generateDemoData } from '../seed/demo';

/*
 * A half-year of the demo nämnd's earlier filings with IVO, as the file the filings import reads
 * (issue 11): what a kommun moving onto evb brings of what it has already sent. Pure — it rebuilds
 * the demo data from the day it was seeded (generateDemoData gives the same data for the same day),
 * so a server test and a Playwright spec against a freshly seeded server use the same file.
 *
 * The file has one row for every line the demo rapportör's nämnd had in each of the two quarters
 * before the open period (the quarter the quarter view opens on, defaultReportQuarter), filed as a
 * rapportör would have:
 * - a line still waiting at the quarter's end as the schedule calls it, `ny` or `åter`, on the
 *   eighth day of the quarter's reporting window (the next working day);
 * - an executed or closed line as `slut`, two days after its end (the next working day), never
 *   after today.
 * The person is named by personnummer, or by IVO-id when the person has no number; an
 * interruption's line carries its avbrottsdatum. Lines whose decision the import could not tell
 * from another (the same person, beslutsdatum and insats twice) are left out. The two quarters
 * are written in two of the accepted forms (`2026-Q2`, `2026 kv 3`).
 */

export type EarlierFiling = {
  decisionId: string;
  episodeStart: IsoDate;
  quarter: Quarter;
  rapporttyp: 'ny' | 'åter' | 'slut';
  /** The report type the filing is recorded as. */
  report: 'ny' | 'ater';
  filedOn: IsoDate;
};

export type EarlierFilings = {
  /** The demo nämnd the rapportör reports for. */
  namndId: string;
  /** The open period: the quarter the rapportör files next. */
  openQuarter: Quarter;
  /** The two quarters before it, oldest first. */
  quarters: [Quarter, Quarter];
  /** In the file's order: `filings[i]` is the file's line i + 2 (the header is line 1). */
  filings: EarlierFiling[];
  /** The filings import's file: `;`-separated, CRLF. */
  csv: string;
};

/** The earlier filings of the demo data seeded on `today`, for the demo user `rapportor`. */
export function demoEarlierFilings(today: IsoDate): EarlierFilings {
  const demo = generateDemoData(today);
  const rapportor = demo.org.users.find((u) => u.username === 'rapportor')!;
  const namndId = rapportor.grants.find((g) => g.namndId)!.namndId!;
  const openQuarter = defaultReportQuarter(today);
  const quarters: [Quarter, Quarter] = [addQuarters(openQuarter, -2), addQuarters(openQuarter, -1)];

  const persons = new Map(demo.batch.persons.map((p) => [p.id, p]));
  const decisions = demo.batch.decisions.filter((d) => d.namndId === namndId);
  const eventsOf = new Map<string, CaseEvent[]>();
  for (const event of demo.batch.events) {
    const list = eventsOf.get(event.decisionId) ?? [];
    list.push(domainEvent(event));
    eventsOf.set(event.decisionId, list);
  }
  const matchKey = (d: (typeof decisions)[number]) => `${d.personId}|${d.beslutsdatum}|${d.insats}`;
  const keyCount = new Map<string, number>();
  for (const d of decisions) keyCount.set(matchKey(d), (keyCount.get(matchKey(d)) ?? 0) + 1);

  const filings: EarlierFiling[] = [];
  const rows: Partial<Record<FilingImportField, string>>[] = [];
  quarters.forEach((quarter, index) => {
    for (const decision of decisions) {
      if (keyCount.get(matchKey(decision)) !== 1) continue;
      const person = persons.get(decision.personId)!;
      const lines = quarterReport(
        domainDecision(decision),
        eventsOf.get(decision.id) ?? [],
        quarter,
      );
      for (const line of lines) {
        const filing = filingOf(decision.id, line, quarter, today);
        filings.push(filing);
        rows.push({
          person: person.personnummer
            ? `${person.personnummer.slice(0, 8)}-${person.personnummer.slice(8)}`
            : person.ivoId,
          beslutsdatum: decision.beslutsdatum,
          insats: decision.insats,
          avbrottsdatum: line.episode.kind === 'avbrott' ? line.episode.start : '',
          kvartal: index === 0 ? quarterKey(quarter) : `${quarter.year} kv ${quarter.quarter}`,
          rapporttyp: filing.rapporttyp,
          inlamnad: filing.filedOn,
        });
      }
    }
  });
  return { namndId, openQuarter, quarters, filings, csv: filingImportCsv(rows) };
}

function filingOf(
  decisionId: string,
  line: ReportLine,
  quarter: Quarter,
  today: IsoDate,
): EarlierFiling {
  const base = { decisionId, episodeStart: line.episode.start, quarter };
  if (line.status !== 'ej_verkstalld') {
    return {
      ...base,
      rapporttyp: 'slut',
      report: line.report,
      filedOn: minDate(nextWorkingDay(addDays(line.statusDate!, 2)), today),
    };
  }
  const window = reportingWindow(quarter);
  return {
    ...base,
    rapporttyp: line.report === 'ny' ? 'ny' : 'åter',
    report: line.report,
    filedOn: minDate(minDate(nextWorkingDay(addDays(window.opens, 7)), window.closes), today),
  };
}
