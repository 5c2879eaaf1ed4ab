import { describe, expect, it } from 'vitest';
import { cycles, DomainError, decisionState, episodes, sortEvents } from './index';
import { decision, ev } from './testing/fixtures';

describe('episodes', () => {
  it('a decision waits from beslutsdatum until it is executed', () => {
    const eps = episodes(decision('2026-02-03'), [ev({ type: 'verkstalld', date: '2026-06-01' })]);
    expect(eps).toEqual([
      { kind: 'beslut', start: '2026-02-03', end: { type: 'verkstalld', date: '2026-06-01' } },
    ]);
  });

  it('is open while nothing has been executed, whatever offers and refusals happen', () => {
    const eps = episodes(decision('2026-02-03'), [
      ev({ type: 'erbjudande', date: '2026-03-01', text: 'Plats på Solgläntan' }),
      ev({
        type: 'tackat_nej',
        date: '2026-03-05',
        erbjudandedatum: '2026-03-01',
        orsak: 'geografiskt_lage',
      }),
      ev({ type: 'delvis_verkstalld', date: '2026-04-01', text: '2 av 5 timmar' }),
    ]);
    expect(eps).toEqual([{ kind: 'beslut', start: '2026-02-03' }]);
  });

  it('an avbrott after execution starts a new episode that ends when execution resumes', () => {
    const eps = episodes(decision('2026-01-10'), [
      ev({ type: 'verkstalld', date: '2026-02-01' }),
      ev({ type: 'avbrott', date: '2026-05-15', text: 'Kontaktpersonen slutade' }),
      ev({ type: 'verkstalld', date: '2026-09-01' }),
    ]);
    expect(eps).toEqual([
      { kind: 'beslut', start: '2026-01-10', end: { type: 'verkstalld', date: '2026-02-01' } },
      { kind: 'avbrott', start: '2026-05-15', end: { type: 'verkstalld', date: '2026-09-01' } },
    ]);
  });

  it('avslutad ends the open episode; after an execution it just closes the decision', () => {
    const closedWhileWaiting = [ev({ type: 'avslutad', date: '2026-05-01', anledning: 'avliden' })];
    expect(episodes(decision('2026-01-10'), closedWhileWaiting)).toEqual([
      { kind: 'beslut', start: '2026-01-10', end: { type: 'avslutad', date: '2026-05-01' } },
    ]);
    const closedAfterExecution = [
      ev({ type: 'verkstalld', date: '2026-02-01' }),
      ev({ type: 'avslutad', date: '2026-05-01', anledning: 'behov_upphort' }),
    ];
    expect(episodes(decision('2026-01-10'), closedAfterExecution)).toEqual([
      { kind: 'beslut', start: '2026-01-10', end: { type: 'verkstalld', date: '2026-02-01' } },
    ]);
    expect(decisionState(decision('2026-01-10'), closedAfterExecution)).toBe('avslutad');
  });

  it('orders events by date, then by when they were recorded, whatever order they come in', () => {
    const executed = ev({
      type: 'verkstalld',
      date: '2026-03-01',
      recordedAt: '2026-03-01T08:00:00Z',
    });
    const interrupted = ev({
      type: 'avbrott',
      date: '2026-03-01',
      recordedAt: '2026-03-01T15:00:00Z',
    });
    const resumed = ev({ type: 'verkstalld', date: '2026-07-01' });
    const expected = [
      { kind: 'beslut', start: '2026-01-10', end: { type: 'verkstalld', date: '2026-03-01' } },
      { kind: 'avbrott', start: '2026-03-01', end: { type: 'verkstalld', date: '2026-07-01' } },
    ];
    expect(episodes(decision('2026-01-10'), [resumed, interrupted, executed])).toEqual(expected);
    expect(episodes(decision('2026-01-10'), [interrupted, executed, resumed])).toEqual(expected);
    expect(sortEvents([resumed, interrupted, executed]).map((e) => e.id)).toEqual([
      executed.id,
      interrupted.id,
      resumed.id,
    ]);
  });

  it('refuses impossible sequences with a Swedish message', () => {
    const d = decision('2026-01-10');
    expect(() => episodes(d, [ev({ type: 'verkstalld', date: '2026-01-09' })])).toThrow(
      /före beslutsdatum 10 januari 2026/,
    );
    expect(() =>
      episodes(d, [
        ev({ type: 'verkstalld', date: '2026-02-01' }),
        ev({ type: 'verkstalld', date: '2026-02-02' }),
      ]),
    ).toThrow(/redan verkställt/);
    expect(() => episodes(d, [ev({ type: 'avbrott', date: '2026-02-01' })])).toThrow(
      /bara registreras när insatsen är verkställd/,
    );
    expect(() =>
      episodes(d, [
        ev({ type: 'avslutad', date: '2026-02-01', anledning: 'avliden' }),
        ev({ type: 'verkstalld', date: '2026-02-02' }),
      ]),
    ).toThrow(DomainError);
    expect(() =>
      episodes(d, [
        ev({ type: 'avslutad', date: '2026-02-01', anledning: 'avliden' }),
        ev({ type: 'avslutad', date: '2026-02-02', anledning: 'avliden' }),
      ]),
    ).toThrow(/redan avslutat/);
  });
});

describe('cycles', () => {
  it('follows the routine: follow-up at two months, summary, message the working day after three', () => {
    // 2026-02-03 + 3 months = 2026-05-03, a Sunday. The message date in domain.md's example.
    const [first, second] = cycles({ kind: 'beslut', start: '2026-02-03' }, 2);
    expect(first).toEqual({
      k: 1,
      threeMonthDate: '2026-05-03',
      overdueFrom: '2026-05-04',
      followUpFrom: '2026-04-03',
      followUpBy: '2026-04-17',
      summaryDue: '2026-04-30', // Friday: 1 May is a holiday, 2–3 May a weekend
      messageDue: '2026-05-04',
    });
    expect(second).toMatchObject({
      k: 2,
      threeMonthDate: '2026-08-03',
      overdueFrom: '2026-08-04',
      messageDue: '2026-08-04',
    });
  });

  it('counts every cycle from the start, so month-end clamping never drifts', () => {
    const cs = cycles({ kind: 'beslut', start: '2026-11-30' }, 4);
    expect(cs.map((c) => c.threeMonthDate)).toEqual([
      '2027-02-28',
      '2027-05-30',
      '2027-08-30',
      '2027-11-30',
    ]);
    expect(cs[0]!.overdueFrom).toBe('2027-03-01');
  });

  it('moves the message past Christmas and New Year', () => {
    // 2026-09-23 + 3 months = 2026-12-23; overdue from julafton; next working day is 28 December.
    const [c] = cycles({ kind: 'beslut', start: '2026-09-23' }, 1);
    expect(c!.overdueFrom).toBe('2026-12-24');
    expect(c!.messageDue).toBe('2026-12-28');
  });
});
