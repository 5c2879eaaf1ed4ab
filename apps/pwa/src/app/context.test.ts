import { todayInStockholm } from '@evb/domain';
import { describe, expect, it } from 'vitest';
import { swedishDate } from './context';

describe('swedishDate', () => {
  it('gives the date in Sweden as the time zone database does, every hour of 2024–2031', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2032, 0, 1);
    for (let t = from; t < to; t += 3_600_000) {
      const at = new Date(t);
      if (swedishDate(at) !== todayInStockholm(at)) {
        expect(`${at.toISOString()}: ${swedishDate(at)}`).toBe(
          `${at.toISOString()}: ${todayInStockholm(at)}`,
        );
      }
    }
  });

  it('turns the date at midnight in Sweden, in winter and in summer', () => {
    expect(swedishDate(new Date('2026-01-15T22:59:59Z'))).toBe('2026-01-15');
    expect(swedishDate(new Date('2026-01-15T23:00:00Z'))).toBe('2026-01-16');
    expect(swedishDate(new Date('2026-07-15T21:59:59Z'))).toBe('2026-07-15');
    expect(swedishDate(new Date('2026-07-15T22:00:00Z'))).toBe('2026-07-16');
  });
});

describe('the sync bar’s time', () => {
  it('says it as formatTime does', async () => {
    const { lastSyncText } = await import('../sync/SyncBar');
    const { formatTime } = await import('../format/format');
    const now = new Date('2026-07-15T20:30:00Z');
    for (const iso of ['2026-07-15T05:04:00Z', '2026-07-15T21:59:00Z', '2026-07-14T12:00:00Z']) {
      expect(lastSyncText(iso, now)).toBe(formatTime(iso, now));
    }
    const winter = new Date('2026-01-15T22:30:00Z');
    expect(lastSyncText('2026-01-15T22:10:00Z', winter)).toBe(
      formatTime('2026-01-15T22:10:00Z', winter),
    );
  });
});
