/*
 * Text for PDFKit's standard fonts. Helvetica is encoded as WinAnsi (Windows-1252): Swedish and
 * the other western European letters are in it, but a character outside it is not dropped — it
 * garbles the rest of the line. Names and free texts come from users, so every text a PDF prints
 * goes through `winAnsi` first: a letter with a diacritic the encoding lacks loses the diacritic
 * (ễ → e), a few common letters and signs get their usual stand-in (Ł → L, → → ->), and anything
 * else becomes "?", so the rest of the report stays readable.
 */

/** The characters of Windows-1252 beyond Latin-1 (0x80–0x9F). */
const CP1252_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

const STAND_INS: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŀ: 'L',
  ŀ: 'l',
  Ŧ: 'T',
  ŧ: 't',
  ẞ: 'SS',
  '→': '->',
  '←': '<-',
  '≤': '<=',
  '≥': '>=',
  '≠': '!=',
  '−': '-',
  '‐': '-',
  '‑': '-',
  '‒': '–',
  '―': '—',
  '′': "'",
  '″': '"',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u2007': ' ',
};

function encodable(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (
    ch === '\n' ||
    (code >= 0x20 && code <= 0x7e) ||
    (code >= 0xa0 && code <= 0xff) ||
    CP1252_EXTRA.includes(ch)
  );
}

/** `text` with every character Helvetica's WinAnsi encoding lacks replaced (see above). */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').normalize('NFC')) {
    if (encodable(ch)) {
      out += ch;
      continue;
    }
    const standIn = STAND_INS[ch];
    if (standIn !== undefined) {
      out += standIn;
      continue;
    }
    const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
    if (bare !== '' && [...bare].every(encodable)) {
      out += bare;
      continue;
    }
    out += '?';
  }
  return out;
}
