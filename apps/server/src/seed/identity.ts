import { addDays, type IsoDate, isValidPersonnummer, type Kon, mintIvoPseudoId } from '@evb/domain';
import { FEMALE_NAMES, MALE_NAMES, SURNAMES } from './names';
import type { Random } from './random';

/** A person as the seed writes it (the `person` table). */
export type SeedPerson = {
  id: string;
  kommunId: string;
  fornamn: string;
  efternamn: string;
  personnummer: string | null;
  identitet: 'personnummer' | 'samordningsnummer' | 'saknas';
  kon: Kon;
  fodelsedatum: IsoDate;
  skyddadIdentitet: boolean;
  ivoId: string;
  createdAt: Date;
};

/** The Luhn check digit of the nine digits YYMMDDNNN. */
function checkDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let digit = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A personnummer (or samordningsnummer, day + 60) for a birth date and sex: 12 digits, the
 * second-to-last digit odd for men and even for women, and a valid Luhn check digit.
 */
export function makePersonnummer(
  birthDate: IsoDate,
  kon: Kon,
  serial: number,
  samordningsnummer = false,
): string {
  const [y, m, d] = birthDate.split('-') as [string, string, string];
  const day = samordningsnummer ? String(Number(d) + 60) : d;
  // Serial 0–499 becomes the three birth-number digits NNN with the sex in the last one.
  const sexDigit = ((serial % 5) * 2 + (kon === 'man' ? 1 : 0)) % 10;
  const nnn = `${String(Math.floor(serial / 5) % 100).padStart(2, '0')}${sexDigit}`;
  const nine = `${y.slice(2)}${m}${day}${nnn}`;
  return `${y}${m}${day}${nnn}${checkDigit(nine)}`;
}

/**
 * Makes persons for one deployment: unique personnummer per kommun, IVO pseudo-ids minted by the
 * domain's rule and unique across all kommuner (as the `person` table demands).
 */
export class PersonFactory {
  private readonly numbersByKommun = new Map<string, Set<string>>();
  private readonly ivoIdsByBirthDate = new Map<IsoDate, Set<string>>();

  constructor(private readonly random: Random) {}

  /** A person born between `minAge` and `maxAge` years before `today`. */
  make(kommunId: string, today: IsoDate, minAge: number, maxAge: number, createdAt: Date) {
    const r = this.random;
    const kon: Kon = r.chance(0.5) ? 'kvinna' : 'man';
    const age = r.int(minAge, maxAge);
    const fodelsedatum = addDays(today, -(age * 365 + r.int(0, 364)));
    const identitet = r.weighted([
      ['personnummer', 90],
      ['samordningsnummer', 6],
      ['saknas', 4],
    ] as const);
    const personnummer =
      identitet === 'saknas'
        ? null
        : this.freeNumber(kommunId, fodelsedatum, kon, identitet === 'samordningsnummer');
    const taken = this.ivoIdsByBirthDate.get(fodelsedatum) ?? new Set<string>();
    this.ivoIdsByBirthDate.set(fodelsedatum, taken);
    const ivoId = mintIvoPseudoId({ birthDate: fodelsedatum, kon }, taken);
    taken.add(ivoId);
    const person: SeedPerson = {
      id: r.uuid(),
      kommunId,
      fornamn: r.pick(kon === 'kvinna' ? FEMALE_NAMES : MALE_NAMES),
      efternamn: r.pick(SURNAMES),
      personnummer,
      identitet,
      kon,
      fodelsedatum,
      // About one in fifty has skyddade personuppgifter.
      skyddadIdentitet: r.chance(0.02),
      ivoId,
      createdAt,
    };
    return person;
  }

  private freeNumber(kommunId: string, birthDate: IsoDate, kon: Kon, samordning: boolean): string {
    const used = this.numbersByKommun.get(kommunId) ?? new Set<string>();
    this.numbersByKommun.set(kommunId, used);
    const start = this.random.int(0, 499);
    for (let i = 0; i < 500; i++) {
      const pnr = makePersonnummer(birthDate, kon, (start + i) % 500, samordning);
      if (!used.has(pnr)) {
        if (!isValidPersonnummer(pnr)) throw new Error(`generated an invalid personnummer ${pnr}`);
        used.add(pnr);
        return pnr;
      }
    }
    throw new Error(`no free personnummer for ${birthDate} in ${kommunId}`);
  }
}
