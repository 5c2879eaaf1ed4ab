import PDFDocument from 'pdfkit';
import type { ExtractEntry, ReviewView } from './log-review';
import { breakLongWords, characterWidths, winAnsi } from './pdf-text';
import { csvCell, inertText, type Sink } from './quarter-table';

/*
 * Loggkontroll's files, rendered in a worker (render/tasks.ts) from rows read and checked on the
 * request's thread: the per-person extract as CSV and PDF, and a month's review report as PDF.
 *
 * The CSV is the quarter's dialect (semicolons, UTF-8 with a byte order mark, CRLF after every
 * record, a cell with ; " or any line break quoted, a cell a spreadsheet would run made inert).
 * The PDFs use PDFKit's Helvetica in WinAnsi, as the other exports do (statistics-pdf.ts).
 */

export type ExtractFileHead = {
  namndNamn: string;
  /** The personnummer as the loggranskare asked for it, YYYYMMDD-NNNN; null when asked by id. */
  personnummer: string | null;
  producedAt: string;
  producedBy: string;
  /** The extract holds only the newest EXTRACT_FILE_MAX_ROWS rows. */
  cut: boolean;
};

export const EXTRACT_COLUMNS: readonly { header: string; value: (e: ExtractEntry) => string }[] = [
  { header: 'Tid', value: (e) => e.tid },
  { header: 'Vem', value: (e) => e.vem },
  { header: 'Användarnamn', value: (e) => e.anvandarnamn },
  { header: 'Roll', value: (e) => e.roll },
  { header: 'Vad', value: (e) => e.vad },
  { header: 'Händelsekod', value: (e) => e.action },
  { header: 'Avser', value: (e) => e.avser },
  { header: 'Beslut', value: (e) => e.beslut.join(', ') },
  { header: 'Loggrad', value: (e) => String(e.id) },
];

/** The extract as CSV, one record per access, newest first. */
export function renderExtractCsv(entries: readonly ExtractEntry[], write: Sink): void {
  const line = (cells: readonly string[]) =>
    `${cells.map((c) => (c === '' ? '' : csvCell(inertText(c)))).join(';')}\r\n`;
  write(Buffer.from(`\ufeff${line(EXTRACT_COLUMNS.map((c) => c.header))}`, 'utf8'));
  let text = '';
  for (const entry of entries) {
    text += line(EXTRACT_COLUMNS.map((c) => c.value(entry)));
    if (text.length > 64 * 1024) {
      write(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  if (text !== '') write(Buffer.from(text, 'utf8'));
}

const MARGIN = 40;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#b5b5b5';

type Column = { header: string; width: number };

/** A landscape A4 document streaming to `write`; resolves when it has ended. */
function document(title: string, author: string, write: Sink) {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    lang: 'sv-SE',
    displayTitle: true,
    info: { Title: winAnsi(title), Author: winAnsi(author), Creator: 'evb' },
  });
  const done = new Promise<void>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => write(chunk));
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  const measure = characterWidths(doc);
  const fitText = (text: string, font: string, size: number, width: number) =>
    breakLongWords(winAnsi(text), width - 1, measure(font, size));
  return { doc, done, fitText };
}

/**
 * A table that continues over pages, its header repeated on each: one row per record, each cell
 * wrapped in its column.
 */
function table(
  { doc, fitText }: ReturnType<typeof document>,
  columns: readonly Column[],
  rows: readonly string[][],
) {
  const size = 8;
  const left = MARGIN;
  const bottom = doc.page.height - MARGIN;
  const header = () => {
    let x = left;
    const y = doc.y;
    doc.font(BOLD).fontSize(size).fillColor(INK);
    let height = 0;
    for (const c of columns) {
      const text = fitText(c.header, BOLD, size, c.width);
      doc.text(text, x, y, { width: c.width - 4 });
      height = Math.max(height, doc.heightOfString(text, { width: c.width - 4 }));
      x += c.width;
    }
    doc.y = y + height + 3;
    doc
      .moveTo(left, doc.y - 1)
      .lineTo(left + columns.reduce((s, c) => s + c.width, 0), doc.y - 1)
      .strokeColor(RULE)
      .stroke();
  };
  header();
  doc.font(FONT).fontSize(size);
  for (const row of rows) {
    const texts = row.map((cell, i) => fitText(cell, FONT, size, columns[i]!.width));
    // Measuring may have left another font set.
    doc.font(FONT).fontSize(size);
    const height = Math.max(
      ...texts.map((t, i) => doc.heightOfString(t, { width: columns[i]!.width - 4 })),
    );
    if (doc.y + height > bottom) {
      doc.addPage();
      header();
      doc.font(FONT).fontSize(size);
    }
    const y = doc.y;
    let x = left;
    texts.forEach((text, i) => {
      doc.fillColor(INK).text(text, x, y, { width: columns[i]!.width - 4 });
      x += columns[i]!.width;
    });
    doc.y = y + height + 4;
  }
  doc.x = left;
}

/** The per-person extract as a PDF: who read or wrote the person's data, when, and how. */
export async function renderExtractPdf(
  head: ExtractFileHead,
  entries: readonly ExtractEntry[],
  write: Sink,
): Promise<void> {
  const title = 'Loggutdrag per person';
  const pdf = document(`${title} – ${head.namndNamn}`, head.namndNamn, write);
  const { doc } = pdf;
  doc.font(BOLD).fontSize(16).fillColor(INK).text(winAnsi(title));
  doc.moveDown(0.3);
  doc.font(FONT).fontSize(10).fillColor(MUTED);
  doc.text(winAnsi(`Nämnd: ${head.namndNamn}`));
  if (head.personnummer) doc.text(`Personnummer: ${head.personnummer}`);
  doc.text(winAnsi(`Framtaget ${head.producedAt} av ${head.producedBy}`));
  doc.text(
    entries.length === 0
      ? 'Inga åtkomster till personens uppgifter finns i nämndens logg.'
      : winAnsi(
          `${entries.length} ${entries.length === 1 ? 'åtkomst' : 'åtkomster'}, den senaste först.` +
            (head.cut ? ' Filen visar bara de senaste 50 000 åtkomsterna.' : ''),
        ),
  );
  doc.moveDown(0.8);
  if (entries.length > 0) {
    table(
      pdf,
      [
        { header: 'Tid', width: 92 },
        { header: 'Vem', width: 120 },
        { header: 'Roll', width: 90 },
        { header: 'Vad', width: 250 },
        { header: 'Avser', width: 130 },
        { header: 'Loggrad', width: 80 },
      ],
      entries.map((e) => [
        e.tid,
        e.anvandarnamn ? `${e.vem} (${e.anvandarnamn})` : e.vem,
        e.roll,
        e.vad,
        e.avser,
        String(e.id),
      ]),
    );
  }
  doc.end();
  await pdf.done;
}

export type ReviewReportHead = {
  namndNamn: string;
  producedAt: string;
  producedBy: string;
};

/** A month's review report: the counts, and each access to follow up with its comment. */
export async function renderReviewReportPdf(
  head: ReviewReportHead,
  view: ReviewView,
  write: Sink,
): Promise<void> {
  const { review } = view;
  const title = `Loggkontroll ${review.month}`;
  const pdf = document(`${title} – ${head.namndNamn}`, head.namndNamn, write);
  const { doc } = pdf;
  doc
    .font(BOLD)
    .fontSize(16)
    .fillColor(INK)
    .text(winAnsi(`Månadsrapport: ${title}`));
  doc.moveDown(0.3);
  doc.font(FONT).fontSize(10).fillColor(MUTED);
  doc.text(winAnsi(`Nämnd: ${head.namndNamn}`));
  doc.text(winAnsi(`Framtagen ${head.producedAt} av ${head.producedBy}`));
  doc.moveDown(0.6);
  doc.font(FONT).fontSize(11).fillColor(INK);
  const { counts } = review;
  const lines = [
    `Urvalet drogs ${review.startedAt} av ${review.startedBy ?? 'okänd'}: ${counts.urval} av månadens ${review.population} åtkomster (urvalsstorlek ${review.sampleSize}).`,
    review.finishedAt
      ? `Granskningen avslutades ${review.finishedAt} av ${review.finishedBy ?? 'okänd'}.`
      : 'Granskningen är inte avslutad.',
    `Motiverade: ${counts.motiverade}. Att följa upp: ${counts.foljUpp}. Inte bedömda: ${counts.obedomda}.`,
  ];
  for (const line of lines) doc.text(winAnsi(line));
  doc.moveDown(0.8);
  const followUps = view.items.filter((i) => i.verdict === 'folj_upp');
  doc.font(BOLD).fontSize(12).text('Att följa upp');
  doc.moveDown(0.3);
  if (followUps.length === 0) {
    doc.font(FONT).fontSize(10).text('Ingen åtkomst i urvalet behöver följas upp.');
  } else {
    table(
      pdf,
      [
        { header: 'Nr', width: 30 },
        { header: 'Tid', width: 92 },
        { header: 'Vem', width: 120 },
        { header: 'Vad', width: 200 },
        { header: 'Avser', width: 90 },
        { header: 'Kommentar', width: 230 },
      ],
      followUps.map((i) => [
        String(i.position),
        i.tid,
        i.anvandarnamn ? `${i.vem} (${i.anvandarnamn})` : i.vem,
        i.vad,
        i.avser,
        i.comment ?? '',
      ]),
    );
  }
  doc.end();
  await pdf.done;
}
