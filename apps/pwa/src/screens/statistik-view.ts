import { type Quarter, quarterKey } from '@evb/domain';
import type { RouterOutputs } from '../api/client';

/*
 * What the statistics screen shows apart from the markup: the PDF's address, the Swedish count
 * format, and the geometry of the eight-quarter trend chart (stacked bars: decisions below,
 * interruptions above).
 */

export type StatisticsReport = RouterOutputs['statistics']['quarter'];
export type TrendPoint = StatisticsReport['trend'][number];

/** The PDF of the report, served by the server behind the same session as the screen. */
export function statisticsPdfHref(namndId: string, quarter: Quarter): string {
  const query = new URLSearchParams({ namndId, quarter: quarterKey(quarter) });
  return `/api/export/statistik.pdf?${query.toString()}`;
}

const NUMBER = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });

/** A count the Swedish way: "1 234". */
export function formatCount(n: number): string {
  return NUMBER.format(n);
}

/** "K3 2026": the short label under a bar. */
export function shortQuarter(q: Quarter): string {
  return `K${q.quarter} ${q.year}`;
}

export type ChartBar = {
  key: string;
  label: string;
  x: number;
  width: number;
  /** Top of the decisions' part and its height; the interruptions' part sits on top of it. */
  beslutY: number;
  beslutHeight: number;
  avbrottY: number;
  avbrottHeight: number;
  total: number;
  /** Where the total is written, just above the bar. */
  labelY: number;
};

export type ChartGeometry = {
  width: number;
  height: number;
  baseline: number;
  /** The scale's top value (at least 1, so an empty trend still draws an axis). */
  max: number;
  top: number;
  bars: ChartBar[];
};

/**
 * Bars for the trend in a `width` × `height` box: room at the top for the totals and at the
 * bottom for the quarter labels; heights proportional to the counts, the tallest reaching `top`.
 */
export function trendChart(trend: readonly TrendPoint[], width = 640, height = 260): ChartGeometry {
  const top = 24;
  const baseline = height - 40;
  const left = 8;
  const plot = width - 2 * left;
  const slot = trend.length > 0 ? plot / trend.length : plot;
  const barWidth = Math.min(48, slot * 0.6);
  const max = Math.max(1, ...trend.map((t) => t.total.total.total));
  const scale = (baseline - top) / max;
  const bars = trend.map((t, i) => {
    const beslutHeight = t.total.beslut.total * scale;
    const avbrottHeight = t.total.avbrott.total * scale;
    const x = left + slot * i + (slot - barWidth) / 2;
    const beslutY = baseline - beslutHeight;
    const avbrottY = beslutY - avbrottHeight;
    return {
      key: t.quarterKey,
      label: shortQuarter(t.quarter),
      x,
      width: barWidth,
      beslutY,
      beslutHeight,
      avbrottY,
      avbrottHeight,
      total: t.total.total.total,
      labelY: avbrottY - 6,
    };
  });
  return { width, height, baseline, max, top, bars };
}

/** The chart's description for a screen reader: the trend in words, oldest first. */
export function trendDescription(trend: readonly TrendPoint[]): string {
  if (trend.length === 0) return 'Inga kvartal att visa.';
  return trend
    .map(
      (t) =>
        `${shortQuarter(t.quarter)}: ${formatCount(t.total.total.total)} (${formatCount(t.total.beslut.total)} beslut, ${formatCount(t.total.avbrott.total)} avbrott)`,
    )
    .join('; ');
}
