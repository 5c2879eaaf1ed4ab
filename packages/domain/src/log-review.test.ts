import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_LABELS,
  auditActionLabel,
  EVENT_TYPES_BY_ROLE,
  isReviewableMonth,
  LOG_REVIEW_SAMPLE_SIZE,
  loggableEventTypes,
  loggranskareNamnder,
  logReviewCounts,
  logReviewUnfinished,
  monthBounds,
  OWN_DEADLINE_KINDS,
  parseMonthKey,
  ROLE_LABELS,
  ROLES,
} from './index';

describe('the loggranskare role', () => {
  it('is a role of its own, named Loggranskare, that logs nothing on any decision', () => {
    expect(ROLES).toContain('loggranskare');
    expect(ROLE_LABELS.loggranskare).toBe('Loggranskare');
    expect(EVENT_TYPES_BY_ROLE.loggranskare).toEqual([]);
    expect(OWN_DEADLINE_KINDS.loggranskare).toEqual([]);
    const decision = {
      enhetId: 'e1',
      handlaggareId: 'h1',
      namndId: 'n1',
      verksamhetsomrade: 'LSS',
    };
    const user = {
      id: 'g1',
      roles: [
        { role: 'loggranskare' as const, namndId: 'n1', enhetId: null, verksamhetsomrade: null },
      ],
    };
    expect(loggableEventTypes(user, decision).size).toBe(0);
  });

  it('reviews the log of the nämnder it is granted for, and of no other', () => {
    expect(
      loggranskareNamnder([
        { role: 'loggranskare', namndId: 'n2', enhetId: null, verksamhetsomrade: null },
        { role: 'rapportor', namndId: 'n3', enhetId: null, verksamhetsomrade: null },
        { role: 'loggranskare', namndId: 'n1', enhetId: null, verksamhetsomrade: null },
        { role: 'loggranskare', namndId: 'n2', enhetId: null, verksamhetsomrade: null },
      ]),
    ).toEqual(['n1', 'n2']);
    expect(
      loggranskareNamnder([
        { role: 'admin', namndId: null, enhetId: null, verksamhetsomrade: null },
      ]),
    ).toEqual([]);
  });
});

describe('months of the review', () => {
  it('reads YYYY-MM and nothing else', () => {
    expect(parseMonthKey('2026-11')).toEqual({ year: 2026, month: 11 });
    for (const bad of [
      '2026-13',
      '2026-00',
      '2026-1',
      '26-11',
      '2026-11-01',
      ' 2026-11',
      '1999-12',
    ]) {
      expect(parseMonthKey(bad), bad).toBeNull();
    }
  });

  it('bounds a month by its first day and the next month’s, over a year end', () => {
    expect(monthBounds('2026-02')).toEqual({ first: '2026-02-01', next: '2026-03-01' });
    expect(monthBounds('2026-12')).toEqual({ first: '2026-12-01', next: '2027-01-01' });
  });

  it('reviews a month that has begun, not one to come', () => {
    expect(isReviewableMonth('2026-11', '2026-12-07')).toBe(true);
    expect(isReviewableMonth('2026-12', '2026-12-07')).toBe(true);
    expect(isReviewableMonth('2027-01', '2026-12-07')).toBe(false);
    expect(isReviewableMonth('2026-1', '2026-12-07')).toBe(false);
  });

  it('samples 1–1000 accesses, 50 unless configured', () => {
    expect(LOG_REVIEW_SAMPLE_SIZE).toEqual({ min: 1, max: 1000, default: 50 });
  });
});

describe('finishing a review', () => {
  it('counts the verdicts', () => {
    expect(
      logReviewCounts([
        { verdict: 'motiverad' },
        { verdict: 'folj_upp' },
        { verdict: null },
        { verdict: 'motiverad' },
      ]),
    ).toEqual({ urval: 4, motiverade: 2, foljUpp: 1, obedomda: 1 });
  });

  it('needs a verdict on every access, and a comment on each to follow up', () => {
    expect(
      logReviewUnfinished([
        { verdict: 'motiverad', comment: null },
        { verdict: null, comment: null },
        { verdict: null, comment: 'x' },
      ]),
    ).toBe('2 åtkomster i urvalet är inte bedömda.');
    expect(
      logReviewUnfinished([
        { verdict: 'motiverad', comment: null },
        { verdict: 'folj_upp', comment: '  ' },
      ]),
    ).toBe('1 åtkomst att följa upp saknar kommentar.');
    expect(
      logReviewUnfinished([
        { verdict: 'motiverad', comment: null },
        { verdict: 'folj_upp', comment: 'Fråga chefen' },
      ]),
    ).toBeNull();
  });
});

describe('the log’s actions in Swedish', () => {
  it('names each action, an event by its type, and an unknown one by its code', () => {
    expect(auditActionLabel('beslut_last')).toBe('Beslut läst (Beslutssidan)');
    expect(auditActionLabel('handelse_verkstalld')).toBe(
      'Händelse loggad: Verkställt (Beslutssidan eller enheten)',
    );
    expect(auditActionLabel('handelse_okand')).toBe('handelse_okand');
    expect(auditActionLabel('ny_handling')).toBe('ny_handling');
    for (const label of Object.values(AUDIT_ACTION_LABELS)) expect(label).not.toMatch(/_/);
  });
});
