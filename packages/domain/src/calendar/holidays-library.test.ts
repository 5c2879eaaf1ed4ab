import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { addDays, easterSunday, isWorkingDay, swedishHolidays } from '../index';

/**
 * Our holiday calendar against an independent one (date-holidays, country SE). There, the public
 * holidays are type `public` and the three eves that are days off (midsommarafton, julafton,
 * nyårsafton) are type `bank`.
 */
const library = new Holidays('SE');
const FIRST_YEAR = 1990;
const LAST_YEAR = 2100;

function libraryDays(year: number): Set<string> {
  return new Set(
    library
      .getHolidays(year)
      .filter((h) => h.type === 'public' || h.type === 'bank')
      .map((h) => h.date.slice(0, 10)),
  );
}

function ourDays(year: number): Set<string> {
  return new Set(swedishHolidays(year).map((h) => h.date));
}

/**
 * The one deliberate divergence: annandag pingst (Easter + 50) was a public holiday up to and
 * including 2004 and was replaced by nationaldagen from 2005 (SFS 2004:1079); date-holidays lists
 * it only as an observance in every year.
 */
function annandagPingst(year: number): string {
  return addDays(easterSunday(year), 50);
}

const years = Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);

describe(`swedishHolidays agrees with date-holidays (SE), ${FIRST_YEAR}–${LAST_YEAR}`, () => {
  it.each(years)('%i: the same set of days off, both ways', (year) => {
    const ours = ourDays(year);
    const theirs = libraryDays(year);
    const onlyOurs = [...ours].filter((d) => !theirs.has(d)).sort();
    const onlyTheirs = [...theirs].filter((d) => !ours.has(d)).sort();
    expect(onlyTheirs).toEqual([]);
    expect(onlyOurs).toEqual(year <= 2004 ? [annandagPingst(year)] : []);
  });

  it('the divergence is exactly annandag pingst 1990–2004, which the library has as an observance', () => {
    for (const year of years) {
      const date = annandagPingst(year);
      const ours = swedishHolidays(year).find((h) => h.name === 'Annandag pingst');
      const theirs = library
        .getHolidays(year)
        .filter((h) => h.date.slice(0, 10) === date && h.name === 'annandag pingst');
      // The library knows the day, but only as an observance.
      expect(theirs.map((h) => h.type)).toEqual(['observance']);
      if (year <= 2004) {
        expect(ours).toEqual({ date, name: 'Annandag pingst', kind: 'helgdag' });
        expect(isWorkingDay(date)).toBe(false);
      } else {
        expect(ours).toBeUndefined();
        // Always a Monday; a working day unless it is also nationaldagen (2022: 6 June).
        expect(isWorkingDay(date)).toBe(!date.endsWith('-06-06'));
      }
    }
    expect(annandagPingst(2022)).toBe('2022-06-06');
    expect(isWorkingDay('2022-06-06')).toBe(false);
  });

  it('the eves are days off in ours (afton) and bank holidays in the library', () => {
    for (const year of years) {
      const eves = swedishHolidays(year)
        .filter((h) => h.kind === 'afton')
        .map((h) => h.date);
      const bank = library
        .getHolidays(year)
        .filter((h) => h.type === 'bank')
        .map((h) => h.date.slice(0, 10));
      expect(eves.sort()).toEqual(bank.sort());
    }
  });
});
