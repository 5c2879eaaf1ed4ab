import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { breakLongWords, characterWidths, clipped, winAnsi } from './pdf-text';

/*
 * Text for the PDFs: a word wider than its column is cut before PDFKit lays it out, in time that
 * grows with the word's length (PDFKit's own cutting grows with its square: a word of 40 000
 * characters took 5 s, one of a megabyte would take the better part of an hour).
 */

function pdf() {
  const doc = new PDFDocument({ size: 'A4' });
  doc.on('data', () => {});
  return doc;
}

describe('breakLongWords', () => {
  const doc = pdf();
  const widthOf = characterWidths(doc)('Helvetica', 9.5);
  const measure = (text: string) => doc.font('Helvetica').fontSize(9.5).widthOfString(text);

  it('leaves words that fit alone, whatever the spaces and line breaks around them', () => {
    const text = 'Beviljad  daglig verksamhet\nenligt 9 § 10 LSS; väntar på plats.';
    expect(breakLongWords(text, 293, widthOf)).toBe(text);
    expect(breakLongWords('', 293, widthOf)).toBe('');
  });

  it('cuts a word wider than the column into lines that fit, losing nothing', () => {
    const word = `https://example.test/${'abcdefghij'.repeat(40)}`;
    const text = `Se ${word} och ring.`;
    const broken = breakLongWords(text, 293, widthOf);
    const pieces = broken.slice(3, broken.length - ' och ring.'.length).split('\n');
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(word);
    for (const piece of pieces) expect(measure(piece)).toBeLessThanOrEqual(293);
    // All but the last fill their line.
    for (const piece of pieces.slice(0, -1)) expect(measure(piece)).toBeGreaterThan(293 - 12);
    expect(broken.startsWith('Se ')).toBe(true);
    expect(broken.endsWith(' och ring.')).toBe(true);
  });

  it('lays out a word of 200 000 characters in seconds, not minutes', () => {
    const doc = pdf();
    const widths = characterWidths(doc)('Helvetica', 9.5);
    const word = 'W'.repeat(200_000);
    const started = performance.now();
    const broken = breakLongWords(winAnsi(word), 292, widths);
    doc.font('Helvetica').fontSize(9.5).text(broken, 50, 50, { width: 293 });
    doc.end();
    // Unbroken, PDFKit needs about two minutes for this word on a quiet machine.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(broken.replaceAll('\n', '')).toBe(word);
  });
});

describe('clipped', () => {
  it('keeps a text within its maximum, and cuts a longer one with its length', () => {
    expect(clipped('kort', 10)).toBe('kort');
    expect(clipped('x'.repeat(12_345), 4000)).toBe(
      `${'x'.repeat(4000)} […] (förkortad här: texten har 12 345 tecken)`,
    );
  });
});
