import { describe, expect, it } from 'vitest';
import {
  byOwnDeadline,
  type CaseEvent,
  type CaseStatus,
  caseStatus,
  type Decision,
  nextThreeMonthDate,
  otherDeadlines,
  ownDeadlines,
  ownNextDeadline,
  type Role,
} from './index';
import { decision, ev } from './testing/fixtures';

const TODAY = '2026-06-01';

type Case = { name: string; decision: Decision; events: CaseEvent[]; status: CaseStatus };

function make(name: string, beslutsdatum: string, events: Parameters<typeof ev>[0][]) {
  const d = decision(beslutsdatum, { id: name });
  const evs = events.map((e) => ev({ ...e, decisionId: name }));
  return { name, decision: d, events: evs, status: caseStatus(d, evs, TODAY) } satisfies Case;
}

/*
 * Seeded decisions with deadlines of every kind, seen on 2026-06-01:
 * - longWait: decided 2025-11-10, over three months; cycle 2's summary (due 2026-05-08) and
 *   follow-up call (2026-04-10–04-24) never logged, next three-month date 2026-08-10.
 * - callOverdue: decided 2026-03-16; the handläggare's call (2026-05-16–05-30) is overdue, the
 *   summary is due 2026-06-16, the three-month date is 2026-06-16.
 * - nearThreeMonths: decided 2026-03-03, call and summary logged; three-month date 2026-06-03 (in
 *   two days), the message to the rapportör due 2026-06-04. Nothing of its is overdue.
 * - fresh: decided 2026-05-20; call 2026-07-20–08-03, summary and three-month date 2026-08-20.
 * - executed: decided 2025-12-01, carried out 2026-04-15 after it was reported: only the
 *   rapportör's slutrapportering is left (window 2026-07-01–08-31).
 */
const cases = [
  make('executed', '2025-12-01', [{ type: 'verkstalld', date: '2026-04-15' }]),
  make('fresh', '2026-05-20', []),
  make('nearThreeMonths', '2026-03-03', [
    { type: 'uppfoljning', date: '2026-05-10', kontakt: 'God man', text: 'Väntar på plats' },
    { type: 'sammanfattning', date: '2026-05-20', text: 'Två boenden erbjudna' },
  ]),
  make('callOverdue', '2026-03-16', []),
  make('longWait', '2025-11-10', []),
];

function order(roles: Role | Role[]): string[] {
  return cases
    .map((c) => ({
      name: c.name,
      own: ownNextDeadline(roles, c.status, TODAY),
      daysWaited: c.status.daysWaited,
      beslutsdatum: c.decision.beslutsdatum,
      id: c.decision.id,
    }))
    .sort(byOwnDeadline)
    .map((c) => c.name);
}

const byName = (name: string) => cases.find((c) => c.name === name)!.status;

describe('ownNextDeadline', () => {
  it('gives the utförare the three-month date while the summary is written', () => {
    expect(ownNextDeadline('utforare', byName('nearThreeMonths'), TODAY)).toMatchObject({
      kind: 'tremanadersdag',
      date: '2026-06-03',
      daysLeft: 2,
      overdue: false,
    });
  });

  it('gives the utförare the summary while it is not written, overdue once its day passed', () => {
    expect(ownNextDeadline('matchare', byName('callOverdue'), TODAY)).toMatchObject({
      kind: 'sammanfattning',
      date: '2026-06-16',
      overdue: false,
    });
    expect(ownNextDeadline('utforare', byName('longWait'), TODAY)).toMatchObject({
      kind: 'sammanfattning',
      date: '2026-05-08',
      overdue: true,
    });
  });

  it('gives the handläggare the follow-up call and the message, never the unit’s deadlines', () => {
    expect(ownNextDeadline('handlaggare', byName('callOverdue'), TODAY)).toMatchObject({
      kind: 'uppfoljning',
      date: '2026-05-30',
      overdue: true,
    });
    expect(ownNextDeadline('handlaggare', byName('nearThreeMonths'), TODAY)).toMatchObject({
      kind: 'meddelande',
      date: '2026-06-04',
    });
    const kinds = ownDeadlines('handlaggare', byName('nearThreeMonths'), TODAY).map((d) => d.kind);
    expect(kinds).not.toContain('tremanadersdag');
    expect(kinds).not.toContain('sammanfattning');
  });

  it('gives the rapportör the filing window only', () => {
    expect(ownDeadlines('rapportor', byName('executed'), TODAY)).toEqual([
      expect.objectContaining({ kind: 'kvartalsrapport', date: '2026-08-31', report: 'ater' }),
    ]);
  });

  it('gives a decision that is carried out no deadline of the unit or the handläggare', () => {
    expect(ownNextDeadline('utforare', byName('executed'), TODAY)).toBeNull();
    expect(ownNextDeadline('handlaggare', byName('executed'), TODAY)).toBeNull();
  });

  it('takes every role a user holds', () => {
    const kinds = ownDeadlines(['utforare', 'handlaggare'], byName('fresh'), TODAY).map(
      (d) => d.kind,
    );
    expect(kinds).toEqual(['uppfoljning', 'sammanfattning', 'tremanadersdag', 'meddelande']);
  });
});

describe('nextThreeMonthDate', () => {
  it('moves to the next cycle once the first three-month date has passed', () => {
    expect(nextThreeMonthDate(byName('longWait'), TODAY)).toMatchObject({
      date: '2026-08-10',
      k: 3,
      overdue: false,
    });
  });

  it('is the three-month date itself on that day, and clamps to the month end', () => {
    const s = caseStatus(decision('2026-11-30'), [], '2027-02-28');
    expect(nextThreeMonthDate(s, '2027-02-28')).toMatchObject({ date: '2027-02-28', daysLeft: 0 });
    expect(
      nextThreeMonthDate(caseStatus(decision('2026-11-30'), [], '2027-03-01'), '2027-03-01'),
    ).toMatchObject({ date: '2027-05-30', k: 2 });
  });

  it('counts an interruption’s wait from the interruption', () => {
    const events = [
      ev({ type: 'verkstalld', date: '2026-02-01' }),
      ev({ type: 'avbrott', date: '2026-04-10' }),
    ];
    const s = caseStatus(decision('2026-01-10'), events, TODAY);
    expect(nextThreeMonthDate(s, TODAY)).toMatchObject({ date: '2026-07-10', k: 1 });
  });
});

describe('byOwnDeadline', () => {
  it('orders the utförare’s and matchare’s list by their own deadlines, overdue first', () => {
    const expected = ['longWait', 'nearThreeMonths', 'callOverdue', 'fresh', 'executed'];
    expect(order('utforare')).toEqual(expected);
    expect(order('matchare')).toEqual(expected);
  });

  it('puts a decision two days from its three-month date before one whose near deadline is another role’s', () => {
    // Ordered by every deadline, callOverdue (the handläggare's overdue call) would come first.
    expect(byName('callOverdue').next).toMatchObject({ kind: 'uppfoljning', overdue: true });
    const list = order('utforare');
    expect(list.indexOf('nearThreeMonths')).toBeLessThan(list.indexOf('callOverdue'));
  });

  it('orders the handläggare’s list by the calls and messages, overdue first', () => {
    expect(order('handlaggare')).toEqual([
      'longWait',
      'callOverdue',
      'nearThreeMonths',
      'fresh',
      'executed',
    ]);
  });

  it('orders the rapportör’s by the filing window, ties by the longer wait', () => {
    // Four lines of the second quarter (window closes 2026-08-31), one of the third.
    expect(order('rapportor')).toEqual([
      'longWait',
      'nearThreeMonths',
      'callOverdue',
      'executed',
      'fresh',
    ]);
  });
});

describe('otherDeadlines', () => {
  it('gives the utförare the handläggare’s and the rapportör’s deadlines as information', () => {
    const others = otherDeadlines('utforare', byName('callOverdue'), TODAY);
    expect(others.map((d) => d.kind)).toEqual(['uppfoljning', 'meddelande', 'kvartalsrapport']);
    expect(others.map((d) => d.date)).toEqual(['2026-05-30', '2026-06-17', '2026-08-31']);
  });

  it('gives the handläggare the unit’s summary and three-month date', () => {
    const others = otherDeadlines('handlaggare', byName('nearThreeMonths'), TODAY);
    expect(others.map((d) => d.kind)).toEqual([
      'tremanadersdag',
      'kvartalsrapport',
      'sammanfattning',
    ]);
  });
});
