import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/*
 * Reading the exports' PDFs back in tests, with pdfjs (an independent reader): the text of every
 * page, or a page's lines as read on paper.
 */

// pdfjs reads the standard fonts' metrics from its own package folder (a path, in Node).
const standardFontDataUrl = `${path.join(
  path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')),
  'standard_fonts',
)}/`;

/** The PDF in `bytes` as pdfjs reads it, with the standard fonts' metrics (a copy: pdfjs takes the buffer). */
export function openPdf(bytes: Uint8Array) {
  return getDocument({ data: new Uint8Array(bytes), standardFontDataUrl, useSystemFonts: false })
    .promise;
}

/** The text of every page, each page's items joined by spaces. */
export async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const pdf = await openPdf(bytes);
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await pdf.destroy();
  return pages;
}

/** The lines of a page as read on paper: items on the same baseline joined left to right. */
export async function pdfPageLines(bytes: Uint8Array, page: number): Promise<string[]> {
  const pdf = await openPdf(bytes);
  const content = await (await pdf.getPage(page)).getTextContent();
  const rows = new Map<number, { x: number; str: string }[]>();
  for (const item of content.items) {
    if (!('str' in item) || item.str.trim() === '') continue;
    const y = Math.round(item.transform[5] as number);
    rows.set(y, [...(rows.get(y) ?? []), { x: item.transform[4] as number, str: item.str }]);
  }
  await pdf.destroy();
  return [...rows.entries()]
    .sort(([a], [b]) => b - a)
    .map(([, items]) =>
      items
        .sort((a, b) => a.x - b.x)
        .map((i) => i.str)
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
}
