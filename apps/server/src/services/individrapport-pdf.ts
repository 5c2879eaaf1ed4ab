import {
  formatSwedishDate,
  INDIVIDRAPPORT_MAX_LENGTH,
  INDIVIDRAPPORT_TABS,
  type IndividrapportField,
  type IsoDate,
  individrapportFieldApplies,
  individrapportFieldLabel,
  individrapportFieldText,
  type Quarter,
} from '@evb/domain';
import PDFDocument from 'pdfkit';
import type { QuarterExport } from '../routers/exports';
import type { Kategori } from '../routers/quarter';
import {
  areasText,
  KATEGORI_LABEL,
  KATEGORI_PLURAL,
  LINE_STATUS_LABEL,
  quarterTitle,
  windowText,
} from './export-labels';
import type { IndividrapportExport } from './individrapport-export';
import { breakLongWords, characterWidths, clipped, winAnsi } from './pdf-text';

/*
 * Individrapporter as PDF, in Swedish, for paper: laid out like IVO's e-tjänst (seed 000) — tabs 1–4
 * as headed sections of label and value, tab 5 the summary — and saying whether the report was
 * filed (when, by whom: then it is printed as filed) or is a draft (then with what validation
 * still finds). Every page has a header with the nämnd and the quarter, and a page number.
 *
 * PDFKit's standard Helvetica is WinAnsi-encoded; every text goes through `winAnsi` (pdf-text.ts)
 * so that a name with a letter outside it cannot garble the page, and through `breakLongWords`, so
 * that a word wider than its column is cut in time that grows with its length (PDFKit's own
 * cutting grows with its square). A field's value longer than the draft's maximum (a draft saved
 * before the limits) is printed up to the maximum, with a note of its length.
 */

const SIDE = 50;
const TOP = 68;
const BOTTOM = 60;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#c8c8c8';
const ACCENT = '#1f4e79';
const WARN = '#9c2a00';
const LABEL_WIDTH = 190;
const GAP = 12;

type Context = {
  namndNamn: string;
  quarter: Quarter;
  referenceDate: IsoDate;
  window: { opens: IsoDate; closes: IsoDate };
};

type Writer = ReturnType<typeof createWriter>;

function createWriter(info: { title: string; subject: string; author: string }) {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: TOP, bottom: BOTTOM, left: SIDE, right: SIDE },
    bufferPages: true,
    lang: 'sv-SE',
    displayTitle: true,
    info: {
      Title: winAnsi(info.title),
      Author: winAnsi(info.author),
      Subject: winAnsi(info.subject),
      Creator: 'evb',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // What each page's header says on the right: the report it shows, set as pages are added.
  const pageLabels: string[] = [''];
  let label = '';
  doc.on('pageAdded', () => pageLabels.push(label));
  const width = doc.page.width - 2 * SIDE;
  const bottom = () => doc.page.height - BOTTOM;
  const measure = characterWidths(doc);
  /** `value` as printed in `font` and `size` in a column `columnWidth` wide. */
  const printable = (value: string, font: string, size: number, columnWidth: number) =>
    breakLongWords(winAnsi(value), columnWidth - 1, measure(font, size));

  const writer = {
    doc,
    done,
    width,
    pageLabels,
    /** The header label of the current page and of the pages that follow. */
    setLabel(text: string) {
      label = text;
      pageLabels[pageLabels.length - 1] = text;
    },
    newPage(text: string) {
      label = text;
      doc.addPage();
    },
    ensureSpace(height: number) {
      if (doc.y + height > bottom()) doc.addPage();
    },
    text(
      value: string,
      options: {
        font?: string;
        size?: number;
        colour?: string;
        x?: number;
        width?: number;
        gap?: number;
      } = {},
    ) {
      const font = options.font ?? FONT;
      const size = options.size ?? 10;
      const columnWidth = options.width ?? width;
      const shown = printable(value, font, size, columnWidth);
      doc
        .font(font)
        .fontSize(size)
        .fillColor(options.colour ?? INK)
        .text(shown, options.x ?? SIDE, doc.y, { width: columnWidth, lineGap: 1.5 });
      doc.moveDown(options.gap ?? 0.3);
    },
    heading(value: string) {
      writer.ensureSpace(60);
      doc.moveDown(0.45);
      writer.text(value, { font: BOLD, size: 11.5, colour: ACCENT, gap: 0.1 });
      rule(doc, doc.y, width, ACCENT, 0.8);
      doc.y += 4;
    },
    /**
     * A row of label and value, with an optional warning under the value. A value of several
     * lines, or too long for a page, starts on the line after its label and flows on.
     */
    row(labelText: string, value: string, warning?: string) {
      const valueColour = value === '' ? MUTED : INK;
      const valueWidth = width - LABEL_WIDTH - GAP;
      const warningText = warning ? `Att rätta: ${warning}` : '';
      // Broken for the value column; a flowing row is broken again for the width it takes.
      const label = printable(labelText, FONT, 9, LABEL_WIDTH);
      const shown = printable(value === '' ? '(ej ifyllt)' : value, FONT, 9.5, valueWidth);
      const warned = printable(warningText, BOLD, 9, valueWidth);
      doc.font(FONT).fontSize(9);
      const labelHeight = doc.heightOfString(label, { width: LABEL_WIDTH, lineGap: 1.5 });
      doc.font(FONT).fontSize(9.5);
      const valueHeight = doc.heightOfString(shown, { width: valueWidth, lineGap: 1.5 });
      doc.font(BOLD).fontSize(9);
      const warningHeight = warning
        ? doc.heightOfString(warned, { width: valueWidth, lineGap: 1.5 }) + 2
        : 0;
      const height = Math.max(labelHeight, valueHeight + warningHeight) + 6;
      const flowing = value.includes('\n') || height > (bottom() - TOP) / 3;
      if (flowing) {
        writer.ensureSpace(labelHeight + 40);
        doc.y += 4;
        writer.text(labelText, { size: 9, colour: MUTED, gap: 0.1 });
        writer.text(value === '' ? '(ej ifyllt)' : value, {
          size: 9.5,
          colour: valueColour,
          gap: 0.2,
        });
        if (warning) writer.text(warningText, { font: BOLD, size: 9, colour: WARN, gap: 0.2 });
        rule(doc, doc.y + 2, width, RULE, 0.5);
        doc.y += 6;
        return;
      }
      writer.ensureSpace(height);
      const top = doc.y;
      doc
        .font(FONT)
        .fontSize(9)
        .fillColor(MUTED)
        .text(label, SIDE, top + 3, { width: LABEL_WIDTH, lineGap: 1.5 });
      doc
        .font(FONT)
        .fontSize(9.5)
        .fillColor(valueColour)
        .text(shown, SIDE + LABEL_WIDTH + GAP, top + 3, {
          width: valueWidth,
          lineGap: 1.5,
        });
      if (warning) {
        doc
          .font(BOLD)
          .fontSize(9)
          .fillColor(WARN)
          .text(warned, SIDE + LABEL_WIDTH + GAP, top + 3 + valueHeight + 2, {
            width: valueWidth,
            lineGap: 1.5,
          });
      }
      rule(doc, top + height, width, RULE, 0.5);
      doc.x = SIDE;
      doc.y = top + height;
    },
    /** A framed note, read first: the report's state. */
    box(lines: { text: string; bold?: boolean; colour?: string }[], frame: string) {
      const inner = width - 20;
      const shown = lines.map((l) => printable(l.text, l.bold ? BOLD : FONT, 10, inner));
      const heights = lines.map((l, i) => {
        doc.font(l.bold ? BOLD : FONT).fontSize(10);
        return doc.heightOfString(shown[i]!, { width: inner, lineGap: 1.5 }) + 2;
      });
      const height = heights.reduce((a, b) => a + b, 0) + 14;
      writer.ensureSpace(height + 10);
      const top = doc.y + 2;
      doc.save().lineWidth(1.2).strokeColor(frame).rect(SIDE, top, width, height).stroke();
      doc.restore();
      let y = top + 7;
      lines.forEach((l, i) => {
        doc
          .font(l.bold ? BOLD : FONT)
          .fontSize(10)
          .fillColor(l.colour ?? INK)
          .text(shown[i]!, SIDE + 10, y, { width: inner, lineGap: 1.5 });
        y += heights[i]!;
      });
      doc.x = SIDE;
      doc.y = top + height + 8;
    },
  };
  return writer;
}

function rule(
  doc: PDFKit.PDFDocument,
  y: number,
  width: number,
  colour: string,
  lineWidth: number,
) {
  doc
    .save()
    .lineWidth(lineWidth)
    .strokeColor(colour)
    .moveTo(SIDE, y)
    .lineTo(SIDE + width, y)
    .stroke()
    .restore();
}

/** The header (nämnd, quarter, the page's label) and the footer (page x of y) of every page. */
function finish(w: Writer, context: Context, producedOn: IsoDate): Promise<Buffer> {
  const { doc, width } = w;
  const range = doc.bufferedPageRange();
  const left = `${context.namndNamn} · ${quarterTitle(context.quarter)}`;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const margins = { ...doc.page.margins };
    doc.page.margins.top = 0;
    doc.page.margins.bottom = 0;
    doc
      .font(BOLD)
      .fontSize(9)
      .fillColor(INK)
      .text(winAnsi(left), SIDE, 30, { width: width * 0.55, lineBreak: false });
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(MUTED)
      .text(winAnsi(w.pageLabels[i - range.start] ?? ''), SIDE + width * 0.55, 30, {
        width: width * 0.45,
        align: 'right',
        lineBreak: false,
      });
    rule(doc, 44, width, RULE, 0.5);
    const foot = doc.page.height - BOTTOM + 24;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        winAnsi(`Framtagen ${formatSwedishDate(producedOn)} i evb. Lämnas in i IVO:s e-tjänst.`),
        SIDE,
        foot,
        { width: width - 90, lineBreak: false },
      )
      .text(`Sida ${i - range.start + 1} av ${range.count}`, SIDE + width - 90, foot, {
        width: 90,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.top = margins.top;
    doc.page.margins.bottom = margins.bottom;
  }
  doc.end();
  return w.done;
}

/** The label a page of this report shows in its header. */
function pageLabelOf(report: IndividrapportExport): string {
  return `${KATEGORI_LABEL[report.line.kategori]} · IVO-id ${report.line.person.ivoId}`;
}

/** One individrapport, from the current position (the top of a page). */
function drawReport(w: Writer, report: IndividrapportExport, context: Context): void {
  const { draft, line, filing } = report;
  w.text('Individrapport – ej verkställt beslut', { font: BOLD, size: 16, gap: 0.15 });
  w.text(`${KATEGORI_LABEL[line.kategori]} · ${line.insatsLabel} · IVO-id ${line.person.ivoId}`, {
    size: 11,
    gap: 0.15,
  });
  w.text(
    `${line.episode.kind === 'avbrott' ? 'Avbrott' : 'Beslut'} ${line.episode.start}, försenat från ${line.overdueFrom}, ` +
      `${line.daysWaited} dagar vid ${formatSwedishDate(context.referenceDate)}. ` +
      `Status: ${LINE_STATUS_LABEL[line.status] ?? line.status}${line.statusDate ? ` ${line.statusDate}` : ''}.`,
    { size: 9, colour: MUTED, gap: 0.4 },
  );

  if (filing) {
    w.box(
      [
        {
          text: `Inlämnad till IVO ${filing.filedOn} av ${filing.filedBy.namn}.`,
          bold: true,
        },
        { text: 'Rapporten visas som den lämnades in.' },
      ],
      ACCENT,
    );
  } else {
    const n = report.findings.length;
    w.box(
      [
        { text: 'Utkast – inte inlämnad till IVO.', bold: true },
        n === 0
          ? { text: 'Kontrollen hittade inget att rätta: rapporten kan lämnas in.' }
          : {
              text: `Kontrollen hittade ${n === 1 ? '1 uppgift' : `${n} uppgifter`} att rätta innan rapporten kan lämnas in (se flik 5).`,
              colour: WARN,
            },
      ],
      n === 0 ? ACCENT : WARN,
    );
  }

  const findingsOf = new Map<IndividrapportField, string[]>();
  for (const f of report.findings)
    findingsOf.set(f.field, [...(findingsOf.get(f.field) ?? []), f.message]);
  for (const tab of INDIVIDRAPPORT_TABS) {
    w.heading(`Flik ${tab.tab}. ${tab.title}`);
    for (const field of tab.fields) {
      const warnings = findingsOf.get(field);
      if (!individrapportFieldApplies(draft, field) && !warnings) continue;
      w.row(
        individrapportFieldLabel(field, draft),
        clipped(individrapportFieldText(draft, field), printedMaximum(field)),
        warnings?.join(' '),
      );
    }
  }

  w.heading('Flik 5. Summering');
  w.row(
    'Kvartal',
    `${quarterTitle(context.quarter)}, referensdatum ${formatSwedishDate(context.referenceDate)}`,
  );
  w.row('Rapporteringsfönster', windowText(context.window));
  w.row(
    'Tidigare rapport',
    report.previous
      ? `${capitalised(report.previous.quarterLabel)}, inlämnad ${report.previous.filedOn}`
      : 'Ingen',
  );
  w.row(
    'Rapportens status',
    filing
      ? `Inlämnad till IVO ${filing.filedOn} av ${filing.filedBy.namn}`
      : 'Utkast, inte inlämnad till IVO',
  );
  w.row(
    'Kontroll',
    report.findings.length === 0
      ? filing
        ? 'Godkänd när den lämnades in'
        : 'Inget att rätta'
      : report.findings
          .map((f) => `${individrapportFieldLabel(f.field, draft)}: ${f.message}`)
          .join('\n'),
  );
}

/**
 * The most characters of a field the PDF prints: the draft's maximum (a date's 10 for a date
 * field), so an old draft's megabyte of text is not set on hundreds of pages; a code's label is
 * longer than its code.
 */
function printedMaximum(field: IndividrapportField): number {
  const max = (INDIVIDRAPPORT_MAX_LENGTH as Partial<Record<IndividrapportField, number>>)[field];
  return max === undefined ? 200 : Math.max(max, 200);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One line's individrapport as a PDF. */
export function renderIndividrapportPdf(
  input: Context & { report: IndividrapportExport },
  producedOn: IsoDate,
): Promise<Buffer> {
  const w = createWriter({
    title: `Individrapport ${input.report.line.person.ivoId} – ${quarterTitle(input.quarter)}`,
    subject: 'Individrapport till IVO: ej verkställt beslut',
    author: input.namndNamn,
  });
  w.setLabel(pageLabelOf(input.report));
  drawReport(w, input.report, input);
  return finish(w, input, producedOn);
}

/**
 * The quarter's individrapporter as one PDF: a cover page (nämnd, quarter, window, counts and a
 * list of the lines with the page each starts on), then every line's report on its own pages,
 * grouped as nyrapporteringar, återrapporteringar and slutrapporteringar.
 */
export async function renderQuarterPdf(
  data: QuarterExport,
  produced: { on: IsoDate; by: string },
): Promise<Buffer> {
  const context: Context = data;
  const w = createWriter({
    title: `Individrapporter – ${data.namndNamn} – ${quarterTitle(data.quarter)}`,
    subject: 'Kvartalets individrapporter till IVO: ej verkställda beslut',
    author: data.namndNamn,
  });
  const { doc } = w;
  w.setLabel('Översikt');
  w.text('Individrapporter till IVO', { font: BOLD, size: 20, gap: 0.15 });
  w.text('Ej verkställda beslut och avbrott i verkställigheten', { size: 12, gap: 0.6 });
  w.row('Nämnd', data.namndNamn);
  w.row('Kvartal', quarterTitle(data.quarter));
  w.row('Referensdatum', formatSwedishDate(data.referenceDate));
  w.row('Rapporteringsfönster', windowText(data.window));
  w.row('Verksamhetsområden', areasText(data.verksamhetsomraden));
  w.row('Framtagen', `${formatSwedishDate(produced.on)} av ${produced.by}`);

  const groups: Kategori[] = ['nyrapportering', 'aterrapportering', 'slutrapportering'];
  const inGroup = (k: Kategori) => data.reports.filter((r) => r.line.kategori === k);
  w.heading('Antal rader');
  const countRow = (name: string, reports: IndividrapportExport[]) => {
    const filed = reports.filter((r) => r.state === 'inlamnad').length;
    const toFix = reports.filter((r) => r.findings.length > 0).length;
    w.row(
      name,
      `${reports.length} (inlämnade ${filed}, ej inlämnade ${reports.length - filed}${toFix > 0 ? `, varav ${toFix} med uppgifter att rätta` : ''})`,
    );
  };
  for (const k of groups) countRow(KATEGORI_PLURAL[k], inGroup(k));
  countRow('Totalt', data.reports);
  doc.moveDown(0.5);
  w.text(
    'En inlämnad rapport visas som den lämnades in; övriga som de skulle lämnas in i dag, med det ' +
      'som måste rättas först. Personer med skyddade personuppgifter redovisas med fiktivt namn ' +
      'och nummer.',
    { size: 9, colour: MUTED, gap: 0.4 },
  );

  // The contents, with room for each report's first page, written once it is known.
  const contents: { page: number; y: number; report: IndividrapportExport }[] = [];
  if (data.reports.length === 0) {
    w.heading('Innehåll');
    w.text('Kvartalet har inga rader att rapportera för de verksamhetsområden som omfattas.');
  } else {
    w.heading('Innehåll');
    for (const k of groups) {
      const reports = inGroup(k);
      if (reports.length === 0) continue;
      w.ensureSpace(40);
      w.text(KATEGORI_PLURAL[k], { font: BOLD, size: 10, gap: 0.1 });
      for (const report of reports) {
        const entry = `${report.line.person.ivoId} · ${report.line.insatsLabel} · ${
          LINE_STATUS_LABEL[report.line.status] ?? report.line.status
        } · ${report.state === 'inlamnad' ? 'inlämnad' : report.findings.length > 0 ? 'utkast, att rätta' : 'utkast'}`;
        w.ensureSpace(16);
        contents.push({ page: doc.bufferedPageRange().count - 1, y: doc.y, report });
        w.text(entry, { size: 9, width: w.width - 60, gap: 0.05 });
      }
    }
  }

  const firstPage = new Map<IndividrapportExport, number>();
  for (const k of groups) {
    for (const [index, report] of inGroup(k).entries()) {
      // A quarter of thousands of lines takes seconds: let other requests in between.
      if (index % 20 === 19) await new Promise<void>((resolve) => setImmediate(resolve));
      w.newPage(pageLabelOf(report));
      firstPage.set(report, doc.bufferedPageRange().count);
      if (index === 0) {
        w.text(`${KATEGORI_PLURAL[k]} (${inGroup(k).length})`, {
          font: BOLD,
          size: 9,
          colour: ACCENT,
          gap: 0.3,
        });
      }
      drawReport(w, report, context);
    }
  }

  for (const entry of contents) {
    doc.switchToPage(entry.page);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(INK)
      .text(`sida ${firstPage.get(entry.report)}`, SIDE + w.width - 60, entry.y, {
        width: 60,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
  return finish(w, context, produced.on);
}
