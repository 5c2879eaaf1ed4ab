/** A valid personnummer: birth date `YYYYMMDD`, three serial digits, and the Luhn check digit. */
export function pnr(birth: string, serial: string): string {
  const nine = `${birth.slice(2)}${serial}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let digit = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return `${birth}${serial}${(10 - (sum % 10)) % 10}`;
}
