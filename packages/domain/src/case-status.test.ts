import { describe, expect, it } from 'vitest';
import { caseStatus, isFollowUpDue, nextDeadlineOf } from './index';
import { decision, ev } from './testing/fixtures';

// Decided 2026-02-03: follow-up 2026-04-03–04-17, summary due 2026-04-30, overdue from 2026-05-04.
const d = decision('2026-02-03');

describe('caseStatus', () => {
  it('shows a fresh decision waiting, with the first deadlines ahead', () => {
    const s = caseStatus(d, [], '2026-02-20');
    expect(s).toMatchObject({
      state: 'vantar',
      waiting: true,
      daysWaited: 17,
      overThreeMonths: false,
    });
    expect(s.deadlines.uppfoljning).toMatchObject({
      from: '2026-04-03',
      date: '2026-04-17',
      k: 1,
      overdue: false,
      daysLeft: 56,
    });
    expect(s.deadlines.sammanfattning).toMatchObject({ date: '2026-04-30', overdue: false });
    expect(s.deadlines.meddelande).toMatchObject({
      date: '2026-05-04',
      title: 'IVO – Nyrapportering 2026-05-04, 9§10',
    });
    expect(s.deadlines.kvartalsrapport).toMatchObject({
      quarter: { year: 2026, quarter: 2 },
      report: 'ny',
      from: '2026-07-01',
      date: '2026-08-31',
    });
    expect(s.next?.kind).toBe('uppfoljning');
    expect(s.overdue).toBe(false);
  });

  it('marks the follow-up call overdue when the two weeks have passed without one', () => {
    const s = caseStatus(d, [], '2026-04-20');
    expect(s.deadlines.uppfoljning).toMatchObject({
      date: '2026-04-17',
      overdue: true,
      daysLeft: -3,
    });
    expect(s.overdue).toBe(true);
    expect(s.next?.kind).toBe('uppfoljning');
  });

  it('moves on to the next cycle once the call and the summary are logged', () => {
    const events = [
      ev({
        type: 'uppfoljning',
        date: '2026-04-08',
        kontakt: 'God man',
        text: 'Väntar fortfarande',
      }),
      ev({ type: 'sammanfattning', date: '2026-04-29', text: 'Sökt plats på tre boenden' }),
    ];
    const s = caseStatus(d, events, '2026-04-30');
    expect(s.deadlines.uppfoljning).toMatchObject({ k: 2, from: '2026-07-03', overdue: false });
    expect(s.deadlines.sammanfattning).toMatchObject({ k: 2, date: '2026-08-03', overdue: false });
    expect(s.overdue).toBe(false);
  });

  it('knows when a decision has waited more than three months', () => {
    const s = caseStatus(d, [], '2026-05-04');
    expect(s.overThreeMonths).toBe(true);
    expect(s.daysWaited).toBe(90);
    expect(caseStatus(d, [], '2026-05-03').overThreeMonths).toBe(false);
  });

  it('takes handled messages and filed quarters into account when given', () => {
    const today = '2026-09-15';
    const unhandled = caseStatus(d, [], today, { handledMessages: [], filedQuarters: [] });
    expect(unhandled.deadlines.meddelande).toMatchObject({ date: '2026-05-04', overdue: true });
    expect(unhandled.deadlines.kvartalsrapport).toMatchObject({
      quarter: { year: 2026, quarter: 2 },
      overdue: true,
    });
    const handled = caseStatus(d, [], today, {
      handledMessages: ['b1:2026-02-03:ny:2026-05-04', 'b1:2026-02-03:ater:2026-08-04'],
      filedQuarters: ['2026-Q2'],
    });
    expect(handled.deadlines.meddelande).toMatchObject({ date: '2026-11-04', overdue: false });
    expect(handled.deadlines.kvartalsrapport).toMatchObject({
      quarter: { year: 2026, quarter: 3 },
      report: 'ater',
      date: '2026-10-31',
      overdue: false,
    });
  });

  it('leaves only the slutrapportering once a reported decision is executed', () => {
    const events = [ev({ type: 'verkstalld', date: '2026-11-10' })];
    const s = caseStatus(d, events, '2026-11-10');
    expect(s).toMatchObject({ state: 'verkstalld', waiting: false, daysWaited: null, cycle: null });
    expect(s.deadlines.uppfoljning).toBeNull();
    expect(s.deadlines.sammanfattning).toBeNull();
    expect(s.deadlines.meddelande).toMatchObject({
      title: 'IVO – Slutrapportering, verkställt 2026-11-10, 9§10',
      date: '2026-11-10',
    });
    expect(s.deadlines.kvartalsrapport).toMatchObject({
      quarter: { year: 2026, quarter: 4 },
      report: 'ater',
    });
    // Without the server's word on handled messages, a message whose day has passed counts as sent.
    expect(caseStatus(d, events, '2026-11-12').deadlines.meddelande).toBeNull();
    expect(
      caseStatus(d, events, '2026-11-12', { handledMessages: [] }).deadlines.meddelande,
    ).toMatchObject({ date: '2026-05-04', overdue: true });
  });

  it('has nothing to do for a decision executed in time', () => {
    const s = caseStatus(d, [ev({ type: 'verkstalld', date: '2026-03-01' })], '2026-03-02');
    expect(s.next).toBeNull();
    expect(s.deadlines.kvartalsrapport).toBeNull();
    expect(s.deadlines.meddelande).toBeNull();
  });

  it('follows an interruption as a new wait', () => {
    const events = [
      ev({ type: 'verkstalld', date: '2026-03-01' }),
      ev({ type: 'avbrott', date: '2026-06-10' }),
    ];
    const s = caseStatus(d, events, '2026-06-12');
    expect(s).toMatchObject({ state: 'vantar', daysWaited: 2, episode: { kind: 'avbrott' } });
    expect(s.deadlines.uppfoljning).toMatchObject({ from: '2026-08-10', date: '2026-08-24' });
    expect(s.deadlines.meddelande?.title).toBe('IVO – Nyrapportering avbrott 2026-09-11, 9§10');
  });
});

describe('isFollowUpDue', () => {
  it('is due from two months after the wait began until the call is made', () => {
    expect(isFollowUpDue(caseStatus(d, [], '2026-04-02'), '2026-04-02')).toBe(false);
    expect(isFollowUpDue(caseStatus(d, [], '2026-04-03'), '2026-04-03')).toBe(true);
    expect(isFollowUpDue(caseStatus(d, [], '2026-04-20'), '2026-04-20')).toBe(true);
    const called = [
      ev({ type: 'uppfoljning', date: '2026-04-08', kontakt: 'God man', text: 'Väntar' }),
    ];
    expect(isFollowUpDue(caseStatus(d, called, '2026-04-10'), '2026-04-10')).toBe(false);
  });

  it('is not due once the decision is verkställt', () => {
    const done = [ev({ type: 'verkstalld', date: '2026-03-01' })];
    expect(isFollowUpDue(caseStatus(d, done, '2026-04-10'), '2026-04-10')).toBe(false);
  });
});

describe('nextDeadlineOf', () => {
  it('picks the most urgent of the kinds asked for', () => {
    const s = caseStatus(d, [], '2026-04-20');
    expect(s.next?.kind).toBe('uppfoljning');
    expect(nextDeadlineOf(s, ['sammanfattning'])?.kind).toBe('sammanfattning');
    expect(nextDeadlineOf(s, ['sammanfattning', 'uppfoljning'])?.kind).toBe('uppfoljning');
    expect(nextDeadlineOf(s, [])).toBeNull();
  });
});
