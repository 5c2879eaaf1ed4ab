import { describe, expect, it } from 'vitest';
import {
  formatCount,
  statisticsPdfHref,
  type TrendPoint,
  trendChart,
  trendDescription,
} from './statistik-view';

const point = (
  year: number,
  quarter: 1 | 2 | 3 | 4,
  beslut: number,
  avbrott: number,
): TrendPoint => ({
  quarter: { year, quarter },
  quarterKey: `${year}-Q${quarter}`,
  referenceDate: '2026-03-31',
  total: {
    beslut: { kvinna: beslut, man: 0, total: beslut },
    avbrott: { kvinna: 0, man: avbrott, total: avbrott },
    total: { kvinna: beslut, man: avbrott, total: beslut + avbrott },
  },
});

describe('trendChart', () => {
  it('stacks interruptions on decisions, the tallest bar reaching the top', () => {
    const chart = trendChart([point(2025, 4, 10, 0), point(2026, 1, 15, 5)], 400, 200);
    const [first, second] = chart.bars;
    expect(chart.max).toBe(20);
    expect(second!.avbrottY).toBeCloseTo(chart.top);
    expect(second!.beslutY + second!.beslutHeight).toBeCloseTo(chart.baseline);
    expect(second!.avbrottY + second!.avbrottHeight).toBeCloseTo(second!.beslutY);
    expect(second!.beslutHeight).toBeCloseTo(3 * second!.avbrottHeight);
    expect(first!.beslutHeight).toBeCloseTo((2 / 3) * second!.beslutHeight);
    expect(first!.avbrottHeight).toBe(0);
    expect(first!.x + first!.width).toBeLessThan(second!.x);
    expect(second!.x + second!.width).toBeLessThanOrEqual(400);
    expect(chart.bars.map((b) => [b.label, b.total])).toEqual([
      ['K4 2025', 10],
      ['K1 2026', 20],
    ]);
  });

  it('draws no bar when nothing waited, without dividing by zero', () => {
    const chart = trendChart([point(2026, 1, 0, 0)]);
    expect(chart.max).toBe(1);
    expect(chart.bars[0]).toMatchObject({ beslutHeight: 0, avbrottHeight: 0, total: 0 });
    expect(Number.isFinite(chart.bars[0]!.labelY)).toBe(true);
  });
});

describe('the statistics texts', () => {
  it('describes the trend in words for a screen reader, oldest first', () => {
    expect(trendDescription([point(2025, 4, 10, 0), point(2026, 1, 1200, 34)])).toBe(
      'K4 2025: 10 (10 beslut, 0 avbrott); K1 2026: 1\u00a0234 (1\u00a0200 beslut, 34 avbrott)',
    );
    expect(formatCount(1234)).toBe('1\u00a0234');
  });

  it('links the PDF of the nämnd and quarter, the id escaped', () => {
    expect(statisticsPdfHref('n vård&x', { year: 2026, quarter: 2 })).toBe(
      '/api/export/statistik.pdf?namndId=n+v%C3%A5rd%26x&quarter=2026-Q2',
    );
  });
});
