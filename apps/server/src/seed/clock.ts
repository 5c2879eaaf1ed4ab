import { addDays, type IsoDate } from '@evb/domain';

/*
 * Timestamps for seeded rows. Every rule works on dates; timestamps only order what happened on
 * the same day and tell when something was registered, so they are made from the date: office
 * hours in Stockholm for past days, and just after midnight today (so nothing is stamped later
 * than the moment of seeding).
 */

const offsetCache = new Map<IsoDate, number>();

const stockholmHour = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** Minutes Stockholm is ahead of UTC at noon on `date` (60 in winter, 120 in summer). */
function stockholmOffsetMinutes(date: IsoDate): number {
  let offset = offsetCache.get(date);
  if (offset === undefined) {
    const noonUtc = new Date(`${date}T12:00:00Z`);
    offset = (Number(stockholmHour.format(noonUtc)) - 12) * 60;
    offsetCache.set(date, offset);
  }
  return offset;
}

/** The instant `minutes` after midnight on `date` in Stockholm. */
export function stockholmTime(date: IsoDate, minutes: number): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  // The offset at noon is the day's offset except on the two nights the clocks change, at 02–03.
  return new Date(midnightUtc + (minutes - stockholmOffsetMinutes(date)) * 60_000);
}

/**
 * When the `index`-th thing on `date` was recorded: from 08:00 one minute apart on past days, and
 * from midnight one second apart today.
 */
export function recordedOn(date: IsoDate, index: number, today: IsoDate): Date {
  if (date < today) return stockholmTime(date, 8 * 60 + index);
  return new Date(stockholmTime(date, 0).getTime() + index * 1000);
}

/** A working moment `days` after `date`, but never after today. */
export function registeredAfter(date: IsoDate, days: number, today: IsoDate, index = 0): Date {
  const day = addDays(date, days);
  return day < today ? stockholmTime(day, 9 * 60 + index) : recordedOn(today, index, today);
}
