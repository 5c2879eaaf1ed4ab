import { addDays, type IsoDate, isoWeekday } from './dates';
import { holidayOn } from './holidays';

/** Monday–Friday, not a public holiday, and not midsommarafton, julafton or nyårsafton. */
export function isWorkingDay(date: IsoDate): boolean {
  return isoWeekday(date) <= 5 && holidayOn(date) === undefined;
}

/** The first working day on or after `date`. */
export function nextWorkingDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The last working day on or before `date`. */
export function previousWorkingDay(date: IsoDate): IsoDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return day;
}
