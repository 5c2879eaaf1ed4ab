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

/**
 * `text` with every word wider than `maxWidth` cut into pieces that fit, one per line. PDFKit
 * cuts such a word itself, but measures the rest of the word again for every line it takes —
 * time that grows with the square of the word's length: one word of a megabyte held the server
 * for minutes. Here each character is measured once (`widthOf`, which the caller caches), so
 * the time grows with the text's length; words that fit are left alone. A word is a run of
 * characters other than white space.
 */
export function breakLongWords(
  text: string,
  maxWidth: number,
  widthOf: (ch: string) => number,
): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/\S{2,}/g)) {
    const word = match[0];
    let width = 0;
    for (const ch of word) {
      width += widthOf(ch);
      if (width > maxWidth) break;
    }
    if (width <= maxWidth) continue;
    const pieces: string[] = [];
    let piece = '';
    width = 0;
    for (const ch of word) {
      const w = widthOf(ch);
      if (piece !== '' && width + w > maxWidth) {
        pieces.push(piece);
        piece = '';
        width = 0;
      }
      piece += ch;
      width += w;
    }
    pieces.push(piece);
    out += text.slice(last, match.index) + pieces.join('\n');
    last = match.index + word.length;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * A measure of single characters for `breakLongWords`, in the document's current font and size,
 * each character measured once per font and size.
 */
export function characterWidths(
  doc: PDFKit.PDFDocument,
): (font: string, size: number) => (ch: string) => number {
  const caches = new Map<string, Map<string, number>>();
  return (font, size) => {
    const key = `${font}|${size}`;
    let cache = caches.get(key);
    if (!cache) {
      cache = new Map();
      caches.set(key, cache);
    }
    const widths = cache;
    return (ch) => {
      let width = widths.get(ch);
      if (width === undefined) {
        width = doc.font(font).fontSize(size).widthOfString(ch);
        widths.set(ch, width);
      }
      return width;
    };
  };
}

/** A text longer than `max` characters, cut after `max` with a note of its whole length. */
export function clipped(text: string, max: number): string {
  if (text.length <= max) return text;
  const length = String(text.length).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${text.slice(0, max)} […] (förkortad här: texten har ${length} tecken)`;
}
