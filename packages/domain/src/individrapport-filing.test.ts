import { describe, expect, it } from 'vitest';
import {
  type CaseEvent,
  filingCheck,
  lineMessages,
  messagesSettledByFiling,
  type Quarter,
  quarterReport,
  windowClosingWarning,
} from './index';
import { decision, ev } from './testing/fixtures';

const Q2: Quarter = { year: 2026, quarter: 2 };
const Q3: Quarter = { year: 2026, quarter: 3 };

describe('filingCheck', () => {
  const waiting = { report: 'ny', status: 'ej_verkstalld' } as const;
  const check = (
    line: Parameters<typeof filingCheck>[0]['line'],
    filedOn: string,
    today = filedOn,
  ) => filingCheck({ line, quarter: Q2, filedOn, today });

  it('files a line still waiting only in its quarter’s window (Q2: 1 July – 31 August)', () => {
    expect(check(waiting, '2026-06-30')).toEqual({
      ok: false,
      reason:
        'En nyrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026',
    });
    expect(check(waiting, '2026-07-01')).toEqual({ ok: true });
    expect(check(waiting, '2026-08-31')).toEqual({ ok: true });
    expect(check(waiting, '2026-09-01')).toMatchObject({ ok: false });
    expect(check({ report: 'ater', status: 'ej_verkstalld' }, '2026-09-01')).toEqual({
      ok: false,
      reason:
        'En återrapportering för kvartal 2 2026 lämnas i rapporteringsperioden 1 juli–31 augusti 2026',
    });
  });

  it('files an executed or closed line at any time from its end date', () => {
    const slut = { report: 'ater', status: 'verkstalld', statusDate: '2026-05-12' } as const;
    expect(check(slut, '2026-05-12')).toEqual({ ok: true });
    expect(check(slut, '2026-12-01')).toEqual({ ok: true });
    expect(check(slut, '2026-05-11')).toEqual({
      ok: false,
      reason: 'Beslutet verkställdes 12 maj 2026; rapporteringen kan inte vara daterad före det',
    });
    const nyAndClosed = { report: 'ny', status: 'avslutad', statusDate: '2026-06-02' } as const;
    expect(check(nyAndClosed, '2026-06-03')).toEqual({ ok: true });
  });

  it('never files on a day in the future', () => {
    expect(check(waiting, '2026-07-02', '2026-07-01')).toEqual({
      ok: false,
      reason: 'Rapporteringsdatumet 2 juli 2026 ligger i framtiden',
    });
  });
});

describe('windowClosingWarning', () => {
  it('warns in the last seven days of an open window while lines are unfiled', () => {
    expect(windowClosingWarning(Q3, '2026-10-23', 3)).toBeNull();
    expect(windowClosingWarning(Q3, '2026-10-24', 3)).toEqual({
      closes: '2026-10-31',
      daysLeft: 7,
      unfiled: 3,
      message:
        'Rapporteringsperioden för kvartal 3 2026 stänger om 7 dagar (31 oktober 2026) och 3 rader är inte rapporterade.',
    });
    expect(windowClosingWarning(Q3, '2026-10-31', 1)?.message).toBe(
      'Rapporteringsperioden för kvartal 3 2026 stänger i dag (31 oktober 2026) och 1 rad är inte rapporterade.',
    );
    expect(windowClosingWarning(Q3, '2026-10-28', 0)).toBeNull();
    expect(windowClosingWarning(Q3, '2026-11-01', 3)).toBeNull();
  });
});

describe('the messages of a line', () => {
  // Decided 2026-01-15: new report overdue 2026-04-16 (Q2), återrapportering 2026-07-16 (Q3).
  const d = decision('2026-01-15');
  const events: CaseEvent[] = [ev({ type: 'verkstalld', date: '2026-08-01' })];

  it('are the episode’s messages dated by the quarter’s end, due up to the day given', () => {
    const q2Line = quarterReport(d, events, Q2)[0]!;
    expect(lineMessages(d, q2Line, Q2, '2026-11-22').map((m) => m.type)).toEqual(['ny']);
    const q3Line = quarterReport(d, events, Q3)[0]!;
    expect(lineMessages(d, q3Line, Q3, '2026-11-22').map((m) => m.type)).toEqual([
      'ny',
      'ater',
      'slut_verkstalld',
    ]);
    // Executed on a Saturday: the slutrapportering message is due on Monday.
    expect(lineMessages(d, q3Line, Q3, '2026-08-02').map((m) => m.type)).toEqual(['ny', 'ater']);
  });

  it('a filing settles them all, also a message not yet due', () => {
    const q3Line = quarterReport(d, events, Q3)[0]!;
    expect(messagesSettledByFiling(d, q3Line, Q3).map((m) => m.title)).toEqual([
      'IVO – Nyrapportering 2026-04-16, 9§10',
      'IVO – Återrapportering 2026-07-16, 9§10',
      'IVO – Slutrapportering, verkställt 2026-08-01, 9§10',
    ]);
  });
});
