import { describe, expect, it } from 'vitest';
import { compareOverdueWaits, formatKronor, overdueWaitOn } from './index';
import { decision, ev } from './testing/fixtures';

describe('overdueWaitOn', () => {
  it('is null until the three months have passed, then counts the days from the decision', () => {
    const d = decision('2026-02-03');
    expect(overdueWaitOn(d, [], '2026-05-03')).toBeNull();
    expect(overdueWaitOn(d, [], '2026-05-04')).toEqual({
      episode: { kind: 'beslut', start: '2026-02-03' },
      overdueFrom: '2026-05-04',
      daysWaited: 90,
      vantetid: '3_6',
      avgift: { min: 15_000, max: 1_500_000 },
    });
  });

  it('gives the fee range of the decision’s date: 10 000–1 000 000 kr before 2026', () => {
    expect(overdueWaitOn(decision('2025-12-31'), [], '2026-06-01')?.avgift).toEqual({
      min: 10_000,
      max: 1_000_000,
    });
    expect(overdueWaitOn(decision('2026-01-01'), [], '2026-06-01')?.avgift).toEqual({
      min: 15_000,
      max: 1_500_000,
    });
  });

  it('is null once executed or closed, and ignores events after the day', () => {
    const d = decision('2025-01-10');
    const executed = [ev({ type: 'verkstalld', date: '2025-09-01' })];
    expect(overdueWaitOn(d, executed, '2025-10-01')).toBeNull();
    expect(overdueWaitOn(d, executed, '2025-08-31')).toMatchObject({ daysWaited: 233 });
    const closed = [ev({ type: 'avslutad', date: '2025-06-01', anledning: 'behov_upphort' })];
    expect(overdueWaitOn(d, closed, '2025-07-01')).toBeNull();
    expect(overdueWaitOn(d, [], '2025-01-01')).toBeNull();
  });

  it('counts an interruption from its own day, with the fee range of the decision’s date', () => {
    const d = decision('2025-03-01');
    const events = [
      ev({ type: 'verkstalld', date: '2025-04-01' }),
      ev({ type: 'avbrott', date: '2026-01-20' }),
    ];
    expect(overdueWaitOn(d, events, '2026-04-20')).toBeNull();
    expect(overdueWaitOn(d, events, '2026-04-21')).toEqual({
      episode: { kind: 'avbrott', start: '2026-01-20' },
      overdueFrom: '2026-04-21',
      daysWaited: 91,
      vantetid: '3_6',
      avgift: { min: 10_000, max: 1_000_000 },
    });
  });
});

describe('compareOverdueWaits', () => {
  it('puts the longest wait first, then the older decision, then by id', () => {
    const rows = [
      { decisionId: 'c', daysWaited: 100, beslutsdatum: '2026-01-01' },
      { decisionId: 'b', daysWaited: 400, beslutsdatum: '2025-01-01' },
      { decisionId: 'a', daysWaited: 100, beslutsdatum: '2026-01-01' },
      { decisionId: 'd', daysWaited: 100, beslutsdatum: '2025-06-01' },
    ];
    expect(rows.sort(compareOverdueWaits).map((r) => r.decisionId)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('formatKronor', () => {
  it('writes kronor the Swedish way, with spaces that do not break', () => {
    expect(formatKronor(1_500_000)).toBe('1\u00a0500\u00a0000\u00a0kr');
    expect(formatKronor(15_000)).toBe('15\u00a0000\u00a0kr');
  });
});
