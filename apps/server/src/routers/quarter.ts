import {
  addQuarters,
  type CaseEvent,
  defaultReportQuarter,
  filingCheck,
  findInsats,
  isWindowBound,
  lineMessageKeys,
  parseQuarterKey,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterReport,
  type ReportLine,
  type ReportTypeToSend,
  reportingWindow,
  reportTypeToSend,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
  windowClosingWarning,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { DecisionScope } from '../access/scope';
import { insertAudit } from '../data/audit';
import { handledMessagesOf } from '../data/decisions';
import {
  earlierPeriodReadings,
  quarterReadings,
  type ReportingDecision,
  type ReportingFiling,
  type ReportingSelection,
} from '../data/reporting';
import { filedLinesOfVoidedDecisions, filingsOfEpisode } from '../data/reports';
import type { FilingRecorded } from '../db/schema';
import { toDomainDecision } from '../services/case-events';
import { episodeFilings, filedLine } from '../services/individrapport';
import { buildQuarterReports } from '../services/quarter-reports';
import {
  reportingAreasIn,
  reportingRoleIn,
  VerksamhetsomradeSchema,
} from '../services/role-grants';
import { flatMapInTurns } from '../services/turns';
import { filedLinesVoidedSince } from '../services/voiding';
import type { AuthUser, Context } from '../trpc/context';
import { roleProcedure, router } from '../trpc/init';

/*
 * The rapportör's to-do view of a reporting period (IVO abolished the quarterly report, seed 002:
 * what remains is each period's individrapporter). `lines`: the period's lines for a nämnd, as the
 * domain's `quarterReport` builds them from every decision the rapportör reports, with the report
 * type sent, whether and how each is filed with IVO, and the period's reporting window. `todo`:
 * what each unfiled line's individrapport still lacks, which lines can be filed today, and the
 * earlier periods left with unfiled lines.
 */

export const QuarterSchema = z.object(
  {
    year: z
      .number({ error: 'Ange år' })
      .int({ error: 'Ange år som ett heltal' })
      .min(1990, { error: 'Året ska vara 1990 eller senare' })
      .max(2100, { error: 'Året ska vara 2100 eller tidigare' }),
    quarter: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
      error: 'Välj kvartal 1–4',
    }),
  },
  { error: 'Välj år och kvartal' },
);

const LinesInput = z.object({
  namndId: z
    .string({ error: 'Välj nämnd' })
    .trim()
    .min(1, { error: 'Välj nämnd' })
    .max(100, { error: 'Okänd nämnd' }),
  /**
   * The reporting period; when left out, the domain's defaultReportQuarter: the quarter whose
   * window is open today, else the current quarter.
   */
  quarter: QuarterSchema.optional(),
  /** Some of the caller's verksamhetsområden in the nämnd; all of them when left out. */
  verksamhetsomraden: z
    .array(VerksamhetsomradeSchema, { error: 'Välj verksamhetsområden' })
    .min(1, { error: 'Välj minst ett verksamhetsområde' })
    .max(4, { error: 'Välj högst fyra verksamhetsområden' })
    .optional(),
});

export type Kategori = 'nyrapportering' | 'aterrapportering' | 'slutrapportering';
const KATEGORI_ORDER: Kategori[] = ['nyrapportering', 'aterrapportering', 'slutrapportering'];

/**
 * A line's group: a new report stays a nyrapportering even when the episode ended within the
 * quarter (seed 003: "both as not executed and executed"); a later report with an ended status is
 * the slutrapportering. By the law's schedule (`kategori`), or by the report type sent
 * (`sendKategori`): a line the schedule calls an återrapportering or a slutrapportering goes as a
 * nyrapportering while no earlier filing of its episode is recorded.
 */
function kategoriOf(report: 'ny' | 'ater', status: ReportLine['status']): Kategori {
  if (report === 'ny') return 'nyrapportering';
  return status === 'ej_verkstalld' ? 'aterrapportering' : 'slutrapportering';
}

/**
 * One line as the quarter view shows it (reports.get answers the same shape). `line` is the line
 * as the law's schedule gives it (its `report`); `reportType`, when given, says what is sent
 * (`send`, and `sendNotice` when that differs); without it the schedule's type is taken as sent.
 * `unhandledMessages` counts the rapportör messages about the line (the domain's lineMessages, due
 * up to today) that nobody has handled; filing the line handles them. `filedHow` says how this
 * quarter's filing came into evb: marked as filed in evb, recorded afterwards, or imported.
 * `voidedSince` (quarter.lines and reports.get give it): the note of services/voiding.ts when the
 * filed report used events voided since, else null.
 */
export function quarterLineView(
  d: ReportingDecision,
  line: ReportLine,
  filing: { filedOn: string; recorded?: FilingRecorded } | undefined,
  unhandledMessages: number,
  reportType?: ReportTypeToSend,
  voidedSince?: string | null,
) {
  const send = reportType?.send ?? line.report;
  return {
    /** The line's group by the law's schedule. */
    kategori: kategoriOf(line.report, line.status),
    /** The line's group by the report type sent: the to-do view's tables. */
    sendKategori: kategoriOf(send, line.status),
    decisionId: d.id,
    person: {
      ivoId: d.personIvoId,
      namn: `${d.personFornamn} ${d.personEfternamn}`,
      skyddadIdentitet: d.personSkyddadIdentitet,
    },
    insats: d.insats,
    insatsLabel: findInsats(d.insats)?.label ?? d.insats,
    verksamhetsomrade: d.verksamhetsomrade,
    forhandsbesked: d.forhandsbesked,
    episode: { kind: line.episode.kind, start: line.episode.start },
    /** What the law's schedule calls the line. */
    report: line.report,
    /** The report type sent in the e-tjänst. */
    send,
    /** Why `send` differs from `report` (Swedish), else null. */
    sendNotice: reportType?.notice ?? null,
    /** The earlier quarters (`2026-Q2`) in which the episode had a line and no filing is recorded. */
    unrecordedEarlier: (reportType?.unrecordedEarlier ?? []).map(quarterKey),
    status: line.status,
    statusDate: line.statusDate ?? null,
    overdueFrom: line.overdueFrom,
    daysWaited: line.daysWaited,
    filed: filing !== undefined,
    filedOn: filing?.filedOn ?? null,
    filedHow: filing ? (filing.recorded ?? 'evb') : null,
    /**
     * When the line is filed and its filed report used events voided (makulerade) since: a
     * Swedish note naming them (the filed copy stands; a correction may go in the next report).
     * Null when not; absent when not looked for.
     */
    ...(voidedSince !== undefined
      ? { filedVoidedSince: filing !== undefined ? voidedSince : null }
      : {}),
    unhandledMessages,
  };
}

export type QuarterLineView = ReturnType<typeof quarterLineView>;

/**
 * The decisions in scope that can have a line in the quarter: those that may have an episode
 * overdue on some day of it (see data/reporting.ts). The domain decides the lines.
 */
export function quarterSelection(scope: DecisionScope, q: Quarter): ReportingSelection {
  const { start, end } = quarterBounds(q);
  return { scope, overdueDuring: { from: start, to: end } };
}

/** Which areas to read: those asked for (each must be the caller's), else all of theirs. */
function areasToRead(own: string[] | null, asked: readonly string[] | undefined): string[] | null {
  if (!asked) return own;
  const foreign = asked.filter((a) => own !== null && !own.includes(a));
  if (foreign.length > 0) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `Du rapporterar inte för ${foreign.map((a) => verksamhetsomradeLabel(a as Verksamhetsomrade)).join(', ')} i den nämnden.`,
    });
  }
  return [...new Set(asked)].sort();
}

const lineKeyOf = (decisionId: string, episodeStart: string) => `${decisionId}|${episodeStart}`;

/** Decisions whose lines are built in one turn of the event loop: a few milliseconds of work. */
const DECISIONS_PER_TURN = 250;

/**
 * The quarter's lines for the caller: 403 unless they report for the nämnd (and for each area
 * asked for). Each line with its filing, the report type sent (from the episode's filings in
 * earlier quarters) and its unhandled messages, ordered by group, then by the first overdue day.
 */
async function readLines(ctx: ReportingContext, input: z.infer<typeof LinesInput>) {
  const role = reportingRoleIn(ctx.user, input.namndId);
  if (!role) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
  }
  const areas = areasToRead(reportingAreasIn(ctx.user, input.namndId), input.verksamhetsomraden);
  const today = ctx.today();
  const q: Quarter = input.quarter ?? defaultReportQuarter(today);
  const key = quarterKey(q);
  const scope: DecisionScope = {
    enhetIds: [],
    handlaggareId: null,
    namndAreas: (areas ?? [null]).map((verksamhetsomrade) => ({
      namndId: input.namndId,
      verksamhetsomrade,
    })),
  };
  const { decisions, timelines, filings, handledKeys } = await quarterReadings(
    ctx.db,
    ctx.databaseKind,
    quarterSelection(scope, q),
    key,
  );
  // The filed lines of decisions with a voiding: one of them may no longer be in the timeline.
  const filedOfVoided = await filedLinesOfVoidedDecisions(ctx.db, scope, key);
  const filed = new Map<string, ReportingFiling>();
  const filedQuarters = new Map<string, Quarter[]>();
  for (const f of filings) {
    const lineKey = lineKeyOf(f.decisionId, f.episodeStart);
    if (f.quarter === key) filed.set(lineKey, f);
    const filedIn = parseQuarterKey(f.quarter);
    if (!filedIn) continue;
    const quarters = filedQuarters.get(lineKey);
    if (quarters) quarters.push(filedIn);
    else filedQuarters.set(lineKey, [filedIn]);
  }
  // The filed lines whose report used events voided since: one statement, which only decisions
  // with a voiding answer.
  const voidedSince = await filedLinesVoidedSince(ctx.db, input.namndId, q, [
    ...filed.values(),
    ...filedOfVoided.map((f) => ({ decisionId: f.id, episodeStart: f.episodeStart })),
  ]);
  // The lines of a few thousand decisions take a tenth of a second or more: other requests get in
  // between (on the embedded database, the read above held them already).
  const lines = await flatMapInTurns(decisions, DECISIONS_PER_TURN, (d) => {
    const decision = toDomainDecision(d);
    return quarterReport(decision, timelines.get(d.id) ?? ([] as CaseEvent[]), q).map((line) => {
      const lineKey = lineKeyOf(d.id, line.episode.start);
      return quarterLineView(
        d,
        line,
        filed.get(lineKey),
        lineMessageKeys(decision, line, q, today).filter((k) => !handledKeys.has(k)).length,
        reportTypeToSend({ line, quarter: q, filedQuarters: filedQuarters.get(lineKey) ?? [] }),
        voidedSince.get(lineKey) ?? null,
      );
    });
  });
  lines.push(...(await filedLinesGone(ctx, q, today, lines, filedOfVoided, voidedSince)));
  lines.sort(
    (a, b) =>
      KATEGORI_ORDER.indexOf(a.kategori) - KATEGORI_ORDER.indexOf(b.kategori) ||
      a.overdueFrom.localeCompare(b.overdueFrom) ||
      a.decisionId.localeCompare(b.decisionId) ||
      a.episode.start.localeCompare(b.episode.start),
  );
  return { role, areas, scope, q, key, today, lines };
}

/**
 * The filed lines whose episode the decision's timeline no longer has (an avbrott voided after its
 * line was filed, which ends the episode or moves its start), as reports.get reads them: the line
 * that was filed (services/individrapport.ts `filedLine`), so the filed report stays listed and can
 * be opened. `candidates` are the quarter's filed lines of decisions with a voiding; those the
 * timeline still has are among `shown`. Rare, so each is read on its own.
 */
async function filedLinesGone(
  ctx: ReportingContext,
  q: Quarter,
  today: string,
  shown: readonly QuarterLineView[],
  candidates: readonly (ReportingDecision & { episodeStart: string })[],
  voidedSince: ReadonlyMap<string, string>,
): Promise<QuarterLineView[]> {
  const inTimeline = new Set(shown.map((l) => lineKeyOf(l.decisionId, l.episode.start)));
  const gone = candidates.filter((c) => !inTimeline.has(lineKeyOf(c.id, c.episodeStart)));
  if (gone.length === 0) return [];
  const key = quarterKey(q);
  const handled = new Set(
    (await handledMessagesOf(ctx.db, [...new Set(gone.map((g) => g.id))])).map((h) => h.messageKey),
  );
  const views: QuarterLineView[] = [];
  for (const d of gone) {
    const { current, filedQuarters } = episodeFilings(
      await filingsOfEpisode(ctx.db, d.id, d.episodeStart),
      key,
    );
    if (!current) continue;
    const line = filedLine(current, d.beslutsdatum, q);
    views.push(
      quarterLineView(
        d,
        line,
        current,
        lineMessageKeys(toDomainDecision(d), line, q, today).filter((k) => !handled.has(k)).length,
        reportTypeToSend({ line, quarter: q, filedQuarters }),
        voidedSince.get(lineKeyOf(d.id, d.episodeStart)) ?? null,
      ),
    );
  }
  return views;
}

/** What the reads take of a signed-in reporter's request. */
type ReportingContext = Pick<Context, 'db' | 'databaseKind' | 'today'> & { user: AuthUser };

/** How many reporting periods before the one shown the notice of unfiled lines looks back. */
export const EARLIER_PERIODS = 8;

export type EarlierPeriod = {
  quarter: Quarter;
  quarterKey: string;
  /** Lines of the period with no filing recorded, for it or for a later period of the episode. */
  unfiled: number;
  /** Of those, the ones that can still be filed today (slutrapporteringar, an open window). */
  fileableToday: number;
};

/**
 * The periods before `q` (back EARLIER_PERIODS) that still have unfiled lines, newest first. A
 * line counts while no filing of its episode is recorded for its period or a later one: once a
 * later report of the episode is recorded, IVO has the case and the gap is history.
 */
async function earlierPeriods(
  ctx: ReportingContext,
  scope: DecisionScope,
  q: Quarter,
  today: string,
): Promise<EarlierPeriod[]> {
  const first = addQuarters(q, -EARLIER_PERIODS);
  const last = addQuarters(q, -1);
  const { decisions, timelines, filings } = await earlierPeriodReadings(
    ctx.db,
    ctx.databaseKind,
    {
      scope,
      overdueDuring: { from: quarterBounds(first).start, to: quarterBounds(last).end },
    },
    quarterKey(first),
  );
  // The latest quarter with a filing, per episode.
  const lastFiled = new Map<string, string>();
  for (const f of filings) {
    const lineKey = lineKeyOf(f.decisionId, f.episodeStart);
    const latest = lastFiled.get(lineKey);
    if (latest === undefined || f.quarter > latest) lastFiled.set(lineKey, f.quarter);
  }
  const periods: EarlierPeriod[] = [];
  for (let back = 1; back <= EARLIER_PERIODS; back++) {
    const period = addQuarters(q, -back);
    const periodKey = quarterKey(period);
    let unfiled = 0;
    let fileableToday = 0;
    for (const d of decisions) {
      const timeline = timelines.get(d.id) ?? ([] as CaseEvent[]);
      for (const line of quarterReport(toDomainDecision(d), timeline, period)) {
        const latest = lastFiled.get(lineKeyOf(d.id, line.episode.start));
        if (latest !== undefined && latest >= periodKey) continue;
        unfiled++;
        if (filingCheck({ line, quarter: period, filedOn: today, today }).ok) fileableToday++;
      }
    }
    if (unfiled > 0)
      periods.push({ quarter: period, quarterKey: periodKey, unfiled, fileableToday });
  }
  return periods;
}

export const quarterRouter = router({
  /**
   * The individrapporter of a reporting period: { namndId, quarter, verksamhetsomraden? } → the
   * period's window, the caller's areas, the counts per group and every line (QuarterLineView):
   * the report type sent, filed and how, unhandled messages. Rapportör or huvudrapportör of the
   * nämnd (else 403). Audited as `kvartal_last` with the number of lines.
   */
  lines: roleProcedure('rapportor', 'huvudrapportor')
    .input(LinesInput)
    .query(async ({ ctx, input }) => {
      const { role, areas, q, key, today, lines } = await readLines(ctx, input);
      const counts = Object.fromEntries(
        KATEGORI_ORDER.map((k) => [k, lines.filter((l) => l.kategori === k).length]),
      ) as Record<Kategori, number>;
      await insertAudit(ctx.db, {
        userId: ctx.user.id,
        role,
        action: 'kvartal_last',
        subjectType: 'kvartal',
        subjectId: key,
        namndId: input.namndId,
        details: { verksamhetsomraden: areas, rader: lines.length },
      });
      return {
        namndId: input.namndId,
        quarter: q,
        quarterKey: key,
        referenceDate: quarterBounds(q).end,
        window: reportingWindow(q),
        /** Set when the window closes within a week and lines that must be filed in it are not. */
        windowWarning: windowClosingWarning(
          q,
          today,
          lines.filter((l) => !l.filed && isWindowBound(l)).length,
        ),
        verksamhetsomraden: areas,
        counts,
        lines,
      };
    }),

  /**
   * What is left to do in a reporting period, which takes building every unfiled line's
   * individrapport (so the view asks for it beside `lines`, not in it): { namndId, quarter,
   * verksamhetsomraden? } → per unfiled line its findings (what validation finds in the report as
   * it would be filed now) and whether it can be filed today (no findings, and the filing rule
   * allows today), and the earlier periods (back EARLIER_PERIODS) that still have unfiled lines.
   * Who: as `lines`. Audited as `kvartal_att_gora_last` with counts only.
   */
  todo: roleProcedure('rapportor', 'huvudrapportor')
    .input(LinesInput)
    .query(async ({ ctx, input }) => {
      const { role, areas, scope, q, key, today, lines } = await readLines(ctx, input);
      const unfiled = lines.filter((l) => !l.filed);
      const [reports, earlier] = await Promise.all([
        buildQuarterReports(ctx.db, {
          scope,
          quarter: q,
          lines: unfiled.map((l) => ({ decisionId: l.decisionId, episodeStart: l.episode.start })),
          rapportor: ctx.user.displayName,
          // The lines are read again when they change; a line gone meanwhile is not counted.
          ifChanged: 'skip',
        }),
        earlierPeriods(ctx, scope, q, today),
      ]);
      const todo = reports.map((r) => ({
        decisionId: r.row.id,
        episodeStart: r.line.episode.start,
        findings: r.current.findings.length,
        canFileToday:
          r.current.findings.length === 0 &&
          filingCheck({ line: r.line, quarter: q, filedOn: today, today }).ok,
      }));
      await insertAudit(ctx.db, {
        userId: ctx.user.id,
        role,
        action: 'kvartal_att_gora_last',
        subjectType: 'kvartal',
        subjectId: key,
        namndId: input.namndId,
        details: {
          verksamhetsomraden: areas,
          rader: todo.length,
          medFel: todo.filter((l) => l.findings > 0).length,
          tidigarePerioder: earlier.map((p) => p.quarterKey),
        },
      });
      return { quarterKey: key, lines: todo, earlier };
    }),
});
