import PDFDocument from 'pdfkit';

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

/** Texts made only of characters WinAnsi has (most texts): `winAnsi` leaves them as they are. */
const ALL_ENCODABLE = new RegExp(`^[\\n\\x20-\\x7e\\xa0-\\xff${CP1252_EXTRA}]*$`);

/** `text` with every character Helvetica's WinAnsi encoding lacks replaced (see above). */
export function winAnsi(text: string): string {
  if (ALL_ENCODABLE.test(text)) return text;
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

/*
 * Measuring and breaking lines for the PDF writer (pdf-writer.ts), without PDFKit's per-word
 * machinery: PDFKit measures every word again for every text it lays out (building glyph names
 * and looking up kerning pairs by string), and lays out each text twice when it is first
 * measured, which made a quarter of thousands of reports take tens of seconds. Here each
 * character's width and each kerning pair is looked up in a table by its WinAnsi code; the
 * numbers themselves are PDFKit's (its copy of Adobe's metrics for the standard fonts), read
 * once through its public widthOfString.
 */

export type FontName = 'Helvetica' | 'Helvetica-Bold';

/** The WinAnsi code of each character of Windows-1252 beyond Latin-1 (CP1252_EXTRA, in order). */
const CP1252_CODE: ReadonlyMap<number, number> = new Map(
  [
    0x80, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8e, 0x91, 0x92, 0x93,
    0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9e, 0x9f,
  ].map((code, i) => [CP1252_EXTRA.charCodeAt(i), code]),
);

/** The WinAnsi byte of a UTF-16 code unit that `winAnsi` kept ("?" for any other). */
export function winAnsiCode(unit: number): number {
  return unit <= 0xff ? unit : (CP1252_CODE.get(unit) ?? 0x3f);
}

/** The character PDFKit measures for a WinAnsi byte. */
function characterOfCode(code: number): string {
  for (const [unicode, c] of CP1252_CODE) if (c === code) return String.fromCharCode(unicode);
  return String.fromCharCode(code);
}

/** A standard font's metrics, in thousandths of the font size. */
export type FontMetrics = {
  readonly name: FontName;
  /** The advance of each WinAnsi code. */
  readonly widths: Float64Array;
  /** A line's height with the font's line gap, as PDFKit moves down a line. */
  readonly lineHeight: number;
  /** From the top of a line to its baseline. */
  readonly ascender: number;
  /** The kerning between two WinAnsi codes (negative: closer). */
  kern(left: number, right: number): number;
  /**
   * The kerning of each pair looked up so far, at `left << 8 | right`; NaN where not yet (then
   * `kern` looks it up). For the loops that measure every character.
   */
  readonly kerns: Float64Array;
};

/**
 * The ascender of Helvetica and Helvetica-Bold in Adobe's metrics (both 718): PDFKit places a
 * line's baseline this far below its top.
 */
const ASCENDER = 718;

function loadMetrics(name: FontName): FontMetrics {
  // A document that is never written: only its measuring is used.
  const doc = new PDFDocument({ autoFirstPage: false });
  doc.font(name).fontSize(1000);
  const widthOf = (text: string) => doc.widthOfString(text);
  const widths = new Float64Array(256);
  const characters: string[] = [];
  for (let code = 0; code < 256; code++) {
    characters[code] = characterOfCode(code);
    widths[code] = widthOf(characters[code]!);
  }
  const kerns = new Float64Array(256 * 256).fill(Number.NaN);
  return {
    name,
    widths,
    lineHeight: doc.currentLineHeight(true),
    ascender: ASCENDER,
    kerns,
    kern(left, right) {
      const at = (left << 8) | right;
      let kern = kerns[at]!;
      if (Number.isNaN(kern)) {
        kern = widthOf(characters[left]! + characters[right]!) - widths[left]! - widths[right]!;
        kerns[at] = kern;
      }
      return kern;
    },
  };
}

const metricsCache = new Map<FontName, FontMetrics>();

export function fontMetrics(name: FontName): FontMetrics {
  let metrics = metricsCache.get(name);
  if (!metrics) {
    metrics = loadMetrics(name);
    metricsCache.set(name, metrics);
  }
  return metrics;
}

/** `text`'s width at `size` points, kerning included, as PDFKit's widthOfString gives it. */
export function widthOfText(text: string, metrics: FontMetrics, size: number): number {
  const { widths, kerns } = metrics;
  let width = 0;
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const code = unit <= 0xff ? unit : winAnsiCode(unit);
    width += widths[code]!;
    if (previous >= 0) {
      const kern = kerns[(previous << 8) | code]!;
      width += Number.isNaN(kern) ? metrics.kern(previous, code) : kern;
    }
    previous = code;
  }
  return (width * size) / 1000;
}

/** The largest 32-bit float at most `n`: PDFKit compares widths and positions in these. */
const float = new Float32Array(1);
const floatBits = new Uint32Array(float.buffer);
export function pdfNumber(n: number): number {
  const rounded = Math.fround(n);
  if (rounded <= n) return rounded;
  float[0] = n;
  if (n <= 0) floatBits[0]! += 1;
  else floatBits[0]! -= 1;
  return float[0]!;
}

/*
 * Where a line may break: the Unicode line breaking rules (UAX #14, which PDFKit follows) for the
 * characters WinAnsi has — after spaces, after a hyphen or dash or slash unless a number follows
 * ("2026-01-15" stays whole, "IVO-id" may break after the hyphen), never before closing
 * punctuation or inside quotes — and always after a line break.
 */
enum Kind {
  Letter,
  Space,
  LineBreak,
  /** Break after: tab, en dash, soft hyphen. */
  After,
  Hyphen,
  /** Em dash: break before and after. */
  Dash,
  Slash,
  /** ! ? */
  Exclamation,
  /** … */
  Ellipsis,
  /** , . : ; */
  Infix,
  Open,
  Close,
  Digit,
  /** No-break space. */
  Glue,
  Quote,
}

const KIND_OF = (() => {
  const kinds = new Uint8Array(256).fill(Kind.Letter);
  const set = (chars: string, kind: Kind) => {
    for (const ch of chars) kinds[winAnsiCode(ch.charCodeAt(0))] = kind;
  };
  set(' ', Kind.Space);
  set('\n', Kind.LineBreak);
  set('\t–\u00ad', Kind.After);
  set('-', Kind.Hyphen);
  set('—', Kind.Dash);
  set('/', Kind.Slash);
  set('!?', Kind.Exclamation);
  set('…', Kind.Ellipsis);
  set(',.:;', Kind.Infix);
  set('([{¡¿', Kind.Open);
  set(')]}', Kind.Close);
  set('0123456789', Kind.Digit);
  set('\u00a0', Kind.Glue);
  set('"\'‘’“”«»‹›', Kind.Quote);
  return kinds;
})();

/** Whether a line may break between two characters of these kinds (not after a line break). */
function mayBreak(before: Kind, after: Kind): boolean {
  if (after === Kind.Space || after === Kind.LineBreak) return false;
  if (
    after === Kind.Close ||
    after === Kind.Exclamation ||
    after === Kind.Infix ||
    after === Kind.Slash
  ) {
    return false;
  }
  if (before === Kind.Open) return false;
  if (before === Kind.Space) return true;
  if (before === Kind.Glue || after === Kind.Glue) return false;
  if (after === Kind.After || after === Kind.Hyphen || after === Kind.Ellipsis) return false;
  if (before === Kind.Quote || after === Kind.Quote) return false;
  if (before === Kind.Dash) return after !== Kind.Dash;
  if (before === Kind.After || before === Kind.Hyphen || before === Kind.Slash) {
    return after !== Kind.Digit;
  }
  if (before === Kind.Ellipsis || before === Kind.Exclamation) return true;
  return after === Kind.Dash;
}

/** A line of wrapped text: its characters (no line break) and its width at its size. */
export type WrappedLine = { text: string; width: number };

/**
 * `text` broken into lines no wider than `width` at `size`, as PDFKit's LineWrapper breaks it:
 * a word keeps its trailing spaces, and fits when its width with them is what is left of the
 * line; a line break ends a line (an empty line too). A word wider than a whole line starts a
 * line of its own and is cut, character by character, into lines that fit, in time that grows
 * with its length. (No closures inside: under tsx every function made in a loop costs a call.)
 */
export function wrapText(
  text: string,
  metrics: FontMetrics,
  size: number,
  width: number,
): WrappedLine[] {
  const lines: WrappedLine[] = [];
  const scale = size / 1000;
  const { widths, kerns } = metrics;
  let line = '';
  let lineWidth = 0;
  let spaceLeft = width;
  let open = false;
  let start = 0;
  const length = text.length;
  while (start < length) {
    // The next word: up to and with the first place a line may break.
    let end = start;
    let previous = -1;
    let units = 0;
    let required = false;
    let unit = text.charCodeAt(end);
    let code = unit <= 0xff ? unit : winAnsiCode(unit);
    for (;;) {
      const kind = KIND_OF[code]!;
      end++;
      if (kind === Kind.LineBreak) {
        required = true;
        break;
      }
      units += widths[code]!;
      if (previous >= 0) {
        const kern = kerns[(previous << 8) | code]!;
        units += Number.isNaN(kern) ? metrics.kern(previous, code) : kern;
      }
      previous = code;
      if (end >= length) break;
      unit = text.charCodeAt(end);
      code = unit <= 0xff ? unit : winAnsiCode(unit);
      if (mayBreak(kind, KIND_OF[code]!)) break;
    }
    const word = text.slice(start, required ? end - 1 : end);
    start = end;
    const w = pdfNumber(units * scale);
    if (w > width) {
      // Wider than a line: on lines of its own, cut where each is full.
      if (open) {
        lines.push({ text: line, width: lineWidth });
      }
      let piece = 0;
      let pieceUnits = 0;
      let before = -1;
      for (let i = 0; i < word.length; i++) {
        const c = winAnsiCode(word.charCodeAt(i));
        const add = widths[c]! + (before >= 0 ? metrics.kern(before, c) : 0);
        if (i > piece && (pieceUnits + add) * scale > width) {
          lines.push({ text: word.slice(piece, i), width: pdfNumber(pieceUnits * scale) });
          piece = i;
          pieceUnits = widths[c]!;
        } else {
          pieceUnits += add;
        }
        before = c;
      }
      line = word.slice(piece);
      lineWidth = pdfNumber(pieceUnits * scale);
      spaceLeft = width - lineWidth;
      open = true;
    } else if (w <= spaceLeft) {
      line += word;
      lineWidth += w;
      spaceLeft -= w;
      open = true;
    } else {
      lines.push({ text: line, width: lineWidth });
      line = word;
      lineWidth = w;
      spaceLeft = width - w;
      open = true;
    }
    if (required) {
      lines.push({ text: line, width: lineWidth });
      line = '';
      lineWidth = 0;
      spaceLeft = width;
      open = false;
    }
  }
  if (open) lines.push({ text: line, width: lineWidth });
  return lines;
}

/** A string's characters as PDF literal string bytes: WinAnsi codes, ( ) \\ escaped. */
function literal(text: string): string {
  let out = text;
  if (/[()\\]/.test(out)) out = out.replace(/[()\\]/g, '\\$&');
  if (/[\u0100-\uffff]/.test(out)) {
    out = out.replace(/[\u0100-\uffff]/g, (ch) =>
      String.fromCharCode(winAnsiCode(ch.charCodeAt(0))),
    );
  }
  return out;
}

/** A PDF content stream's text-showing operator for `text`: WinAnsi bytes, kerned as PDFKit. */
export function showText(text: string, metrics: FontMetrics): string {
  const { kerns } = metrics;
  let out = '';
  let from = 0;
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const code = unit <= 0xff ? unit : winAnsiCode(unit);
    if (previous >= 0) {
      let kern = kerns[(previous << 8) | code]!;
      if (Number.isNaN(kern)) kern = metrics.kern(previous, code);
      if (kern !== 0) {
        out += `(${literal(text.slice(from, i))})${-kern} `;
        from = i;
      }
    }
    previous = code;
  }
  return from === 0 ? `(${literal(text)}) Tj` : `[${out}(${literal(text.slice(from))})] TJ`;
}
