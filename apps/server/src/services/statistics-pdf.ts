import {
  type CountByKind,
  formatSwedishDate,
  type IsoDate,
  type Verksamhetsomrade,
  verksamhetsomradeLabel,
} from '@evb/domain';
import PDFDocument from 'pdfkit';
import type { StatisticsReport } from '../routers/statistics';
import { breakLongWords, characterWidths, winAnsi } from './pdf-text';

/*
 * The statistics report to kommunfullmäktige as a PDF, in Swedish, readable on paper: the summary,
 * the tables by insats and by time waited, and the eight-quarter trend as a bar chart with the same
 * figures in a table. PDFKit's standard Helvetica is encoded as WinAnsi, which has å, ä, ö, the en
 * dash and the non-breaking space, so no font file has to be shipped; a name with a letter outside
 * it loses what cannot be shown (`winAnsi`), and a word wider than its column is cut in linear time
 * (`breakLongWords`, pdf-text.ts) before PDFKit lays it out.
 */

const PAGE_MARGIN = 50;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#b5b5b5';
const BESLUT_COLOUR = '#1f4e79';
const AVBROTT_COLOUR = '#c55a11';

const NUMBER = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 0 });
const count = (n: number) => NUMBER.format(n);

type Column = { header: string; width: number; align: 'left' | 'right' };

/** Prepares a text for `doc` in `font` and `size` in a column `width` wide (see above). */
type Fit = (text: string, font: string, size: number, width: number) => string;

function fitter(doc: PDFKit.PDFDocument): Fit {
  const measure = characterWidths(doc);
  return (text, font, size, width) => breakLongWords(winAnsi(text), width - 1, measure(font, size));
}

function quarterTitle(q: { year: number; quarter: number }): string {
  return `Kvartal ${q.quarter} ${q.year}`;
}

function areasText(areas: string[] | null): string {
  if (areas === null) return 'alla verksamhetsområden som nämnden rapporterar för';
  return areas.map((a) => verksamhetsomradeLabel(a as Verksamhetsomrade)).join(', ');
}

/** Renders the report; resolves with the PDF's bytes. */
export function renderStatisticsPdf(
  report: StatisticsReport,
  producedOn: IsoDate,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE_MARGIN,
    bufferPages: true,
    lang: 'sv-SE',
    displayTitle: true,
    info: {
      Title: `Statistikrapport ej verkställda beslut – ${report.namndNamn} – ${quarterTitle(report.quarter)}`,
      Author: report.namndNamn,
      Subject: 'Avidentifierad kvartalsstatistik till kommunfullmäktige',
      Creator: 'evb',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * PAGE_MARGIN;
  const left = PAGE_MARGIN;
  const prepare = fitter(doc);

  const heading = (text: string) => {
    ensureSpace(doc, 60);
    const shown = prepare(text, BOLD, 13, width);
    doc.moveDown(0.8).font(BOLD).fontSize(13).fillColor(INK).text(shown, left, doc.y, { width });
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, options: { colour?: string; size?: number } = {}) => {
    const size = options.size ?? 10;
    const shown = prepare(text, FONT, size, width);
    doc
      .font(FONT)
      .fontSize(size)
      .fillColor(options.colour ?? INK)
      .text(shown, left, doc.y, { width, lineGap: 2 });
    doc.moveDown(0.4);
  };

  // Title block.
  doc
    .font(BOLD)
    .fontSize(18)
    .fillColor(INK)
    .text('Statistikrapport: ej verkställda beslut', left, doc.y, { width });
  doc.moveDown(0.3);
  paragraph(
    `${report.namndNamn} · ${quarterTitle(report.quarter)} · rapporteringstillfälle ${formatSwedishDate(report.referenceDate)}`,
    { size: 11 },
  );
  paragraph(`Omfattar ${areasText(report.verksamhetsomraden)}.`, { colour: MUTED });
  paragraph(`Rapport till kommunfullmäktige enligt ${report.legalReferences.join(' och ')}.`, {
    colour: MUTED,
  });

  // The de-identification note, in a frame so it is read first.
  const note =
    'Rapporten är avidentifierad: den innehåller bara antal, inga namn, personnummer, IVO-nummer ' +
    'eller datum som hör till en enskild person. I en liten kommun kan ett litet antal ändå peka ut ' +
    'någon; pröva sekretessen innan rapporten publiceras.';
  doc.font(FONT).fontSize(10);
  const noteHeight = doc.heightOfString(note, { width: width - 20, lineGap: 2 }) + 16;
  ensureSpace(doc, noteHeight + 10);
  const noteTop = doc.y + 4;
  doc
    .save()
    .lineWidth(1)
    .strokeColor(BESLUT_COLOUR)
    .rect(left, noteTop, width, noteHeight)
    .stroke();
  doc.restore();
  doc.fillColor(INK).text(note, left + 10, noteTop + 8, { width: width - 20, lineGap: 2 });
  doc.y = noteTop + noteHeight + 6;

  paragraph(
    `Det som räknas: beslut och avbrott i verkställigheten som den ${formatSwedishDate(report.referenceDate)} ` +
      'inte hade verkställts (återupptagits) inom tre månader från beslutsdagen respektive dagen för ' +
      'avbrottet. Ett beslut räknas en gång per kvartal. Väntetiden räknas i kalendermånader fram till ' +
      'rapporteringstillfället: 3–6 månader är mer än tre och högst sex månader, 6–12 månader mer än ' +
      'sex och högst tolv. Kön enligt IVO-numrets könssiffra.',
    { colour: MUTED, size: 9 },
  );

  // Summary.
  heading('Sammanfattning');
  const summaryColumns: Column[] = [
    { header: '', width: width - 3 * 80, align: 'left' },
    { header: 'Kvinnor', width: 80, align: 'right' },
    { header: 'Män', width: 80, align: 'right' },
    { header: 'Totalt', width: 80, align: 'right' },
  ];
  const byKon = (label: string, row: CountByKind['total']) => [
    label,
    count(row.kvinna),
    count(row.man),
    count(row.total),
  ];
  drawTable(doc, prepare, summaryColumns, [
    byKon('Beslut som inte verkställts', report.total.beslut),
    byKon('Avbrott som inte återupptagits', report.total.avbrott),
    byKon('Totalt', report.total.total),
  ]);
  const ended = report.endedInQuarter;
  paragraph(
    `Under kvartalet verkställdes ${count(ended.verkstalld)} och avslutades ${count(ended.avslutad)} ` +
      'beslut eller avbrott som hade väntat mer än tre månader. De ingår inte i siffrorna ovan.',
  );

  const breakdownColumns = (first: string, firstWidth: number): Column[] => [
    { header: first, width: firstWidth, align: 'left' },
    ...['Beslut', 'Avbrott', 'Kvinnor', 'Män', 'Totalt'].map((header) => ({
      header,
      width: (width - firstWidth) / 5,
      align: 'right' as const,
    })),
  ];
  const breakdown = (label: string, c: CountByKind) => [
    label,
    count(c.beslut.total),
    count(c.avbrott.total),
    count(c.total.kvinna),
    count(c.total.man),
    count(c.total.total),
  ];

  heading('Per insats');
  if (report.total.total.total === 0) {
    paragraph('Inga beslut eller avbrott hade väntat mer än tre månader.');
  } else {
    // SoL's insatser, then LSS's, each under its heading row and closed by its subtotal (bold).
    const rows: string[][] = [];
    const bold = new Set<number>();
    for (const group of report.byLagrum) {
      bold.add(rows.length);
      rows.push([group.label, '', '', '', '', '']);
      rows.push(...group.insatser.map((r) => breakdown(`   ${r.insatsLabel}`, r.counts)));
      bold.add(rows.length);
      rows.push(breakdown(`Summa ${group.lagrum}`, group.counts));
    }
    rows.push(breakdown('Totalt', report.total));
    drawTable(doc, prepare, breakdownColumns('Insats', 215), rows, { boldRows: bold });
  }

  heading('Per väntetid vid rapporteringstillfället');
  drawTable(doc, prepare, breakdownColumns('Väntetid', 165), [
    ...report.byWait.map((r) => breakdown(r.label, r.counts)),
    breakdown('Totalt', report.total),
  ]);

  heading('Utveckling de senaste åtta kvartalen');
  paragraph(
    'Antal beslut och avbrott som inte verkställts inom tre månader vid varje kvartals ' +
      'rapporteringstillfälle. Samma siffror står i tabellen under diagrammet.',
    { colour: MUTED, size: 9 },
  );
  drawTrendChart(doc, report.trend, left, width);
  drawTable(
    doc,
    prepare,
    [
      { header: 'Kvartal', width: width - 3 * 90, align: 'left' },
      { header: 'Beslut', width: 90, align: 'right' },
      { header: 'Avbrott', width: 90, align: 'right' },
      { header: 'Totalt', width: 90, align: 'right' },
    ],
    report.trend.map((t) => [
      `${quarterTitle(t.quarter)} (${formatSwedishDate(t.referenceDate)})`,
      count(t.total.beslut.total),
      count(t.total.avbrott.total),
      count(t.total.total.total),
    ]),
    { lastRowIsTotal: false },
  );

  // Footer on every page, once the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - PAGE_MARGIN + 16;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        winAnsi(
          `${report.namndNamn} · ${quarterTitle(report.quarter)} · framtagen ${formatSwedishDate(producedOn)} i evb`,
        ),
        left,
        bottom,
        { width: width - 80, lineBreak: false },
      )
      .text(`Sida ${i - range.start + 1} av ${range.count}`, left + width - 80, bottom, {
        width: 80,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = PAGE_MARGIN;
  }
  doc.end();
  return done;
}

/** Starts a new page unless `height` points still fit above the bottom margin. */
function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - PAGE_MARGIN) doc.addPage();
}

/**
 * A table with a bold header row and, by default, a bold last (total) row; `boldRows` (indexes into
 * `given`) are bold too (group headings and subtotals). A row that does not fit starts a new page,
 * which repeats the header.
 */
function drawTable(
  doc: PDFKit.PDFDocument,
  prepare: Fit,
  columns: Column[],
  given: string[][],
  options: { lastRowIsTotal?: boolean; boldRows?: ReadonlySet<number> } = {},
): void {
  const { lastRowIsTotal = true, boldRows = new Set<number>() } = options;
  const isBold = (index: number) =>
    boldRows.has(index) || (lastRowIsTotal && index === given.length - 1);
  const left = PAGE_MARGIN;
  const width = columns.reduce((sum, c) => sum + c.width, 0);
  const padding = 4;
  const bottom = () => doc.page.height - PAGE_MARGIN;
  const fitted = (cells: string[], bold: boolean) =>
    cells.map((cell, i) => prepare(cell, bold ? BOLD : FONT, 9.5, columns[i]!.width - 2 * padding));
  const rows = given.map((cells, index) => fitted(cells, isBold(index)));
  const heightOf = (cells: string[], bold: boolean) => {
    doc.font(bold ? BOLD : FONT).fontSize(9.5);
    return (
      Math.max(
        ...cells.map((cell, i) =>
          doc.heightOfString(cell || ' ', { width: columns[i]!.width - 2 * padding }),
        ),
      ) +
      2 * padding
    );
  };
  const drawRow = (cells: string[], bold: boolean, rule: string, ruleWidth: number) => {
    const height = heightOf(cells, bold);
    const top = doc.y;
    let x = left;
    cells.forEach((cell, i) => {
      const column = columns[i]!;
      doc.fillColor(INK).text(cell, x + padding, top + padding, {
        width: column.width - 2 * padding,
        align: column.align,
      });
      x += column.width;
    });
    doc
      .save()
      .lineWidth(ruleWidth)
      .strokeColor(rule)
      .moveTo(left, top + height)
      .lineTo(left + width, top + height)
      .stroke()
      .restore();
    doc.y = top + height;
  };
  const headers = fitted(
    columns.map((c) => c.header),
    true,
  );
  const firstRow = rows[0];
  if (doc.y + heightOf(headers, true) + (firstRow ? heightOf(firstRow, false) : 0) > bottom()) {
    doc.addPage();
  }
  drawRow(headers, true, INK, 1);
  rows.forEach((cells, index) => {
    const bold = isBold(index);
    if (doc.y + heightOf(cells, bold) > bottom()) {
      doc.addPage();
      drawRow(headers, true, INK, 1);
    }
    drawRow(cells, bold, RULE, 0.5);
  });
  doc.x = left;
  doc.moveDown(0.6);
}

/** Stacked bars, beslut and avbrott, one per quarter, with the total written above each. */
function drawTrendChart(
  doc: PDFKit.PDFDocument,
  trend: StatisticsReport['trend'],
  left: number,
  width: number,
): void {
  const chartHeight = 150;
  const legendHeight = 18;
  const labelHeight = 26;
  ensureSpace(doc, chartHeight + legendHeight + labelHeight + 30);
  const top = doc.y + 8;
  const axisLeft = left + 30;
  const plotWidth = width - 30;
  const baseline = top + chartHeight;
  const max = Math.max(1, ...trend.map((t) => t.total.total.total));
  const slot = plotWidth / trend.length;
  const barWidth = Math.min(36, slot * 0.6);

  // Axis and the top gridline with its value, so the scale can be read.
  doc.save().lineWidth(0.5).strokeColor(RULE);
  doc
    .moveTo(axisLeft, top + 12)
    .lineTo(axisLeft + plotWidth, top + 12)
    .stroke();
  doc.restore();
  doc.save().lineWidth(1).strokeColor(INK);
  doc
    .moveTo(axisLeft, baseline)
    .lineTo(axisLeft + plotWidth, baseline)
    .stroke();
  doc.restore();
  doc
    .font(FONT)
    .fontSize(8)
    .fillColor(MUTED)
    .text(count(max), left, top + 8, { width: 26, align: 'right' })
    .text('0', left, baseline - 4, { width: 26, align: 'right' });

  const scale = (chartHeight - 12) / max;
  trend.forEach((t, i) => {
    const x = axisLeft + slot * i + (slot - barWidth) / 2;
    const beslut = t.total.beslut.total * scale;
    const avbrott = t.total.avbrott.total * scale;
    if (beslut > 0) doc.rect(x, baseline - beslut, barWidth, beslut).fill(BESLUT_COLOUR);
    if (avbrott > 0)
      doc.rect(x, baseline - beslut - avbrott, barWidth, avbrott).fill(AVBROTT_COLOUR);
    doc
      .font(BOLD)
      .fontSize(8)
      .fillColor(INK)
      .text(count(t.total.total.total), x - 10, baseline - beslut - avbrott - 11, {
        width: barWidth + 20,
        align: 'center',
      });
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(INK)
      .text(`K${t.quarter.quarter}\n${t.quarter.year}`, axisLeft + slot * i, baseline + 4, {
        width: slot,
        align: 'center',
      });
  });

  // Legend: colour and words, so the colour is never the only signal.
  const legendTop = baseline + labelHeight + 4;
  doc.rect(axisLeft, legendTop, 10, 10).fill(BESLUT_COLOUR);
  doc
    .font(FONT)
    .fontSize(9)
    .fillColor(INK)
    .text('Beslut (nedre del)', axisLeft + 14, legendTop + 1);
  doc.rect(axisLeft + 140, legendTop, 10, 10).fill(AVBROTT_COLOUR);
  doc.fillColor(INK).text('Avbrott (övre del)', axisLeft + 154, legendTop + 1);
  doc.x = left;
  doc.y = legendTop + legendHeight + 6;
}
