import { quarterKey } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import {
  defaultPeriod,
  episodeKindText,
  filedText,
  initialQuarter,
  QUARTERS_BACK,
  quarterChoices,
  reportingNamndIds,
  statusText,
  windowState,
  windowText,
} from './quarter-view';

describe('quarter picker', () => {
  it('opens on the period whose window is open', () => {
    for (const opens of [defaultPeriod, initialQuarter]) {
      expect(quarterKey(opens('2026-04-15'))).toBe('2026-Q1');
      expect(quarterKey(opens('2026-08-31'))).toBe('2026-Q2');
      expect(quarterKey(opens('2027-01-10'))).toBe('2026-Q4');
    }
  });

  it('between windows: the to-do view on the current quarter, the statistics on the latest ended', () => {
    expect(quarterKey(defaultPeriod('2026-06-10'))).toBe('2026-Q2');
    expect(quarterKey(defaultPeriod('2026-09-15'))).toBe('2026-Q3');
    expect(quarterKey(defaultPeriod('2026-12-01'))).toBe('2026-Q4');
    expect(quarterKey(initialQuarter('2026-06-10'))).toBe('2026-Q1');
    expect(quarterKey(initialQuarter('2026-09-15'))).toBe('2026-Q2');
    expect(quarterKey(initialQuarter('2026-12-01'))).toBe('2026-Q3');
  });

  it('reaches from the current quarter back several quarters, newest first', () => {
    const keys = quarterChoices('2026-04-15').map(quarterKey);
    expect(keys).toHaveLength(QUARTERS_BACK + 1);
    expect(keys[0]).toBe('2026-Q2');
    expect(keys[1]).toBe('2026-Q1');
    expect(keys.at(-1)).toBe('2024-Q2');
    expect(keys).toContain(quarterKey(initialQuarter('2026-04-15')));
    expect(keys).toContain(quarterKey(defaultPeriod('2026-05-15')));
    expect(keys).toContain(quarterKey(initialQuarter('2026-05-15')));
  });
});

describe('reporting window', () => {
  it('is open with the days left, upcoming with the days until, or closed', () => {
    expect(windowState({ year: 2026, quarter: 1 }, '2026-04-20')).toEqual({
      state: 'open',
      opens: '2026-04-01',
      closes: '2026-04-30',
      daysLeft: 10,
    });
    expect(windowState({ year: 2026, quarter: 2 }, '2026-06-10')).toEqual({
      state: 'upcoming',
      opens: '2026-07-01',
      closes: '2026-08-31',
      daysUntil: 21,
    });
    expect(windowState({ year: 2025, quarter: 4 }, '2026-04-20').state).toBe('closed');
  });

  it('says it in Swedish', () => {
    expect(windowText(windowState({ year: 2026, quarter: 1 }, '2026-04-20'))).toBe(
      'Rapporteringsperioden 1–30 april 2026 är öppen: 10 dagar kvar efter i dag.',
    );
    expect(windowText(windowState({ year: 2026, quarter: 1 }, '2026-04-30'))).toMatch(
      /I dag är sista dagen/,
    );
    expect(windowText(windowState({ year: 2026, quarter: 2 }, '2026-06-30'))).toMatch(
      /öppnar om 1 dag\.$/,
    );
    expect(windowText(windowState({ year: 2025, quarter: 4 }, '2026-04-20'))).toBe(
      'Rapporteringsperioden 1–31 januari 2026 är stängd.',
    );
  });
});

describe('line texts', () => {
  const beslut = { kind: 'beslut' as const, start: '2026-01-10' };
  const avbrott = { kind: 'avbrott' as const, start: '2026-02-03' };

  it('labels each status of the quarter report in Swedish', () => {
    expect(statusText({ status: 'ej_verkstalld', statusDate: null, episode: beslut })).toBe(
      'Ej verkställt',
    );
    expect(statusText({ status: 'verkstalld', statusDate: '2026-05-04', episode: beslut })).toBe(
      'Verkställt 4 maj 2026',
    );
    expect(statusText({ status: 'avslutad', statusDate: '2026-05-04', episode: beslut })).toBe(
      'Avslutat 4 maj 2026',
    );
    expect(statusText({ status: 'ej_verkstalld', statusDate: null, episode: avbrott })).toBe(
      'Avbrott – ej återupptaget',
    );
    expect(statusText({ status: 'verkstalld', statusDate: '2026-06-01', episode: avbrott })).toBe(
      'Återupptaget 1 juni 2026',
    );
  });

  it('names what the wait began with', () => {
    expect(episodeKindText({ episode: beslut })).toBe('Beslut');
    expect(episodeKindText({ episode: avbrott })).toBe('Avbrott');
  });

  it('says whether the line is filed', () => {
    expect(filedText({ filed: true, filedOn: '2026-04-12' })).toBe('Inlämnad 12 april 2026');
    expect(filedText({ filed: false, filedOn: null })).toBe('Ej inlämnad');
  });

  it('finds the nämnder the user reports for', () => {
    expect(
      reportingNamndIds([
        { role: 'rapportor', namndId: 'a' },
        { role: 'huvudrapportor', namndId: 'b' },
        { role: 'rapportor', namndId: 'a' },
        { role: 'handlaggare', namndId: 'c' },
        { role: 'rapportor', namndId: null },
      ]),
    ).toEqual(['a', 'b']);
  });
});
