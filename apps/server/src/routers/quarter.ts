import {
  type CaseEvent,
  findInsats,
  isWindowBound,
  lineMessageKeys,
  type Quarter,
  quarterBounds,
  quarterKey,
  quarterReport,
  type ReportLine,
  reportingWindow,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
  windowClosingWarning,
} from '@evb/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { DecisionScope } from '../access/scope';
import { insertAudit } from '../data/audit';
import {
  quarterReadings,
  type ReportingDecision,
  type ReportingSelection,
} from '../data/reporting';
import { toDomainDecision } from '../services/case-events';
import {
  reportingAreasIn,
  reportingRoleIn,
  VerksamhetsomradeSchema,
} from '../services/role-grants';
import { roleProcedure, router } from '../trpc/init';

/*
 * The lines of a quarter for a nämnd, as the domain's `quarterReport` builds them from every
 * decision the rapportör reports, with whether each line has been filed with IVO, and the quarter's
 * reporting window.
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
  quarter: QuarterSchema,
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
 * A new report stays a nyrapportering even when the episode ended within the quarter (seed 003:
 * "both as not executed and executed"); a later report with an ended status is the
 * slutrapportering.
 */
function kategoriOf(line: ReportLine): Kategori {
  if (line.report === 'ny') return 'nyrapportering';
  return line.status === 'ej_verkstalld' ? 'aterrapportering' : 'slutrapportering';
}

/**
 * One line as the quarter view shows it (reports.get answers the same shape). `unhandledMessages`
 * counts the rapportör messages about the line (the domain's lineMessages, due up to today) that
 * nobody has handled; filing the line handles them.
 */
export function quarterLineView(
  d: ReportingDecision,
  line: ReportLine,
  filing: { filedOn: string } | undefined,
  unhandledMessages: number,
) {
  return {
    kategori: kategoriOf(line),
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
    report: line.report,
    status: line.status,
    statusDate: line.statusDate ?? null,
    overdueFrom: line.overdueFrom,
    daysWaited: line.daysWaited,
    filed: filing !== undefined,
    filedOn: filing?.filedOn ?? null,
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

export const quarterRouter = router({
  lines: roleProcedure('rapportor', 'huvudrapportor')
    .input(LinesInput)
    .query(async ({ ctx, input }) => {
      const role = reportingRoleIn(ctx.user, input.namndId);
      if (!role) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'Du rapporterar inte för den nämnden.' });
      }
      const areas = areasToRead(
        reportingAreasIn(ctx.user, input.namndId),
        input.verksamhetsomraden,
      );
      const q: Quarter = input.quarter;
      const { end } = quarterBounds(q);
      const key = quarterKey(q);
      const scope: DecisionScope = {
        enhetIds: [],
        handlaggareId: null,
        namndAreas: (areas ?? [null]).map((verksamhetsomrade) => ({
          namndId: input.namndId,
          verksamhetsomrade,
        })),
      };
      const selection = quarterSelection(scope, q);
      const { decisions, timelines, filings, handledKeys } = await quarterReadings(
        ctx.db,
        ctx.databaseKind,
        selection,
        key,
      );
      const filed = new Map(filings.map((f) => [`${f.decisionId}|${f.episodeStart}`, f]));
      const today = ctx.today();
      const lines = decisions.flatMap((d) => {
        const decision = toDomainDecision(d);
        return quarterReport(decision, timelines.get(d.id) ?? ([] as CaseEvent[]), q).map((line) =>
          quarterLineView(
            d,
            line,
            filed.get(`${d.id}|${line.episode.start}`),
            lineMessageKeys(decision, line, q, today).filter((k) => !handledKeys.has(k)).length,
          ),
        );
      });
      lines.sort(
        (a, b) =>
          KATEGORI_ORDER.indexOf(a.kategori) - KATEGORI_ORDER.indexOf(b.kategori) ||
          a.overdueFrom.localeCompare(b.overdueFrom) ||
          a.decisionId.localeCompare(b.decisionId) ||
          a.episode.start.localeCompare(b.episode.start),
      );
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
        referenceDate: end,
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
});
