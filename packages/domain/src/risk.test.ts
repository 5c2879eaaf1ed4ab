import { describe, expect, it } from 'vitest';
import {
  avgiftFristReference,
  compareOverdueWaits,
  formatKronor,
  LEGAL_REFERENCES,
  latestReason,
  overdueWaitOn,
  postponedWithinLov,
  type Skal,
  sarskildAvgiftDeadline,
  UPPSKOV_LOV_ORSAK,
} from './index';
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
      avgiftDeadline: '2028-02-03',
      avgiftDeadlinePassed: false,
      uppskovLov: null,
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
      // Two years from the interruption, not from the decision.
      avgiftDeadline: '2028-01-20',
      avgiftDeadlinePassed: false,
      uppskovLov: null,
    });
  });

  it('says when the last day to serve the fee application has passed: the day after it', () => {
    const d = decision('2024-03-15');
    expect(overdueWaitOn(d, [], '2026-03-15')).toMatchObject({
      avgiftDeadline: '2026-03-15',
      avgiftDeadlinePassed: false,
      avgift: { min: 10_000, max: 1_000_000 },
    });
    expect(overdueWaitOn(d, [], '2026-03-16')).toMatchObject({
      avgiftDeadline: '2026-03-15',
      avgiftDeadlinePassed: true,
    });
  });

  it('gives no fee range for a SoL wait the person asked to postpone within LOV, and says why', () => {
    const d = decision('2025-09-01', { lagrum: 'SoL', insats: 'SOL_HEMTJANST' });
    const lov = ev({
      type: 'skal',
      date: '2025-10-01',
      skal: 'hos_den_enskilde',
      orsak: UPPSKOV_LOV_ORSAK,
    });
    const wait = overdueWaitOn(d, [lov], '2026-01-10');
    expect(wait).toMatchObject({ daysWaited: 131, avgift: null, avgiftDeadline: '2027-09-01' });
    expect(wait?.uppskovLov?.citation).toBe('34 kap. 6 § socialtjänstlagen (2025:400)');
  });
});

describe('sarskildAvgiftDeadline', () => {
  it('is two years from the decision for a wait that began with it', () => {
    const d = decision('2026-01-15');
    expect(sarskildAvgiftDeadline(d, { kind: 'beslut', start: '2026-01-15' })).toBe('2028-01-15');
  });

  it('is two years from the interruption for a wait that began with one', () => {
    const d = decision('2024-05-02');
    expect(sarskildAvgiftDeadline(d, { kind: 'avbrott', start: '2025-11-30' })).toBe('2027-11-30');
  });

  it('ends on 28 February two years after a 29 February', () => {
    const d = decision('2024-02-29');
    expect(sarskildAvgiftDeadline(d, { kind: 'beslut', start: '2024-02-29' })).toBe('2026-02-28');
  });

  it('cites SoL 34 kap. 10 § and LSS 28 c § from the law table', () => {
    expect(avgiftFristReference('SoL', '2026-06-30')?.citation).toBe(
      '34 kap. 10 § socialtjänstlagen (2025:400)',
    );
    expect(avgiftFristReference('LSS', '2026-06-30')?.citation).toBe('28 c § LSS');
    const keys = LEGAL_REFERENCES.map((r) => r.key);
    expect(keys).toContain('SOL_AVGIFT_FRIST');
    expect(keys).toContain('LSS_AVGIFT_FRIST');
  });
});

describe('postponedWithinLov', () => {
  const sol = decision('2025-09-01', { lagrum: 'SoL', insats: 'SOL_HEMTJANST' });
  const open = { start: '2025-09-01' };
  const skal = (date: string, orsak: string, s: Skal = 'hos_den_enskilde') =>
    ev({ type: 'skal', date, skal: s, orsak });

  it('holds when the latest reason of the open wait is the LOV postponement', () => {
    const events = [
      skal('2025-09-20', 'brist_plats', 'hos_kommunen'),
      skal('2025-10-01', 'uppskov_lov'),
    ];
    expect(postponedWithinLov(sol, open, events, '2026-01-10')?.key).toBe('SOL_UPPSKOV_LOV');
  });

  it('ends when a later reason is logged, and ignores reasons after the day', () => {
    const lov = skal('2025-10-01', 'uppskov_lov');
    const later = skal('2025-12-01', 'sjukdom');
    expect(postponedWithinLov(sol, open, [lov, later], '2026-01-10')).toBeNull();
    expect(postponedWithinLov(sol, open, [lov, later], '2025-11-30')?.key).toBe('SOL_UPPSKOV_LOV');
    // A refusal is a reason too (skäl: tackat nej).
    const refusal = ev({
      type: 'tackat_nej',
      date: '2025-12-05',
      erbjudandedatum: '2025-12-01',
      orsak: 'geografiskt_lage',
    });
    expect(postponedWithinLov(sol, open, [lov, refusal], '2026-01-10')).toBeNull();
  });

  it('does not carry a postponement from an earlier wait into an interruption', () => {
    const events = [
      skal('2025-09-10', 'uppskov_lov'),
      ev({ type: 'verkstalld', date: '2025-10-01' }),
      ev({ type: 'avbrott', date: '2025-11-01' }),
    ];
    expect(postponedWithinLov(sol, { start: '2025-11-01' }, events, '2026-03-01')).toBeNull();
    expect(overdueWaitOn(sol, events, '2026-03-01')).toMatchObject({
      episode: { kind: 'avbrott', start: '2025-11-01' },
      uppskovLov: null,
      avgift: { min: 10_000, max: 1_000_000 },
    });
  });

  it('is not the LOV exception for an LSS decision, which keeps its fee range', () => {
    const lss = decision('2025-09-01');
    const events = [skal('2025-10-01', 'uppskov_lov')];
    expect(postponedWithinLov(lss, open, events, '2026-01-10')).toBeNull();
    expect(overdueWaitOn(lss, events, '2026-01-10')?.avgift).toEqual({
      min: 10_000,
      max: 1_000_000,
    });
  });

  it('takes the latest reason by date, then by when it was recorded', () => {
    const a = { ...skal('2025-10-01', 'uppskov_lov'), recordedAt: '2025-10-01T10:00:00.000Z' };
    const b = { ...skal('2025-10-01', 'sjukdom'), recordedAt: '2025-10-01T09:00:00.000Z' };
    expect(latestReason(open, [a, b], '2026-01-10')?.id).toBe(a.id);
    expect(postponedWithinLov(sol, open, [b, a], '2026-01-10')?.key).toBe('SOL_UPPSKOV_LOV');
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
