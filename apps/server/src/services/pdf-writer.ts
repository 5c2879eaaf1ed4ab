import { deflateSync } from 'node:zlib';
import {
  type FontMetrics,
  type FontName,
  fontMetrics,
  pdfNumber,
  showText,
  type WrappedLine,
  widthOfText,
  wrapText,
} from './pdf-text';

/*
 * A PDF file written as it is made, for the exports' PDFs (individrapport-pdf.ts): A4 pages set in
 * PDF's standard Helvetica and Helvetica-Bold (WinAnsi-encoded, nothing embedded), each page's
 * content written to the output as soon as the page is done, so a PDF of thousands of pages
 * streams from its first page and is never held whole in memory.
 *
 * A page has two content streams: its body, written when the page is done, and its overlay
 * (header, footer, numbers that are known only at the end, such as "Sida 3 av 4 612"), written
 * with the page objects at the end. A viewer draws them as one.
 *
 * Objects: 1 the page tree, 2 the shared resources, 3 and 4 the fonts, then the bodies as they
 * come, and at the end the overlays, the pages, the document information and the catalog, with
 * the cross-reference table that says where each one starts.
 */

export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;

/** The resource names of the fonts in content streams. */
export const FONT_RESOURCE = { Helvetica: 'F1', 'Helvetica-Bold': 'F2' } as const;

export type PdfInfo = { title: string; author: string; subject: string; lang: string };

const PAGES_ID = 1;
const RESOURCES_ID = 2;

/** How hard page content is compressed: zlib's fastest level, for a file about 5 % larger than its default (6) in three quarters of the time. */
const COMPRESSION_LEVEL = 1;

/** A text string in a PDF object: literal when ASCII, else UTF-16BE with its byte order mark. */
function pdfString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, '\\$&')})`;
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${hex}>`;
}

/** A date as PDF writes one: D:YYYYMMDDHHmmSSZ (UTC). */
function pdfDate(date: Date): string {
  return `D:${date
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

export class PdfWriter {
  /** Byte offset of each object by its number (0 is the free head of the table). */
  private readonly offsets: number[] = [0];
  private position = 0;
  private ended = false;

  constructor(
    private readonly info: PdfInfo,
    private readonly write: (chunk: Uint8Array) => void,
    private readonly created: Date = new Date(),
  ) {
    // The second line's bytes above 127 tell a transfer program that the file is binary.
    this.raw(Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'));
    this.offsets[PAGES_ID] = -1;
    this.object(
      RESOURCES_ID,
      `<< /ProcSet [/PDF /Text] /Font << ${Object.entries(FONT_RESOURCE)
        .map(([, name], i) => `/${name} ${RESOURCES_ID + 1 + i} 0 R`)
        .join(' ')} >> >>`,
    );
    for (const [font] of Object.entries(FONT_RESOURCE)) {
      this.object(
        this.offsets.length,
        `<< /Type /Font /Subtype /Type1 /BaseFont /${font} /Encoding /WinAnsiEncoding >>`,
      );
    }
  }

  /**
   * Writes a content stream (operators, characters as WinAnsi bytes) and gives its object
   * number, for a page's contents at `end`.
   */
  addContent(content: string): number {
    const id = this.offsets.length;
    const data = deflateSync(Buffer.from(content, 'latin1'), { level: COMPRESSION_LEVEL });
    this.offsets[id] = this.position;
    this.raw(
      Buffer.concat([
        Buffer.from(
          `${id} 0 obj\n<< /Length ${data.byteLength} /Filter /FlateDecode >>\nstream\n`,
          'latin1',
        ),
        data,
        Buffer.from('\nendstream\nendobj\n', 'latin1'),
      ]),
    );
    return id;
  }

  /**
   * Ends the file: the pages in their order, each with its content streams (written before with
   * addContent, drawn in the order given), the document information, the catalog and the
   * cross-reference table.
   */
  end(pages: readonly (readonly number[])[]): void {
    if (this.ended) throw new Error('The PDF is already ended');
    this.ended = true;
    const ids = pages.map((contents) => {
      const id = this.offsets.length;
      this.object(
        id,
        `<< /Type /Page /Parent ${PAGES_ID} 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
          `/Resources ${RESOURCES_ID} 0 R /Contents [${contents.map((c) => `${c} 0 R`).join(' ')}] >>`,
      );
      return id;
    });
    this.object(
      PAGES_ID,
      `<< /Type /Pages /Count ${ids.length} /Kids [${ids.map((p) => `${p} 0 R`).join(' ')}] >>`,
    );
    const infoId = this.offsets.length;
    this.object(
      infoId,
      `<< /Title ${pdfString(this.info.title)} /Author ${pdfString(this.info.author)} ` +
        `/Subject ${pdfString(this.info.subject)} /Creator (evb) /Producer (evb) ` +
        `/CreationDate (${pdfDate(this.created)}) >>`,
    );
    const catalogId = this.offsets.length;
    this.object(
      catalogId,
      `<< /Type /Catalog /Pages ${PAGES_ID} 0 R /Lang ${pdfString(this.info.lang)} ` +
        '/ViewerPreferences << /DisplayDocTitle true >> >>',
    );
    const xref = this.position;
    const entries = this.offsets.map((offset, id) =>
      id === 0 ? '0000000000 65535 f \n' : `${String(offset).padStart(10, '0')} 00000 n \n`,
    );
    this.raw(
      Buffer.from(
        `xref\n0 ${this.offsets.length}\n${entries.join('')}` +
          `trailer\n<< /Size ${this.offsets.length} /Root ${catalogId} 0 R /Info ${infoId} 0 R >>\n` +
          `startxref\n${xref}\n%%EOF\n`,
        'latin1',
      ),
    );
  }

  private raw(bytes: Uint8Array): void {
    this.write(bytes);
    this.position += bytes.byteLength;
  }

  private object(id: number, body: string): void {
    this.offsets[id] = this.position;
    this.raw(Buffer.from(`${id} 0 obj\n${body}\nendobj\n`, 'latin1'));
  }
}

/** A colour as `#rrggbb`. */
type Colour = string;

/** A PDF number: at most three decimals, never in exponent form. */
function num(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

const colours = new Map<Colour, string>();

/** A colour's three components for `rg` and `RG`. */
function rgb(colour: Colour): string {
  let components = colours.get(colour);
  if (components === undefined) {
    const value = Number.parseInt(colour.slice(1), 16);
    components = [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]
      .map((c) => num(c / 255))
      .join(' ');
    colours.set(colour, components);
  }
  return components;
}

/** Text broken into lines for a column, in the font and size it was broken for. */
export type TextBlock = {
  lines: WrappedLine[];
  metrics: FontMetrics;
  size: number;
  /** Ends with a line break: the last line is followed by a page check too (as in PDFKit). */
  endsWithBreak: boolean;
};

/**
 * One content stream being written: text lines, rules and frames, in PDFKit's coordinates (from
 * the top left corner of the page, y downwards), with the fill colour and font it last set.
 */
class Content {
  private readonly parts: string[] = [];
  private fill = '#000000';
  private font: FontMetrics | null = null;
  private size = 0;

  line(text: string, x: number, top: number, metrics: FontMetrics, size: number, fill: Colour) {
    if (text === '') return;
    if (fill !== this.fill) {
      this.parts.push(`${rgb(fill)} rg\n`);
      this.fill = fill;
    }
    const font =
      metrics === this.font && size === this.size
        ? ''
        : `/${FONT_RESOURCE[metrics.name]} ${num(size)} Tf `;
    this.font = metrics;
    this.size = size;
    const baseline = PAGE_HEIGHT - top - (metrics.ascender * size) / 1000;
    this.parts.push(
      `BT ${font}1 0 0 1 ${num(x)} ${num(baseline)} Tm ${showText(text, metrics)} ET\n`,
    );
  }

  rule(x1: number, x2: number, y: number, colour: Colour, width: number) {
    const at = num(PAGE_HEIGHT - y);
    this.parts.push(
      `q ${num(width)} w ${rgb(colour)} RG ${num(x1)} ${at} m ${num(x2)} ${at} l S Q\n`,
    );
  }

  frame(x: number, y: number, width: number, height: number, colour: Colour, lineWidth: number) {
    this.parts.push(
      `q ${num(lineWidth)} w ${rgb(colour)} RG ${num(x)} ${num(PAGE_HEIGHT - y - height)} ` +
        `${num(width)} ${num(height)} re S Q\n`,
    );
  }

  toString(): string {
    return this.parts.join('');
  }
}

type Margins = { top: number; bottom: number; left: number; right: number };

/** Options of a text: the column's width, the space between lines, the alignment. */
export type TextOptions = { width: number; lineGap?: number; align?: 'left' | 'right' };

/**
 * Drawing on a page that is not part of the flow: a page's overlay (header, footer, numbers
 * known at the end). Text is broken for its column but never moves to another page.
 */
export class PdfCanvas {
  protected metrics: FontMetrics = fontMetrics('Helvetica');
  protected size = 12;
  protected fill: Colour = '#000000';
  /** Where the next text goes when none is given, as PDFKit's doc.y. */
  y: number;

  constructor(
    protected content: Content,
    top: number,
  ) {
    this.y = top;
  }

  font(name: FontName): this {
    this.metrics = fontMetrics(name);
    return this;
  }

  fontSize(size: number): this {
    this.size = size;
    return this;
  }

  fillColor(colour: Colour): this {
    this.fill = colour;
    return this;
  }

  /** The height of a line in the current font and size, its gap included (PDFKit's). */
  currentLineHeight(): number {
    return (this.metrics.lineHeight * this.size) / 1000;
  }

  moveDown(lines = 1): this {
    this.y += this.currentLineHeight() * lines;
    return this;
  }

  /** `text` broken for a column `width` wide, in the current font and size. */
  layout(text: string, width: number): TextBlock {
    return {
      lines: wrapText(text, this.metrics, this.size, width),
      metrics: this.metrics,
      size: this.size,
      endsWithBreak: text.endsWith('\n'),
    };
  }

  /** The height `text` takes in a column (PDFKit's heightOfString). */
  heightOf(block: TextBlock, lineGap = 0): number {
    return block.lines.length * ((block.metrics.lineHeight * block.size) / 1000 + lineGap);
  }

  /** Draws `text` (or a block laid out before, in the current font) from (x, y) down. */
  text(text: string | TextBlock, x: number, y: number, options: TextOptions): this {
    const block = typeof text === 'string' ? this.layout(text, options.width) : text;
    const lineGap = options.lineGap ?? 0;
    const height = (block.metrics.lineHeight * block.size) / 1000;
    this.y = y;
    this.startText(height);
    const { lines } = block;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const shown =
        options.align === 'right'
          ? x +
            options.width -
            widthOfText(line.text.replace(/\s+$/, ''), block.metrics, block.size)
          : x;
      this.content.line(line.text, shown, this.y, block.metrics, block.size, this.fill);
      this.y += height + lineGap;
      if (i < lines.length - 1 || block.endsWithBreak) this.afterLine(height);
    }
    return this;
  }

  rule(x1: number, x2: number, y: number, colour: Colour, width: number): this {
    this.content.rule(x1, x2, y, colour, width);
    return this;
  }

  frame(x: number, y: number, width: number, height: number, colour: Colour, lineWidth: number) {
    this.content.frame(x, y, width, height, colour, lineWidth);
    return this;
  }

  /** Before a text's first line (a flowing page moves to the next page when it does not fit). */
  protected startText(_lineHeight: number): void {}

  /** After a line that another follows. */
  protected afterLine(_lineHeight: number): void {}
}

/** What `draw` draws on a canvas of its own, as a content stream's operators. */
export function drawnContent(draw: (canvas: PdfCanvas) => void): string {
  const content = new Content();
  draw(new PdfCanvas(content, 0));
  return content.toString();
}

/**
 * Pages laid out top to bottom with PDFKit's flow: a text that reaches the bottom margin goes on
 * at the top of a new page. Each page's body is written to the file when the next one starts
 * (and the last at `finish`); a document may have several such flows (the quarter's PDF lays out
 * its cover last), ordered as it likes at the writer's `end`.
 */
export class PdfPages extends PdfCanvas {
  private readonly maxY: number;
  /** The body stream of each page laid out and written, in order. */
  private readonly bodies: number[] = [];
  private finished = false;
  /** Called when a page is added, before anything is drawn on it. */
  onPageAdded: () => void = () => {};

  constructor(
    private readonly writer: PdfWriter,
    readonly margins: Margins,
  ) {
    super(new Content(), margins.top);
    this.maxY = pdfNumber(PAGE_HEIGHT - margins.bottom);
  }

  /** The index of the page being laid out (0 for the first). */
  get pageIndex(): number {
    return this.bodies.length;
  }

  /** The bottom of the flow: text below it goes on the next page. */
  get bottom(): number {
    return PAGE_HEIGHT - this.margins.bottom;
  }

  addPage(): this {
    this.bodies.push(this.writer.addContent(this.content.toString()));
    this.content = new Content();
    this.y = this.margins.top;
    this.onPageAdded();
    return this;
  }

  protected override startText(lineHeight: number): void {
    if (this.y > this.maxY || this.y + lineHeight > this.maxY) this.addPage();
  }

  protected override afterLine(lineHeight: number): void {
    if (pdfNumber(this.y + lineHeight) > this.maxY) this.addPage();
  }

  /** Writes the last page; the body stream of every page, in order. */
  finish(): number[] {
    if (!this.finished) {
      this.finished = true;
      this.bodies.push(this.writer.addContent(this.content.toString()));
    }
    return this.bodies;
  }
}
