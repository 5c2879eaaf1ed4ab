import { describe, expect, it } from 'vitest';
import { feeRangeText, waitedText, waitStartText } from './risk-view';

describe('the risk texts', () => {
  it('writes the fee range in kronor the Swedish way', () => {
    expect(feeRangeText({ min: 15_000, max: 1_500_000 })).toBe(
      '15\u00a0000\u00a0kr – 1\u00a0500\u00a0000\u00a0kr',
    );
  });

  it('gives the days waited with their group', () => {
    expect(waitedText({ daysWaited: 366, vantetid: 'over_12' })).toBe(
      '366 dagar (mer än 12 månader)',
    );
    expect(waitedText({ daysWaited: 91, vantetid: '3_6' })).toBe('91 dagar (3–6 månader)');
  });

  it('says whether the wait began with the decision or an interruption', () => {
    expect(waitStartText({ episode: { kind: 'beslut', start: '2026-01-15' } })).toBe(
      'Sedan beslutet',
    );
    expect(waitStartText({ episode: { kind: 'avbrott', start: '2026-01-15' } })).toBe(
      'Avbrott 15 januari 2026',
    );
  });
});
