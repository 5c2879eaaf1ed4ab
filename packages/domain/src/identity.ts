import { formatSwedishDate, type IsoDate, isIsoDate } from './calendar/dates';
import { DomainError } from './errors';

export type Kon = 'kvinna' | 'man';

const PNR = /^(\d{8})-?(\d{4})$/;

/** Luhn over the ten digits YYMMDDNNNC. */
function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < tenDigits.length; i++) {
    let digit = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Birth date of a 12-digit personnummer or samordningsnummer (day + 60), or null if there is none. */
export function birthDateOfPersonnummer(pnr: string): IsoDate | null {
  const match = PNR.exec(pnr.trim());
  if (!match) return null;
  const digits = match[1]!;
  const day = Number(digits.slice(6, 8));
  const realDay = day > 60 ? day - 60 : day;
  const date = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${String(realDay).padStart(2, '0')}`;
  return isIsoDate(date) ? date : null;
}

/**
 * A real personnummer or samordningsnummer: 12 digits (`YYYYMMDDNNNN`, optionally
 * `YYYYMMDD-NNNN`), a real birth date (samordningsnummer: day + 60) and a valid Luhn check digit.
 */
export function isValidPersonnummer(pnr: string): boolean {
  const match = PNR.exec(pnr);
  if (!match || birthDateOfPersonnummer(pnr) === null) return false;
  return luhnValid(`${match[1]!.slice(2)}${match[2]}`);
}

export function isSamordningsnummer(pnr: string): boolean {
  return isValidPersonnummer(pnr) && Number(pnr.slice(6, 8)) > 60;
}

/** `YYYYMMDD-NNNN`, the form shown to people. */
export function formatPersonnummer(pnr: string): string {
  const match = PNR.exec(pnr.trim());
  if (!match) throw new DomainError('Ogiltigt personnummer');
  return `${match[1]}-${match[2]}`;
}

/** The second-to-last digit: odd for men, even for women. */
export function konOfPersonnummer(pnr: string): Kon | null {
  const match = PNR.exec(pnr.trim());
  if (!match) return null;
  return Number(match[2]![2]) % 2 === 0 ? 'kvinna' : 'man';
}

/** What an utförare or matchare may see of a personnummer: the birth date only. */
export function maskPersonnummer(pnr: string): string {
  const match = PNR.exec(pnr.trim());
  return match ? `${match[1]}-****` : '****';
}

const IVO_ID = /^(\d{8})-(T\d{3}|TF\d{2})$/;

/**
 * The sex an IVO pseudo-id carries: the third character after the dash (`2` in `T123`, `1` in
 * `TF10`), even for kvinna, odd for man. Null when the id is not `YYYYMMDD-T###` / `YYYYMMDD-TF##`
 * with a real date.
 */
export function ivoIdSex(id: string): Kon | null {
  const match = IVO_ID.exec(id);
  if (!match) return null;
  const [, birth, suffix] = match as unknown as [string, string, string];
  if (!isIsoDate(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`)) return null;
  return Number(suffix[2]) % 2 === 0 ? 'kvinna' : 'man';
}

/**
 * Mints the pseudo-id IVO's reports carry for a person: birth date plus `T` and three digits whose
 * middle digit gives the sex (even kvinna, odd man), or `TF` and two digits when every `T` number is
 * taken for that birth date and sex. The lowest free number is chosen, so the result is stable for
 * the same input; the caller stores it once and uses it for the whole reporting time.
 */
export function mintIvoPseudoId(
  person: { birthDate: IsoDate; kon: Kon },
  taken: Iterable<string> = [],
): string {
  if (!isIsoDate(person.birthDate)) throw new DomainError('Ogiltigt födelsedatum');
  const prefix = person.birthDate.replaceAll('-', '');
  const used = new Set(taken);
  const parity = person.kon === 'kvinna' ? 0 : 1;
  for (let n = 0; n < 1000; n++) {
    const digits = String(n).padStart(3, '0');
    if (Number(digits[1]) % 2 !== parity) continue;
    const id = `${prefix}-T${digits}`;
    if (!used.has(id)) return id;
  }
  for (let n = 0; n < 100; n++) {
    const digits = String(n).padStart(2, '0');
    if (Number(digits[0]) % 2 !== parity) continue;
    const id = `${prefix}-TF${digits}`;
    if (!used.has(id)) return id;
  }
  throw new DomainError(
    `Alla IVO-nummer för födelsedatum ${formatSwedishDate(person.birthDate)} är upptagna`,
  );
}
