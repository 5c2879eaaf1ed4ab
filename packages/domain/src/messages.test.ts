import { describe, expect, it } from 'vitest';
import { DomainError, messageTitle, rapportorMessages } from './index';
import { decision, ev } from './testing/fixtures';

describe('messageTitle', () => {
  it('writes the five titles of the routine exactly', () => {
    expect(
      messageTitle({ type: 'ny', date: '2026-05-04', insats: 'LSS_9_10', forhandsbesked: true }),
    ).toBe('IVO – Nyrapportering 2026-05-04, Förhandsbesked, 9§10');
    expect(messageTitle({ type: 'ny', date: '2026-05-04', insats: 'LSS_9_10' })).toBe(
      'IVO – Nyrapportering 2026-05-04, 9§10',
    );
    expect(messageTitle({ type: 'ny_avbrott', date: '2026-05-04', insats: 'LSS_9_10' })).toBe(
      'IVO – Nyrapportering avbrott 2026-05-04, 9§10',
    );
    expect(messageTitle({ type: 'ater', date: '2026-08-04', insats: 'LSS_9_10' })).toBe(
      'IVO – Återrapportering 2026-08-04, 9§10',
    );
    expect(messageTitle({ type: 'slut_verkstalld', date: '2026-06-01', insats: 'LSS_9_10' })).toBe(
      'IVO – Slutrapportering, verkställt 2026-06-01, 9§10',
    );
    expect(messageTitle({ type: 'slut_avslutad', date: '2026-06-01', insats: 'LSS_9_10' })).toBe(
      'IVO – Slutrapportering, avslutat 2026-06-01, 9§10',
    );
  });

  it('says Förhandsbesked only on a new report of a decision', () => {
    for (const type of ['ny_avbrott', 'ater', 'slut_verkstalld', 'slut_avslutad'] as const) {
      expect(
        messageTitle({ type, date: '2026-05-04', insats: 'LSS_9_10', forhandsbesked: true }),
      ).not.toContain('Förhandsbesked');
    }
  });

  it('drops the form of an LSS insats and names a SoL insats by its short label', () => {
    expect(messageTitle({ type: 'ater', date: '2026-08-04', insats: 'LSS_9_9_GRUPPBOSTAD' })).toBe(
      'IVO – Återrapportering 2026-08-04, 9§9',
    );
    expect(messageTitle({ type: 'ater', date: '2026-08-04', insats: 'LSS_9_6_STODFAMILJ' })).toBe(
      'IVO – Återrapportering 2026-08-04, 9§6',
    );
    expect(messageTitle({ type: 'ny', date: '2026-05-04', insats: 'SOL_SARSKILT_BOENDE' })).toBe(
      'IVO – Nyrapportering 2026-05-04, Särskilt boende',
    );
  });

  it('refuses an unknown insats', () => {
    expect(() => messageTitle({ type: 'ny', date: '2026-05-04', insats: 'LSS_9_11' })).toThrow(
      DomainError,
    );
  });
});

describe('rapportorMessages', () => {
  it('sends a new report the working day after three months, then every three months', () => {
    const d = decision('2026-02-03', { forhandsbesked: true });
    const messages = rapportorMessages(d, [], '2026-11-30');
    expect(messages.map((m) => [m.type, m.date, m.due, m.title])).toEqual([
      ['ny', '2026-05-04', '2026-05-04', 'IVO – Nyrapportering 2026-05-04, Förhandsbesked, 9§10'],
      ['ater', '2026-08-04', '2026-08-04', 'IVO – Återrapportering 2026-08-04, 9§10'],
      ['ater', '2026-11-04', '2026-11-04', 'IVO – Återrapportering 2026-11-04, 9§10'],
    ]);
  });

  it('ends with a slutrapportering when a reported decision is executed', () => {
    const d = decision('2026-02-03');
    const messages = rapportorMessages(
      d,
      [ev({ type: 'verkstalld', date: '2026-06-01' })],
      '2026-12-31',
    );
    expect(messages.map((m) => m.title)).toEqual([
      'IVO – Nyrapportering 2026-05-04, 9§10',
      'IVO – Slutrapportering, verkställt 2026-06-01, 9§10',
    ]);
  });

  it('sends nothing for a decision executed within three months', () => {
    const d = decision('2026-02-03');
    expect(
      rapportorMessages(d, [ev({ type: 'verkstalld', date: '2026-05-03' })], '2026-12-31'),
    ).toEqual([]);
  });

  it('reports an interruption as "Nyrapportering avbrott"', () => {
    const d = decision('2025-10-01');
    const events = [
      ev({ type: 'verkstalld', date: '2025-11-01' }),
      ev({ type: 'avbrott', date: '2026-01-15' }),
      ev({ type: 'avslutad', date: '2026-05-20', anledning: 'behov_upphort' }),
    ];
    expect(rapportorMessages(d, events, '2026-12-31').map((m) => m.title)).toEqual([
      'IVO – Nyrapportering avbrott 2026-04-16, 9§10',
      'IVO – Slutrapportering, avslutat 2026-05-20, 9§10',
    ]);
  });

  it('gives each message a stable key', () => {
    const d = decision('2026-02-03');
    const first = rapportorMessages(d, [], '2026-06-30').map((m) => m.key);
    const later = rapportorMessages(d, [], '2026-12-31').map((m) => m.key);
    expect(later.slice(0, first.length)).toEqual(first);
    expect(new Set(later).size).toBe(later.length);
  });
});
