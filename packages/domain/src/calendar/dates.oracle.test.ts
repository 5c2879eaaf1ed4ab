import { UTCDate } from '@date-fns/utc';
import {
  differenceInCalendarDays,
  addDays as fnsAddDays,
  addMonths as fnsAddMonths,
  getISODay,
} from 'date-fns';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, isIsoDate, isoWeekday, makeIsoDate } from '../index';

// Our day-number arithmetic checked against date-fns (on UTC dates) for every day of 1990–2100.
const utc = (iso: string) => new UTCDate(`${iso}T00:00:00Z`);
// date-fns's own format() is the slow part of this loop; UTC getters give the same string.
const pad = (n: number) => String(n).padStart(2, '0');
const iso = (date: Date) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;

function* everyDay(from: string, to: string) {
  for (let d = utc(from); iso(d) <= to; d = fnsAddDays(d, 1)) yield iso(d);
}

describe('date arithmetic against date-fns', () => {
  it('agrees on addDays, addMonths, weekday and distance for every day 1990–2100', () => {
    const epoch = '1990-01-01';
    const mismatches: string[] = [];
    const same = (what: string, ours: unknown, theirs: unknown) => {
      if (ours !== theirs) mismatches.push(`${what}: ${String(ours)} ≠ ${String(theirs)}`);
    };
    let n = 0;
    for (const day of everyDay(epoch, '2100-12-31')) {
      const d = utc(day);
      same(`isIsoDate(${day})`, isIsoDate(day), true);
      same(`addDays(${day}, 1)`, addDays(day, 1), iso(fnsAddDays(d, 1)));
      same(`addDays(${day}, -1)`, addDays(day, -1), iso(fnsAddDays(d, -1)));
      same(`isoWeekday(${day})`, isoWeekday(day), getISODay(d));
      same(`daysBetween(${epoch}, ${day})`, daysBetween(epoch, day), n);
      // Month arithmetic on a spread of offsets, clamping included.
      const months = (n % 40) - 13;
      same(`addMonths(${day}, ${months})`, addMonths(day, months), iso(fnsAddMonths(d, months)));
      n++;
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(n).toBe(differenceInCalendarDays(utc('2100-12-31'), utc(epoch)) + 1);
  }, 60_000);

  it('normalises overflowing months and days like Date does', () => {
    for (const [y, m, d] of [
      [2026, 13, 1],
      [2026, 4, 0],
      [2026, 0, 1],
      [2024, 3, 0],
      [2026, 12, 32],
      [2026, -1, 15],
    ] as const) {
      expect(makeIsoDate(y, m, d)).toBe(iso(new UTCDate(y, m - 1, d)));
    }
  });
});
