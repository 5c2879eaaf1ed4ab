import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  easterSunday,
  formatSwedishDate,
  formatSwedishDateRange,
  isIsoDate,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  swedishHolidays,
  todayInStockholm,
} from '../index';

describe('addMonths (same day-of-month, clamped to the month end)', () => {
  it.each([
    // The two examples in domain.md.
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    // Leap years: 2024 and 2000 are, 2100 is not (divisible by 100, not by 400).
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2099-11-30', 3, '2100-02-28'],
    ['1999-11-30', 3, '2000-02-29'],
    ['2000-02-29', 12, '2001-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    // Into 30-day months.
    ['2026-01-31', 3, '2026-04-30'],
    ['2026-03-31', 3, '2026-06-30'],
    ['2026-05-31', 4, '2026-09-30'],
    ['2026-08-31', 3, '2026-11-30'],
    // No clamping needed.
    ['2026-02-04', 3, '2026-05-04'],
    ['2026-01-15', 0, '2026-01-15'],
    ['2026-10-01', 3, '2027-01-01'],
    ['2026-12-31', 12, '2027-12-31'],
    // Negative months.
    ['2026-03-31', -1, '2026-02-28'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2026-05-31', -3, '2026-02-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-01-31', -13, '2024-12-31'],
    ['2100-05-31', -3, '2100-02-28'],
    ['2000-05-31', -3, '2000-02-29'],
  ])('%s %+d months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('rejects an invalid date instead of guessing', () => {
    expect(() => addMonths('2026-02-29', 1)).toThrow();
    expect(() => addMonths('2026-1-01', 1)).toThrow();
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-01', -1, '2026-01-31'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-02-29', 1, '2028-03-01'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2028-01-01', 365, '2028-12-31'],
    ['2027-01-01', 365, '2028-01-01'],
    ['2026-05-04', 0, '2026-05-04'],
    ['2026-05-04', -365, '2025-05-04'],
  ])('%s %+d days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  // A date computed through local midnights would lose or gain a day on the DST change dates.
  it.each([
    // Summer time starts 2026-03-29 (the day has 23 hours in Stockholm).
    ['2026-03-28', 1, '2026-03-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-03-28', 2, '2026-03-30'],
    ['2026-03-30', -1, '2026-03-29'],
    ['2026-03-29', -1, '2026-03-28'],
    ['2026-03-30', -2, '2026-03-28'],
    // Summer time ends 2026-10-25 (25 hours).
    ['2026-10-24', 1, '2026-10-25'],
    ['2026-10-25', 1, '2026-10-26'],
    ['2026-10-24', 2, '2026-10-26'],
    ['2026-10-26', -1, '2026-10-25'],
    ['2026-10-25', -1, '2026-10-24'],
    ['2026-10-26', -2, '2026-10-24'],
    // A whole summer-time period in one step, both ways.
    ['2026-03-01', 240, '2026-10-27'],
    ['2026-10-27', -240, '2026-03-01'],
  ])('across a DST change: %s %+d days = %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('isIsoDate', () => {
  it.each(['2026-01-01', '2026-02-28', '2028-02-29', '2000-02-29', '2026-12-31', '1990-06-30'])(
    'accepts %s',
    (value) => {
      expect(isIsoDate(value)).toBe(true);
    },
  );

  it.each([
    '2026-02-29',
    '2100-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '2026-01-00',
    '2026-01-32',
    '2026-1-01',
    '2026-01-1',
    '26-01-01',
    '20260101',
    '2026/01/01',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '2026-01-01 ',
    '',
    '２０２６-01-01',
    '2026-0١-01',
    '2026-+1-01',
    '2026-01-.1',
    '2026:01:01',
  ])('rejects the string %j', (value) => {
    expect(isIsoDate(value)).toBe(false);
  });

  it.each([null, undefined, 20260101, new Date(Date.UTC(2026, 0, 1)), {}, ['2026-01-01']])(
    'rejects the non-string %j',
    (value) => {
      expect(isIsoDate(value)).toBe(false);
    },
  );
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-05-04', 'an ordinary Monday'],
    ['2026-05-08', 'an ordinary Friday'],
    ['2026-04-02', 'skärtorsdagen (not a holiday)'],
    ['2026-04-30', 'valborgsmässoafton (not a day off)'],
    ['2026-01-05', 'trettondagsafton (not a day off)'],
    ['2026-10-30', 'allhelgonaafton (not a day off)'],
    ['2026-12-23', 'the day before julafton'],
    ['2026-12-28', 'the Monday between Christmas and New Year'],
    ['2026-05-25', 'annandag pingst after 2004'],
    ['2026-06-18', 'the day before midsommarafton'],
  ])('%s is a working day: %s', (date) => {
    expect(isWorkingDay(date)).toBe(true);
  });

  it.each([
    ['2026-05-09', 'Saturday'],
    ['2026-05-10', 'Sunday'],
    ['2026-01-01', 'nyårsdagen (Thursday)'],
    ['2026-01-06', 'trettondedag jul (Tuesday)'],
    ['2026-04-03', 'långfredagen'],
    ['2026-04-04', 'påskafton (Saturday)'],
    ['2026-04-05', 'påskdagen (Sunday)'],
    ['2026-04-06', 'annandag påsk'],
    ['2026-05-01', 'första maj (Friday)'],
    ['2026-05-14', 'Kristi himmelsfärdsdag'],
    ['2026-05-24', 'pingstdagen (Sunday)'],
    ['2026-06-06', 'nationaldagen (Saturday in 2026)'],
    ['2027-06-06', 'nationaldagen (Sunday in 2027)'],
    ['2028-06-06', 'nationaldagen (Tuesday in 2028)'],
    ['2026-06-19', 'midsommarafton (eve)'],
    ['2026-06-20', 'midsommardagen (Saturday)'],
    ['2026-10-31', 'alla helgons dag (Saturday)'],
    ['2026-12-24', 'julafton (eve, Thursday)'],
    ['2026-12-25', 'juldagen (Friday)'],
    ['2026-12-26', 'annandag jul (Saturday)'],
    ['2026-12-31', 'nyårsafton (eve, Thursday)'],
    ['2027-12-25', 'juldagen on a Saturday'],
    ['2027-12-26', 'annandag jul on a Sunday'],
    ['2027-12-24', 'julafton on a Friday'],
    ['2027-12-31', 'nyårsafton on a Friday'],
    ['2004-05-31', 'annandag pingst while it was still a holiday (Monday)'],
  ])('%s is not a working day: %s', (date) => {
    expect(isWorkingDay(date)).toBe(false);
  });

  it('a holiday that falls on a weekend does not move to a weekday (no substitute day off)', () => {
    // Juldagen 2027 is a Saturday and annandag jul a Sunday; Monday 27 December is a working day.
    expect(isWorkingDay('2027-12-27')).toBe(true);
    // Nationaldagen 2026 is a Saturday; Friday 5 and Monday 8 June are working days.
    expect(isWorkingDay('2026-06-05')).toBe(true);
    expect(isWorkingDay('2026-06-08')).toBe(true);
  });

  it('6 June was a working day before nationaldagen became a holiday in 2005', () => {
    expect(isWorkingDay('2003-06-06')).toBe(true); // a Friday
    expect(isWorkingDay('2005-05-16')).toBe(true); // annandag pingst 2005, a Monday
    expect(isWorkingDay('2005-06-06')).toBe(false); // nationaldagen 2005, a Monday
  });
});

describe('nextWorkingDay / previousWorkingDay', () => {
  it('return the date itself on a working day', () => {
    expect(nextWorkingDay('2026-05-04')).toBe('2026-05-04');
    expect(previousWorkingDay('2026-05-04')).toBe('2026-05-04');
  });

  it('skip a weekend', () => {
    expect(nextWorkingDay('2026-05-09')).toBe('2026-05-11');
    expect(nextWorkingDay('2026-05-10')).toBe('2026-05-11');
    expect(previousWorkingDay('2026-05-09')).toBe('2026-05-08');
    expect(previousWorkingDay('2026-05-10')).toBe('2026-05-08');
  });

  it('cross Easter: långfredagen 3 April to annandag påsk 6 April 2026', () => {
    for (const d of ['2026-04-03', '2026-04-04', '2026-04-05', '2026-04-06']) {
      expect(nextWorkingDay(d)).toBe('2026-04-07');
      expect(previousWorkingDay(d)).toBe('2026-04-02');
    }
  });

  it('cross Easter 2027 (långfredagen 26 March, annandag påsk 29 March)', () => {
    expect(nextWorkingDay('2027-03-26')).toBe('2027-03-30');
    expect(previousWorkingDay('2027-03-29')).toBe('2027-03-25');
  });

  it('cross Christmas and New Year 2026–2027', () => {
    const expected: [string, string, string][] = [
      // date, next, previous
      ['2026-12-23', '2026-12-23', '2026-12-23'],
      ['2026-12-24', '2026-12-28', '2026-12-23'],
      ['2026-12-25', '2026-12-28', '2026-12-23'],
      ['2026-12-26', '2026-12-28', '2026-12-23'],
      ['2026-12-27', '2026-12-28', '2026-12-23'],
      ['2026-12-28', '2026-12-28', '2026-12-28'],
      ['2026-12-29', '2026-12-29', '2026-12-29'],
      ['2026-12-30', '2026-12-30', '2026-12-30'],
      ['2026-12-31', '2027-01-04', '2026-12-30'],
      ['2027-01-01', '2027-01-04', '2026-12-30'],
      ['2027-01-02', '2027-01-04', '2026-12-30'],
      ['2027-01-03', '2027-01-04', '2026-12-30'],
      ['2027-01-04', '2027-01-04', '2027-01-04'],
      ['2027-01-05', '2027-01-05', '2027-01-05'],
      ['2027-01-06', '2027-01-07', '2027-01-05'],
      ['2027-01-07', '2027-01-07', '2027-01-07'],
    ];
    for (const [date, next, previous] of expected) {
      expect({ date, next: nextWorkingDay(date), previous: previousWorkingDay(date) }).toEqual({
        date,
        next,
        previous,
      });
    }
  });

  it('cross Christmas 2027, when juldagen is a Saturday', () => {
    expect(nextWorkingDay('2027-12-24')).toBe('2027-12-27');
    expect(previousWorkingDay('2027-12-26')).toBe('2027-12-23');
    expect(nextWorkingDay('2027-12-31')).toBe('2028-01-03');
  });

  it('cross midsommar (afton Friday 19 June, dagen Saturday 20 June 2026)', () => {
    expect(nextWorkingDay('2026-06-19')).toBe('2026-06-22');
    expect(nextWorkingDay('2026-06-20')).toBe('2026-06-22');
    expect(nextWorkingDay('2026-06-21')).toBe('2026-06-22');
    expect(previousWorkingDay('2026-06-19')).toBe('2026-06-18');
    expect(previousWorkingDay('2026-06-21')).toBe('2026-06-18');
  });

  it('cross Kristi himmelsfärd and första maj', () => {
    expect(nextWorkingDay('2026-05-14')).toBe('2026-05-15');
    expect(previousWorkingDay('2026-05-14')).toBe('2026-05-13');
    // Första maj 2026 is a Friday: the weekend follows.
    expect(nextWorkingDay('2026-05-01')).toBe('2026-05-04');
    expect(previousWorkingDay('2026-05-03')).toBe('2026-04-30');
  });
});

describe('todayInStockholm (the server runs in UTC)', () => {
  it('the test process really runs in UTC, like the server', () => {
    expect(new Date(2026, 6, 1).getTimezoneOffset()).toBe(0);
  });

  it.each([
    // Summer time (UTC+2).
    ['2026-06-30T21:59:00Z', '2026-06-30'],
    ['2026-06-30T22:00:00Z', '2026-07-01'],
    ['2026-06-30T22:30:00Z', '2026-07-01'],
    ['2026-07-01T21:59:59Z', '2026-07-01'],
    // Winter time (UTC+1).
    ['2026-12-31T22:59:00Z', '2026-12-31'],
    ['2026-12-31T23:00:00Z', '2027-01-01'],
    ['2026-12-31T23:30:00Z', '2027-01-01'],
    ['2027-01-01T12:00:00Z', '2027-01-01'],
    // The night summer time starts (2026-03-29, clocks 02:00 → 03:00).
    ['2026-03-28T22:59:00Z', '2026-03-28'],
    ['2026-03-28T23:00:00Z', '2026-03-29'],
    ['2026-03-29T21:59:00Z', '2026-03-29'],
    ['2026-03-29T22:00:00Z', '2026-03-30'],
    // The night summer time ends (2026-10-25, clocks 03:00 → 02:00).
    ['2026-10-24T21:59:00Z', '2026-10-24'],
    ['2026-10-24T22:00:00Z', '2026-10-25'],
    ['2026-10-25T22:59:00Z', '2026-10-25'],
    ['2026-10-25T23:00:00Z', '2026-10-26'],
    // Leap day.
    ['2028-02-28T23:00:00Z', '2028-02-29'],
  ])('%s is %s in Stockholm', (instant, expected) => {
    expect(todayInStockholm(new Date(instant))).toBe(expected);
  });

  it('defaults to now and returns an ISO date', () => {
    const today = todayInStockholm();
    expect(isIsoDate(today)).toBe(true);
  });
});

describe('swedishHolidays', () => {
  it('2026, checked by hand (Easter 5 April)', () => {
    expect(swedishHolidays(2026)).toEqual([
      { date: '2026-01-01', name: 'Nyårsdagen', kind: 'helgdag' },
      { date: '2026-01-06', name: 'Trettondedag jul', kind: 'helgdag' },
      { date: '2026-04-03', name: 'Långfredagen', kind: 'helgdag' },
      { date: '2026-04-05', name: 'Påskdagen', kind: 'helgdag' },
      { date: '2026-04-06', name: 'Annandag påsk', kind: 'helgdag' },
      { date: '2026-05-01', name: 'Första maj', kind: 'helgdag' },
      { date: '2026-05-14', name: 'Kristi himmelsfärdsdag', kind: 'helgdag' },
      { date: '2026-05-24', name: 'Pingstdagen', kind: 'helgdag' },
      { date: '2026-06-06', name: 'Sveriges nationaldag', kind: 'helgdag' },
      { date: '2026-06-19', name: 'Midsommarafton', kind: 'afton' },
      { date: '2026-06-20', name: 'Midsommardagen', kind: 'helgdag' },
      { date: '2026-10-31', name: 'Alla helgons dag', kind: 'helgdag' },
      { date: '2026-12-24', name: 'Julafton', kind: 'afton' },
      { date: '2026-12-25', name: 'Juldagen', kind: 'helgdag' },
      { date: '2026-12-26', name: 'Annandag jul', kind: 'helgdag' },
      { date: '2026-12-31', name: 'Nyårsafton', kind: 'afton' },
    ]);
  });

  it('2027 (Easter 28 March; midsommardagen 26 June; alla helgons dag 6 November)', () => {
    const byName = Object.fromEntries(swedishHolidays(2027).map((h) => [h.name, h.date]));
    expect(byName).toMatchObject({
      Långfredagen: '2027-03-26',
      Påskdagen: '2027-03-28',
      'Annandag påsk': '2027-03-29',
      'Kristi himmelsfärdsdag': '2027-05-06',
      Pingstdagen: '2027-05-16',
      Midsommarafton: '2027-06-25',
      Midsommardagen: '2027-06-26',
      'Alla helgons dag': '2027-11-06',
    });
  });

  it('has annandag pingst until 2004 and nationaldagen from 2005 (SFS 2004:1079)', () => {
    const names = (year: number) => swedishHolidays(year).map((h) => h.name);
    const y2004 = swedishHolidays(2004);
    expect(y2004).toContainEqual({ date: '2004-05-31', name: 'Annandag pingst', kind: 'helgdag' });
    expect(names(2004)).not.toContain('Sveriges nationaldag');
    expect(swedishHolidays(2005)).toContainEqual({
      date: '2005-06-06',
      name: 'Sveriges nationaldag',
      kind: 'helgdag',
    });
    expect(names(2005)).not.toContain('Annandag pingst');
  });

  it('midsommardagen is the Saturday in 20–26 June and alla helgons dag the one in 31 Oct–6 Nov', () => {
    for (let year = 1990; year <= 2100; year++) {
      const byName = new Map(swedishHolidays(year).map((h) => [h.name, h.date]));
      const midsommar = byName.get('Midsommardagen')!;
      const allaHelgon = byName.get('Alla helgons dag')!;
      expect(new Date(`${midsommar}T00:00:00Z`).getUTCDay()).toBe(6);
      expect(midsommar >= `${year}-06-20` && midsommar <= `${year}-06-26`).toBe(true);
      expect(byName.get('Midsommarafton')).toBe(addDays(midsommar, -1));
      expect(new Date(`${allaHelgon}T00:00:00Z`).getUTCDay()).toBe(6);
      expect(allaHelgon >= `${year}-10-31` && allaHelgon <= `${year}-11-06`).toBe(true);
    }
  });

  it('every year has 16 entries, sorted by date, with exactly the three eves as afton', () => {
    for (let year = 1990; year <= 2100; year++) {
      const holidays = swedishHolidays(year);
      expect(holidays).toHaveLength(16);
      const dates = holidays.map((h) => h.date);
      expect(dates).toEqual([...dates].sort());
      expect(holidays.filter((h) => h.kind === 'afton').map((h) => h.name)).toEqual([
        'Midsommarafton',
        'Julafton',
        'Nyårsafton',
      ]);
      for (const h of holidays) expect(h.date.slice(0, 4)).toBe(String(year));
    }
  });
});

describe('easterSunday', () => {
  it.each([
    [1990, '1990-04-15'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2100, '2100-03-28'],
  ])('%i: %s', (year, expected) => {
    expect(easterSunday(year)).toBe(expected);
  });

  it('is always a Sunday between 22 March and 25 April', () => {
    for (let year = 1990; year <= 2100; year++) {
      const easter = easterSunday(year);
      expect(new Date(`${easter}T00:00:00Z`).getUTCDay()).toBe(0);
      expect(easter >= `${year}-03-22` && easter <= `${year}-04-25`).toBe(true);
    }
  });
});

describe('formatSwedishDate and formatSwedishDateRange (dates in Swedish messages as on the screens)', () => {
  it.each([
    ['2026-10-01', '1 oktober 2026'],
    ['2026-05-04', '4 maj 2026'],
    ['2027-01-31', '31 januari 2027'],
    ['2028-02-29', '29 februari 2028'],
  ])('%s is "%s"', (date, text) => {
    expect(formatSwedishDate(date)).toBe(text);
  });

  it.each([
    ['2026-10-01', '2026-10-31', '1–31 oktober 2026'],
    ['2026-07-01', '2026-08-31', '1 juli–31 augusti 2026'],
    ['2026-12-15', '2027-01-15', '15 december 2026–15 januari 2027'],
    ['2026-10-01', '2026-10-01', '1 oktober 2026'],
  ])('%s to %s is "%s"', (from, to, text) => {
    expect(formatSwedishDateRange(from, to)).toBe(text);
  });
});
