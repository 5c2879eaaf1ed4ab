import { addDays, type IsoDate, isoWeekday, makeIsoDate } from './dates';

export type Holiday = {
  date: IsoDate;
  name: string;
  /** `helgdag`: a public holiday by law. `afton`: an eve that public employers treat as a day off. */
  kind: 'helgdag' | 'afton';
};

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return makeIsoDate(year, month, day);
}

/** The Saturday in [from, from + 6]: how midsommardagen and alla helgons dag are defined. */
function saturdayFrom(year: number, month: number, day: number): IsoDate {
  const first = makeIsoDate(year, month, day);
  return addDays(first, (6 - isoWeekday(first) + 7) % 7);
}

/**
 * Sweden's public holidays (lagen (1989:253) om allmänna helgdagar) and the three eves, for one
 * year. Nationaldagen replaced annandag pingst as a holiday in 2005.
 */
export function swedishHolidays(year: number): Holiday[] {
  const easter = easterSunday(year);
  const midsommardagen = saturdayFrom(year, 6, 20);
  const holidays: Holiday[] = [
    { date: makeIsoDate(year, 1, 1), name: 'Nyårsdagen', kind: 'helgdag' },
    { date: makeIsoDate(year, 1, 6), name: 'Trettondedag jul', kind: 'helgdag' },
    { date: addDays(easter, -2), name: 'Långfredagen', kind: 'helgdag' },
    { date: easter, name: 'Påskdagen', kind: 'helgdag' },
    { date: addDays(easter, 1), name: 'Annandag påsk', kind: 'helgdag' },
    { date: makeIsoDate(year, 5, 1), name: 'Första maj', kind: 'helgdag' },
    { date: addDays(easter, 39), name: 'Kristi himmelsfärdsdag', kind: 'helgdag' },
    { date: addDays(easter, 49), name: 'Pingstdagen', kind: 'helgdag' },
    year <= 2004
      ? { date: addDays(easter, 50), name: 'Annandag pingst', kind: 'helgdag' }
      : { date: makeIsoDate(year, 6, 6), name: 'Sveriges nationaldag', kind: 'helgdag' },
    { date: addDays(midsommardagen, -1), name: 'Midsommarafton', kind: 'afton' },
    { date: midsommardagen, name: 'Midsommardagen', kind: 'helgdag' },
    { date: saturdayFrom(year, 10, 31), name: 'Alla helgons dag', kind: 'helgdag' },
    { date: makeIsoDate(year, 12, 24), name: 'Julafton', kind: 'afton' },
    { date: makeIsoDate(year, 12, 25), name: 'Juldagen', kind: 'helgdag' },
    { date: makeIsoDate(year, 12, 26), name: 'Annandag jul', kind: 'helgdag' },
    { date: makeIsoDate(year, 12, 31), name: 'Nyårsafton', kind: 'afton' },
  ];
  return holidays.sort((x, y) => x.date.localeCompare(y.date));
}

const byYear = new Map<number, Map<IsoDate, Holiday>>();

/** The holiday or eve on `date`, if any. Years are computed once and kept. */
export function holidayOn(date: IsoDate): Holiday | undefined {
  const year = Number(date.slice(0, 4));
  let days = byYear.get(year);
  if (!days) {
    days = new Map(swedishHolidays(year).map((h) => [h.date, h]));
    byYear.set(year, days);
  }
  return days.get(date);
}
