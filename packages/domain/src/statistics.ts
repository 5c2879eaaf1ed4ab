import { addDays, addMonths, type IsoDate } from './calendar/dates';
import { addQuarters, type Quarter, quarterBounds } from './calendar/quarters';
import { findInsats, INSATSER, type Lagrum } from './codes/insatser';
import { ivoIdSex, type Kon } from './identity';
import { quarterReport } from './quarter-report';
import type { CaseEvent, Decision } from './schemas';
import { firstOverdueDay } from './timeline';

/*
 * The nämnd's quarterly statistics report to kommunfullmäktige (SoL 2025:400 34 kap. 3 §, LSS 28 h §):
 * de-identified counts of decisions and interruptions not executed within three months, by insats,
 * by women/men and by time waited, as of the quarter's reference date (its last day).
 *
 * What is counted, from the domain's quarter report (quarterReport):
 * - A quarter's line with status `ej_verkstalld` is one decision (episode kind `beslut`) or one
 *   interruption (kind `avbrott`) that, on the reference date, was still not executed (resumed) and
 *   had waited more than three months. These are the report's figures.
 * - Lines whose episode ended in the quarter (executed or closed after more than three months) are
 *   not in the figures; they are counted apart as `endedInQuarter`, so the reader sees the flow.
 * - A decision is counted at most once per quarter: at most one of its episodes is open on a day,
 *   and the counting also keeps one line per decision should that ever not hold.
 * - Time waited is counted from the episode's start (the decision date, or the day of the
 *   interruption) to the reference date, in calendar months (see waitBucket).
 * - Women/men: from the sex the person's IVO pseudo-id carries (domain.md: it governs even where
 *   the kommun's own series differs), else the person's registered kön.
 * Nothing that identifies a person (names, ids, personnummer, dates) is part of the result.
 */

/** Time waited at the reference date, in the three groups of the statistics report. */
export type WaitBucket = '3_6' | '6_12' | 'over_12';

export const WAIT_BUCKETS: readonly { code: WaitBucket; label: string }[] = [
  { code: '3_6', label: '3–6 månader' },
  { code: '6_12', label: '6–12 månader' },
  { code: 'over_12', label: 'Mer än 12 månader' },
];

export function waitBucketLabel(code: WaitBucket): string {
  return WAIT_BUCKETS.find((b) => b.code === code)?.label ?? code;
}

/**
 * The group of an episode that started on `start`, on the day `at`, in calendar months as the
 * three-month limit itself (addMonths, clamped to the month's end):
 * - `3_6`: more than 3 months, up to and including 6 (from firstOverdueDay(start) to
 *   addMonths(start, 6));
 * - `6_12`: more than 6 months, up to and including 12;
 * - `over_12`: more than 12 months (from the day after addMonths(start, 12)).
 * Null when it has not waited more than three months on `at`.
 */
export function waitBucket(start: IsoDate, at: IsoDate): WaitBucket | null {
  if (at < firstOverdueDay(start)) return null;
  if (at <= addMonths(start, 6)) return '3_6';
  if (at <= addMonths(start, 12)) return '6_12';
  return 'over_12';
}

/**
 * The last day an episode can start and still have waited more than three months on `date`:
 * a decision made after it cannot be counted then, so a reader may leave it out. Searched with
 * firstOverdueDay (non-decreasing in the start), so the three-month rule is stated once.
 */
export function latestStartOverdueBy(date: IsoDate): IsoDate {
  let start = addMonths(date, -3);
  while (firstOverdueDay(addDays(start, 1)) <= date) start = addDays(start, 1);
  while (firstOverdueDay(start) > date) start = addDays(start, -1);
  return start;
}

/** The sex a person is counted under: the IVO pseudo-id's, else the registered kön. */
export function statisticsKon(ivoId: string, kon: Kon): Kon {
  return ivoIdSex(ivoId) ?? kon;
}

/** One decision as the statistics read it: the rules need its events and who it concerns. */
export type StatisticsSubject = {
  decision: Decision;
  events: readonly CaseEvent[];
  ivoId: string;
  kon: Kon;
};

export type CountByKon = { kvinna: number; man: number; total: number };
export type CountByKind = { beslut: CountByKon; avbrott: CountByKon; total: CountByKon };

export type QuarterStatistics = {
  quarter: Quarter;
  referenceDate: IsoDate;
  /** Decisions and interruptions not executed within three months, on the reference date. */
  total: CountByKind;
  /** The same by insats, in the code list's order; only insatser with a count. */
  byInsats: { insats: string; counts: CountByKind }[];
  /**
   * The same by law: SoL first, then LSS (STATISTICS_LAGRUM_ORDER), each with its subtotal and its
   * insatser in the code list's order (only those with a count). Both groups always, also when
   * empty, as byWait; byInsats is the same rows without the grouping.
   */
  byLagrum: {
    lagrum: Lagrum;
    counts: CountByKind;
    insatser: { insats: string; counts: CountByKind }[];
  }[];
  /** The same by time waited on the reference date; every group, also when empty. */
  byWait: { vantetid: WaitBucket; counts: CountByKind }[];
  /** Lines whose episode ended within the quarter after more than three months. */
  endedInQuarter: { verkstalld: number; avslutad: number };
};

const zeroByKon = (): CountByKon => ({ kvinna: 0, man: 0, total: 0 });
const zeroByKind = (): CountByKind => ({
  beslut: zeroByKon(),
  avbrott: zeroByKon(),
  total: zeroByKon(),
});

function add(counts: CountByKind, kind: 'beslut' | 'avbrott', kon: Kon): void {
  for (const row of [counts[kind], counts.total]) {
    row[kon] += 1;
    row.total += 1;
  }
}

const INSATS_ORDER = new Map(INSATSER.map((insats, index) => [insats.code, index]));

/**
 * The order of the law groups in the statistics: SoL, then LSS, as the report cites them
 * (34 kap. 3 § SoL, 28 h § LSS) and as IVO's e-tjänst lists the verksamhetsområden.
 */
export const STATISTICS_LAGRUM_ORDER: readonly Lagrum[] = ['SoL', 'LSS'];

/**
 * The law an insats code is granted under, from the code list; a code the list does not know
 * (none is stored, as decisions are validated against it) by its prefix.
 */
export function insatsLagrum(code: string): Lagrum {
  return findInsats(code)?.lagrum ?? (code.startsWith('LSS') ? 'LSS' : 'SoL');
}

function sumByKind(rows: readonly { counts: CountByKind }[]): CountByKind {
  const sum = zeroByKind();
  for (const { counts } of rows) {
    for (const kind of ['beslut', 'avbrott', 'total'] as const) {
      for (const kon of ['kvinna', 'man', 'total'] as const) sum[kind][kon] += counts[kind][kon];
    }
  }
  return sum;
}

function insatsOrder(a: string, b: string): number {
  const ia = INSATS_ORDER.get(a) ?? Number.MAX_SAFE_INTEGER;
  const ib = INSATS_ORDER.get(b) ?? Number.MAX_SAFE_INTEGER;
  return ia - ib || a.localeCompare(b);
}

/** The statistics of quarter `q` over the subjects (see the definition at the top of this file). */
export function quarterStatistics(
  subjects: readonly StatisticsSubject[],
  q: Quarter,
): QuarterStatistics {
  const { end: referenceDate } = quarterBounds(q);
  const total = zeroByKind();
  const byInsats = new Map<string, CountByKind>();
  const byWait = new Map<WaitBucket, CountByKind>(WAIT_BUCKETS.map((b) => [b.code, zeroByKind()]));
  const endedInQuarter = { verkstalld: 0, avslutad: 0 };
  const counted = new Set<string>();
  for (const subject of subjects) {
    const kon = statisticsKon(subject.ivoId, subject.kon);
    for (const line of quarterReport(subject.decision, subject.events, q)) {
      if (line.status !== 'ej_verkstalld') {
        endedInQuarter[line.status] += 1;
        continue;
      }
      if (counted.has(line.decisionId)) continue;
      counted.add(line.decisionId);
      const kind = line.episode.kind;
      add(total, kind, kon);
      const insats = subject.decision.insats;
      const ofInsats = byInsats.get(insats) ?? zeroByKind();
      byInsats.set(insats, ofInsats);
      add(ofInsats, kind, kon);
      // Never null: an ej_verkstalld line is overdue on the reference date.
      const bucket = waitBucket(line.episode.start, referenceDate) ?? '3_6';
      add(byWait.get(bucket)!, kind, kon);
    }
  }
  const insatsRows = [...byInsats.entries()]
    .sort(([a], [b]) => insatsOrder(a, b))
    .map(([insats, counts]) => ({ insats, counts }));
  return {
    quarter: q,
    referenceDate,
    total,
    byInsats: insatsRows,
    byLagrum: STATISTICS_LAGRUM_ORDER.map((lagrum) => {
      const insatser = insatsRows.filter((row) => insatsLagrum(row.insats) === lagrum);
      return { lagrum, counts: sumByKind(insatser), insatser };
    }),
    byWait: WAIT_BUCKETS.map((b) => ({ vantetid: b.code, counts: byWait.get(b.code)! })),
    endedInQuarter,
  };
}

/** How many quarters the trend shows, ending with the chosen one. */
export const STATISTICS_TREND_QUARTERS = 8;

/**
 * The trend: the totals of the `count` quarters that end with `last`, oldest first, each counted
 * as quarterStatistics counts it.
 */
export function statisticsTrend(
  subjects: readonly StatisticsSubject[],
  last: Quarter,
  count = STATISTICS_TREND_QUARTERS,
): { quarter: Quarter; referenceDate: IsoDate; total: CountByKind }[] {
  return Array.from({ length: count }, (_, i) => {
    const { quarter, referenceDate, total } = quarterStatistics(
      subjects,
      addQuarters(last, i - count + 1),
    );
    return { quarter, referenceDate, total };
  });
}
