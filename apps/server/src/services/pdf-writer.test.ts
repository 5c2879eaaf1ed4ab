import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { openPdf } from '../testing/pdf';
import { type FontName, winAnsi } from './pdf-text';
import { drawnContent, PdfPages, PdfWriter } from './pdf-writer';

/*
 * The exports' PDF writer (pdf-writer.ts, pdf-text.ts): text laid out with PDFKit's rules — its
 * line breaking, line heights, page flow and kerning — from tables instead of PDFKit's per-word
 * measuring, written page by page. Each text here is laid out by PDFKit and by the writer, and
 * pdfjs reads back where every line went.
 */

type Line = { y: number; x: number; text: string };

/** Each page's lines as pdfjs reads them: items on one baseline joined, top to bottom. */
async function linesOf(bytes: Uint8Array): Promise<Line[][]> {
  const pdf = await openPdf(bytes);
  const pages: Line[][] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    const rows = new Map<number, { x: number; str: string }[]>();
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const y = Math.round((item.transform[5] as number) * 10) / 10;
      rows.set(y, [...(rows.get(y) ?? []), { x: item.transform[4] as number, str: item.str }]);
    }
    pages.push(
      [...rows.entries()]
        .sort(([a], [b]) => b - a)
        .map(([y, items]) => ({
          y,
          x: Math.round(Math.min(...items.map((i) => i.x)) * 10) / 10,
          text: items
            .sort((a, b) => a.x - b.x)
            .map((i) => i.str)
            .join(' ')
            .replace(/\s+/g, ' ')
            .trim(),
        })),
    );
  }
  await pdf.destroy();
  return pages;
}

type Paragraph = { text: string; font: FontName; size: number; width: number; x: number };

async function byPdfkit(paragraphs: Paragraph[], startY: number): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 68, bottom: 60, left: 50, right: 50 },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.y = startY;
  for (const p of paragraphs) {
    doc.font(p.font).fontSize(p.size).text(p.text, p.x, doc.y, { width: p.width, lineGap: 1.5 });
    doc.moveDown(0.3);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

function byWriter(paragraphs: Paragraph[], startY: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  const file = new PdfWriter(
    { title: 'Prov', author: 'evb', subject: 'Prov', lang: 'sv-SE' },
    (chunk) => chunks.push(chunk),
  );
  const pages = new PdfPages(file, { top: 68, bottom: 60, left: 50, right: 50 });
  pages.y = startY;
  for (const p of paragraphs) {
    pages.font(p.font).fontSize(p.size).text(p.text, p.x, pages.y, {
      width: p.width,
      lineGap: 1.5,
    });
    pages.moveDown(0.3);
  }
  file.end(pages.finish().map((body) => [body]));
  return Buffer.concat(chunks);
}

const PARAGRAPHS: Paragraph[] = (
  [
    {
      text: 'Individrapport – ej verkställt beslut',
      font: 'Helvetica-Bold',
      size: 16,
      width: 495,
      x: 50,
    },
    {
      text:
        'Vård- och omsorgsnämnden har beslutat om daglig verksamhet enligt 9 § 10 LSS. ' +
        'Den enskilde tackade nej till erbjudandet från 2026-02-10 (geografiskt läge); ' +
        'IVO-id 19800101-T123, Åsa Öberg. Ytterligare “citat”, (parenteser) och en/ett snedstreck.',
      font: 'Helvetica',
      size: 9.5,
      width: 293,
      x: 252,
    },
    {
      text: '2026-03-20: Uppföljningssamtal med God man: Vill vänta.\n\nEfter en tom rad…\nSlut.',
      font: 'Helvetica',
      size: 9.5,
      width: 495,
      x: 50,
    },
    {
      text: `Se https://example.test/${'abcdefghij'.repeat(3)} och ring Tove, Yvonne, AV-teamet.`,
      font: 'Helvetica-Bold',
      size: 9,
      width: 190,
      x: 50,
    },
    {
      // Narrow, so that lines break after hyphens, a dash and a slash, never inside a date.
      text:
        'Ärendet gäller LSS-insatsen kontaktperson-uppdraget, IVO-rapporteringen 2026-01-15—' +
        'vård-och-omsorgsnämnden/socialnämnden och 19800101-T123 igen!Ja…nej',
      font: 'Helvetica',
      size: 9.5,
      width: 90,
      x: 50,
    },
  ] satisfies Paragraph[]
).map((p) => ({ ...p, text: winAnsi(p.text) }));

describe('the PDF writer', () => {
  it('breaks lines and places them where PDFKit does, kerning included', async () => {
    const [expected] = await linesOf(await byPdfkit(PARAGRAPHS, 68));
    const [actual] = await linesOf(byWriter(PARAGRAPHS, 68));
    expect(expected!.length).toBeGreaterThan(10);
    expect(actual).toEqual(expected);
  });

  it('flows a text past the bottom margin onto a new page at the same line as PDFKit', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `Mening ${i + 1} om verkställigheten.`).join(
      ' ',
    );
    const paragraphs: Paragraph[] = [
      { text: long, font: 'Helvetica', size: 9.5, width: 200, x: 50 },
      { text: 'Efter flödet.', font: 'Helvetica-Bold', size: 10, width: 495, x: 50 },
    ];
    const expected = await linesOf(await byPdfkit(paragraphs, 730));
    const actual = await linesOf(byWriter(paragraphs, 730));
    expect(expected).toHaveLength(2);
    expect(actual).toEqual(expected);
  });

  it('cuts a word wider than its column into full lines, losing nothing, in linear time', async () => {
    const word = 'W'.repeat(200_000);
    const started = performance.now();
    const pages = await linesOf(
      byWriter(
        [{ text: `Före ${word} efter`, font: 'Helvetica', size: 9.5, width: 293, x: 50 }],
        68,
      ),
    );
    // PDFKit's own cutting of this word takes minutes.
    expect(performance.now() - started).toBeLessThan(20_000);
    const lines = pages.flat().map((l) => l.text);
    expect(lines[0]).toBe('Före');
    expect(lines.at(-1)).toMatch(/^W* ?efter$/);
    expect(lines.join('').replace(/[^W]/g, '')).toHaveLength(200_000);
    expect(pages.length).toBeGreaterThan(10);
  });

  it('writes each page as it is done, the file valid with its title and language', async () => {
    const pieces: number[] = [];
    const chunks: Uint8Array[] = [];
    const file = new PdfWriter(
      {
        title: 'Individrapporter – Vård och omsorg',
        author: 'Nämnden',
        subject: 'Prov',
        lang: 'sv-SE',
      },
      (chunk) => {
        chunks.push(chunk);
        pieces.push(chunk.byteLength);
      },
    );
    const pages = new PdfPages(file, { top: 68, bottom: 60, left: 50, right: 50 });
    pages.font('Helvetica').fontSize(12).text('Första sidan', 50, 68, { width: 495 });
    const before = pieces.length;
    pages.addPage();
    // The first page's content went out when the second began.
    expect(pieces.length).toBeGreaterThan(before);
    pages.text('Andra sidan', 50, 68, { width: 495 });
    const bodies = pages.finish();
    // Pages in any order, each with an overlay drawn last.
    file.end(
      [bodies[1]!, bodies[0]!].map((body, i) => [
        body,
        file.addContent(
          drawnContent((page) =>
            page
              .font('Helvetica')
              .fontSize(8)
              .text(`Sida ${i + 1} av 2`, 50, 800, {
                width: 495,
                align: 'right',
              }),
          ),
        ),
      ]),
    );
    const bytes = Buffer.concat(chunks);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    const read = await linesOf(bytes);
    expect(read.map((page) => page.map((l) => l.text))).toEqual([
      ['Andra sidan', 'Sida 1 av 2'],
      ['Första sidan', 'Sida 2 av 2'],
    ]);
    const pdf = await openPdf(bytes);
    const { info } = (await pdf.getMetadata()) as unknown as { info: Record<string, unknown> };
    expect(info).toMatchObject({
      Title: 'Individrapporter – Vård och omsorg',
      Author: 'Nämnden',
      Language: 'sv-SE',
    });
    await pdf.destroy();
  });
});
