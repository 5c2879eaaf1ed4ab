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
import type { QuarterExportHead } from '../routers/exports';
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
import { clipped, type FontName, winAnsi } from './pdf-text';
import {
  drawnContent,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  type PdfCanvas,
  PdfPages,
  PdfWriter,
} from './pdf-writer';

/*
 * Individrapporter as PDF, in Swedish, for paper: laid out like IVO's e-tjänst (seed 000) — tabs 1–4
 * as headed sections of label and value, tab 5 the summary — and saying whether the report was
 * filed (when, by whom: then it is printed as filed) or is a draft (then with what validation
 * still finds). Every page has a header with the nämnd and the quarter, and a page number.
 *
 * The pages are laid out with PDFKit's rules (its line breaking, line heights and page flow) but
 * written by pdf-writer.ts, page by page as they are done: a quarter of thousands of lines streams
 * from its first page, in a fraction of the time PDFKit took to measure every word again for each
 * text. The standard Helvetica is WinAnsi-encoded; every text goes through `winAnsi` (pdf-text.ts)
 * so that a name with a letter outside it cannot garble the page, and a word wider than its column
 * is cut in time that grows with its length. A field's value longer than the draft's maximum (a
 * draft saved before the limits) is printed up to the maximum, with a note of its length.
 */

const SIDE = 50;
const TOP = 68;
const BOTTOM = 60;
const FONT: FontName = 'Helvetica';
const BOLD: FontName = 'Helvetica-Bold';
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

/** Where a PDF's bytes go as it is written. */
export type PdfSink = (chunk: Uint8Array) => void;

function pdfFile(info: { title: string; subject: string; author: string }, write: PdfSink) {
  return new PdfWriter(
    {
      title: winAnsi(info.title),
      author: winAnsi(info.author),
      subject: winAnsi(info.subject),
      lang: 'sv-SE',
    },
    write,
  );
}

/** A flow of pages in the file, with the writing helpers of the reports' layout. */
function createWriter(file: PdfWriter) {
  const doc = new PdfPages(file, { top: TOP, bottom: BOTTOM, left: SIDE, right: SIDE });
  // What each page's header says on the right: the report it shows, set as pages are added.
  const pageLabels: string[] = [''];
  let label = '';
  doc.onPageAdded = () => pageLabels.push(label);
  const width = PAGE_WIDTH - 2 * SIDE;
  /** `value` broken for a column `columnWidth` wide in `font` and `size` (the document's now). */
  const laidOut = (value: string, font: FontName, size: number, columnWidth: number) =>
    doc.font(font).fontSize(size).layout(winAnsi(value), columnWidth);

  const writer = {
    doc,
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
      if (doc.y + height > doc.bottom) doc.addPage();
    },
    text(
      value: string,
      options: {
        font?: FontName;
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
      const shown = laidOut(value, font, size, columnWidth);
      doc
        .fillColor(options.colour ?? INK)
        .text(shown, options.x ?? SIDE, doc.y, { width: columnWidth, lineGap: 1.5 });
      doc.moveDown(options.gap ?? 0.3);
    },
    heading(value: string) {
      writer.ensureSpace(60);
      doc.moveDown(0.45);
      writer.text(value, { font: BOLD, size: 11.5, colour: ACCENT, gap: 0.1 });
      doc.rule(SIDE, SIDE + width, doc.y, ACCENT, 0.8);
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
      const label = laidOut(labelText, FONT, 9, LABEL_WIDTH);
      const labelHeight = doc.heightOf(label, 1.5);
      const shown = laidOut(value === '' ? '(ej ifyllt)' : value, FONT, 9.5, valueWidth);
      const valueHeight = doc.heightOf(shown, 1.5);
      const warned = warning ? laidOut(warningText, BOLD, 9, valueWidth) : null;
      const warningHeight = warned ? doc.heightOf(warned, 1.5) + 2 : 0;
      const height = Math.max(labelHeight, valueHeight + warningHeight) + 6;
      const flowing = value.includes('\n') || height > (doc.bottom - TOP) / 3;
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
        doc.rule(SIDE, SIDE + width, doc.y + 2, RULE, 0.5);
        doc.y += 6;
        return;
      }
      writer.ensureSpace(height);
      const top = doc.y;
      doc.fillColor(MUTED).text(label, SIDE, top + 3, { width: LABEL_WIDTH, lineGap: 1.5 });
      doc.fillColor(valueColour).text(shown, SIDE + LABEL_WIDTH + GAP, top + 3, {
        width: valueWidth,
        lineGap: 1.5,
      });
      if (warned) {
        doc.fillColor(WARN).text(warned, SIDE + LABEL_WIDTH + GAP, top + 3 + valueHeight + 2, {
          width: valueWidth,
          lineGap: 1.5,
        });
      }
      doc.rule(SIDE, SIDE + width, top + height, RULE, 0.5);
      doc.y = top + height;
    },
    /** A framed note, read first: the report's state. */
    box(lines: { text: string; bold?: boolean; colour?: string }[], frame: string) {
      const inner = width - 20;
      const shown = lines.map((l) => laidOut(l.text, l.bold ? BOLD : FONT, 10, inner));
      const heights = shown.map((block) => doc.heightOf(block, 1.5) + 2);
      const height = heights.reduce((a, b) => a + b, 0) + 14;
      writer.ensureSpace(height + 10);
      const top = doc.y + 2;
      doc.frame(SIDE, top, width, height, frame, 1.2);
      let y = top + 7;
      lines.forEach((l, i) => {
        doc
          .font(l.bold ? BOLD : FONT)
          .fontSize(10)
          .fillColor(l.colour ?? INK)
          .text(shown[i]!, SIDE + 10, y, { width: inner, lineGap: 1.5 });
        y += heights[i]!;
      });
      doc.y = top + height + 8;
    },
  };
  return writer;
}

/** The header (nämnd, quarter, the page's label) and the footer (page x of y) of a page. */
function furniture(
  page: PdfCanvas,
  context: Context,
  producedOn: IsoDate,
  label: string,
  number: number,
  count: number,
): void {
  const width = PAGE_WIDTH - 2 * SIDE;
  const foot = PAGE_HEIGHT - BOTTOM + 24;
  page
    .font(BOLD)
    .fontSize(9)
    .fillColor(INK)
    .text(winAnsi(`${context.namndNamn} · ${quarterTitle(context.quarter)}`), SIDE, 30, {
      width: width * 0.55,
    });
  page
    .font(FONT)
    .fontSize(9)
    .fillColor(MUTED)
    .text(winAnsi(label), SIDE + width * 0.55, 30, { width: width * 0.45, align: 'right' });
  page.rule(SIDE, SIDE + width, 44, RULE, 0.5);
  page
    .font(FONT)
    .fontSize(8)
    .fillColor(MUTED)
    .text(
      winAnsi(`Framtagen ${formatSwedishDate(producedOn)} i evb. Lämnas in i IVO:s e-tjänst.`),
      SIDE,
      foot,
      { width: width - 90 },
    )
    .text(`Sida ${number} av ${count}`, SIDE + width - 90, foot, { width: 90, align: 'right' });
}

/**
 * Ends the file: the flows' pages in their order, each with an overlay of its header and footer
 * (`extra` draws more on it first: the contents' page numbers).
 */
function finish(
  file: PdfWriter,
  flows: Writer[],
  context: Context,
  producedOn: IsoDate,
  extra: (page: PdfCanvas, number: number) => void = () => {},
): void {
  const pages = flows.flatMap((w) =>
    w.doc.finish().map((body, i) => ({ body, label: w.pageLabels[i] ?? '' })),
  );
  file.end(
    pages.map(({ body, label }, i) => [
      body,
      file.addContent(
        drawnContent((page) => {
          extra(page, i + 1);
          furniture(page, context, producedOn, label, i + 1, pages.length);
        }),
      ),
    ]),
  );
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
    `${line.episode.kind === 'avbrott' ? 'Avbrott' : 'Beslut'} ${formatSwedishDate(line.episode.start)}, ` +
      `försenat från ${formatSwedishDate(line.overdueFrom)}, ` +
      `${line.daysWaited} dagar vid ${formatSwedishDate(context.referenceDate)}. ` +
      `Status: ${LINE_STATUS_LABEL[line.status] ?? line.status}${line.statusDate ? ` ${formatSwedishDate(line.statusDate)}` : ''}.`,
    { size: 9, colour: MUTED, gap: 0.4 },
  );

  if (filing) {
    w.box(
      [
        {
          text: `Inlämnad till IVO ${formatSwedishDate(filing.filedOn)} av ${filing.filedBy.namn}.`,
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
      ? `${capitalised(report.previous.quarterLabel)}, inlämnad ${formatSwedishDate(report.previous.filedOn)}`
      : 'Ingen',
  );
  w.row(
    'Rapportens status',
    filing
      ? `Inlämnad till IVO ${formatSwedishDate(filing.filedOn)} av ${filing.filedBy.namn}`
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

/** One line's individrapport as a PDF, its bytes given to `write` as they are made. */
export function renderIndividrapportPdf(
  input: Context & { report: IndividrapportExport },
  producedOn: IsoDate,
  write: PdfSink,
): void {
  const file = pdfFile(
    {
      title: `Individrapport ${input.report.line.person.ivoId} – ${quarterTitle(input.quarter)}`,
      subject: 'Individrapport till IVO: ej verkställt beslut',
      author: input.namndNamn,
    },
    write,
  );
  const w = createWriter(file);
  w.setLabel(pageLabelOf(input.report));
  drawReport(w, input.report, input);
  finish(file, [w], input, producedOn);
}

/** What the quarter's PDF knows before its reports: the quarter, and how many lines each group has. */
export type QuarterPdfHead = QuarterExportHead & {
  groupSizes: Record<Kategori, number>;
};

const GROUPS: Kategori[] = ['nyrapportering', 'aterrapportering', 'slutrapportering'];

/**
 * The quarter's individrapporter as one PDF: a cover (nämnd, quarter, window, counts and a list of
 * the lines with the page each starts on), then every line's report on its own pages, grouped as
 * nyrapporteringar, återrapporteringar and slutrapporteringar.
 *
 * Written as the reports come (`add`, in the groups' order): each report's pages go to `write` as
 * they are laid out. The cover, which counts and lists them all, is laid out at `end` and placed
 * first; the page numbers (of the contents, and "Sida x av y") are in each page's overlay, written
 * at the end with the pages.
 */
export class QuarterPdf {
  private readonly file: PdfWriter;
  private readonly reports: Writer;
  /** What the cover says of each report, and the page (in the reports' flow) it starts on. */
  private readonly added: { report: CoverEntry; page: number }[] = [];
  private readonly seen = new Map<Kategori, number>();

  constructor(
    private readonly head: QuarterPdfHead,
    private readonly produced: { on: IsoDate; by: string },
    write: PdfSink,
  ) {
    this.file = pdfFile(
      {
        title: `Individrapporter – ${head.namndNamn} – ${quarterTitle(head.quarter)}`,
        subject: 'Kvartalets individrapporter till IVO: ej verkställda beslut',
        author: head.namndNamn,
      },
      write,
    );
    this.reports = createWriter(this.file);
  }

  /** Lays out and writes the next reports, in the groups' order. */
  add(reports: readonly IndividrapportExport[]): void {
    const w = this.reports;
    for (const report of reports) {
      const k = report.line.kategori;
      const index = this.seen.get(k) ?? 0;
      this.seen.set(k, index + 1);
      if (this.added.length === 0) w.setLabel(pageLabelOf(report));
      else w.newPage(pageLabelOf(report));
      this.added.push({ report: coverEntry(report), page: w.doc.pageIndex });
      if (index === 0) {
        w.text(`${KATEGORI_PLURAL[k]} (${this.head.groupSizes[k] ?? 0})`, {
          font: BOLD,
          size: 9,
          colour: ACCENT,
          gap: 0.3,
        });
      }
      drawReport(w, report, this.head);
    }
  }

  /** Lays out the cover, and ends the file. */
  end(): void {
    const { head, produced } = this;
    const cover = createWriter(this.file);
    const { doc } = cover;
    cover.setLabel('Översikt');
    cover.text('Individrapporter till IVO', { font: BOLD, size: 20, gap: 0.15 });
    cover.text('Ej verkställda beslut och avbrott i verkställigheten', { size: 12, gap: 0.6 });
    cover.row('Nämnd', head.namndNamn);
    cover.row('Kvartal', quarterTitle(head.quarter));
    cover.row('Referensdatum', formatSwedishDate(head.referenceDate));
    cover.row('Rapporteringsfönster', windowText(head.window));
    cover.row('Verksamhetsområden', areasText(head.verksamhetsomraden));
    cover.row('Framtagen', `${formatSwedishDate(produced.on)} av ${produced.by}`);

    const all = this.added.map((a) => a.report);
    const inGroup = (k: Kategori) => all.filter((r) => r.kategori === k);
    cover.heading('Antal rader');
    const countRow = (name: string, reports: CoverEntry[]) => {
      const filed = reports.filter((r) => r.filed).length;
      const toFix = reports.filter((r) => r.toFix).length;
      cover.row(
        name,
        `${reports.length} (inlämnade ${filed}, ej inlämnade ${reports.length - filed}${toFix > 0 ? `, varav ${toFix} med uppgifter att rätta` : ''})`,
      );
    };
    for (const k of GROUPS) countRow(KATEGORI_PLURAL[k], inGroup(k));
    countRow('Totalt', all);
    doc.moveDown(0.5);
    cover.text(
      'En inlämnad rapport visas som den lämnades in; övriga som de skulle lämnas in i dag, med det ' +
        'som måste rättas först. Personer med skyddade personuppgifter redovisas med fiktivt namn ' +
        'och nummer.',
      { size: 9, colour: MUTED, gap: 0.4 },
    );

    // The contents; each entry's page number is drawn in its page's overlay, once the cover's
    // length (and so every report's page number) is known.
    const contents: { page: number; y: number; firstPage: number }[] = [];
    cover.heading('Innehåll');
    if (this.added.length === 0) {
      cover.text('Kvartalet har inga rader att rapportera för de verksamhetsområden som omfattas.');
    } else {
      for (const k of GROUPS) {
        const entries = this.added.filter((a) => a.report.kategori === k);
        if (entries.length === 0) continue;
        cover.ensureSpace(40);
        cover.text(KATEGORI_PLURAL[k], { font: BOLD, size: 10, gap: 0.1 });
        for (const { report, page } of entries) {
          cover.ensureSpace(16);
          contents.push({ page: doc.pageIndex, y: doc.y, firstPage: page });
          cover.text(report.entry, { size: 9, width: cover.width - 60, gap: 0.05 });
        }
      }
    }
    const coverPages = doc.finish().length;
    const contentsOf = new Map<number, typeof contents>();
    for (const entry of contents) {
      const page = contentsOf.get(entry.page);
      if (page) page.push(entry);
      else contentsOf.set(entry.page, [entry]);
    }
    const flows = this.added.length === 0 ? [cover] : [cover, this.reports];
    finish(this.file, flows, head, produced.on, (page, number) => {
      for (const entry of contentsOf.get(number - 1) ?? []) {
        page
          .font(FONT)
          .fontSize(9)
          .fillColor(INK)
          .text(`sida ${coverPages + entry.firstPage + 1}`, SIDE + cover.width - 60, entry.y, {
            width: 60,
            align: 'right',
          });
      }
    });
  }
}

/** What the cover needs of a report: its group, its line in the contents, and its state. */
type CoverEntry = { kategori: Kategori; entry: string; filed: boolean; toFix: boolean };

function coverEntry(report: IndividrapportExport): CoverEntry {
  return {
    kategori: report.line.kategori,
    entry: `${report.line.person.ivoId} · ${report.line.insatsLabel} · ${
      LINE_STATUS_LABEL[report.line.status] ?? report.line.status
    } · ${report.state === 'inlamnad' ? 'inlämnad' : report.findings.length > 0 ? 'utkast, att rätta' : 'utkast'}`,
    filed: report.state === 'inlamnad',
    toFix: report.findings.length > 0,
  };
}
