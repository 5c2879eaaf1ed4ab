import type { MessagePort } from 'node:worker_threads';
import type { Quarter } from '@evb/domain';
import type { QuarterExportHead } from '../routers/exports';
import type { StatisticsReport } from '../routers/statistics';
import {
  exportOfSource,
  type IndividrapportExport,
  type QuarterLineSource,
} from '../services/individrapport-export';
import {
  QuarterPdf,
  type QuarterPdfHead,
  renderIndividrapportPdf,
} from '../services/individrapport-pdf';
import type { ExtractEntry, ReviewView } from '../services/log-review';
import {
  type ExtractFileHead,
  type ReviewReportHead,
  renderExtractCsv,
  renderExtractPdf,
  renderReviewReportPdf,
} from '../services/log-review-files';
import { QuarterCsv, QuarterXlsx } from '../services/quarter-table';
import { renderStatisticsPdf } from '../services/statistics-pdf';

/*
 * What a render worker does (src/render/pool.ts): one file from data already read and checked on
 * the request's thread. Everything here is CPU work on plain data; nothing reads the database.
 *
 * The file goes back as it is made, in pieces of at least CHUNK_BYTES, over a message port of
 * its own: the request's thread sends each piece on to the client while the rest is rendered,
 * and nobody holds the whole file. A piece is moved to the other thread, not copied. The last
 * message is END; an error ends the task instead (piscina gives it to the caller).
 *
 * A quarter's files take their reports over the same port, a few hundred at a time as the
 * request's thread reads them (QuarterReportsMessage), then END: the worker renders each batch
 * while the next is read. The CSV's and the XLSX's reports come as what they are built from (the
 * lines read and checked on the request's thread, services/quarter-reports.ts), and the worker
 * builds them (exportOfSource): their rendering is light, and on the embedded database the
 * reading holds the request's thread, so the building, as much CPU work again, is better done
 * here. The PDF's come built: its rendering is the longest part, and building them here too would
 * only lengthen it.
 */

export type RenderTask =
  | {
      kind: 'individrapport.pdf';
      input: Parameters<typeof renderIndividrapportPdf>[0];
      producedOn: string;
    }
  /** The reports come as input, in the groups' order (ny, åter, slut). */
  | { kind: 'kvartal.pdf'; head: QuarterPdfHead; produced: { on: string; by: string } }
  /** The reports come as input, in the quarter view's order. */
  | { kind: 'kvartal.csv'; build: QuarterBuild }
  | {
      kind: 'kvartal.xlsx';
      head: QuarterExportHead;
      produced: { at: Date; by: string };
      build: QuarterBuild;
    }
  | { kind: 'statistik.pdf'; report: StatisticsReport; producedOn: string }
  /** Loggkontroll's files (services/log-review-files.ts), from rows read on the request's thread. */
  | { kind: 'loggutdrag.csv'; entries: ExtractEntry[] }
  | { kind: 'loggutdrag.pdf'; head: ExtractFileHead; entries: ExtractEntry[] }
  | { kind: 'loggranskning.pdf'; head: ReviewReportHead; view: ReviewView }
  /** For the tests of the pool: keeps the thread busy for `ms` milliseconds. */
  | { kind: 'busy'; ms: number; pieces?: number };

export type RenderKind = RenderTask['kind'];

/** What the pool hands a worker: the task and the port its input comes and its file goes on. */
export type RenderJob = { task: RenderTask; port: MessagePort };

/** The message after the file's last piece, and after the last input. */
export const END = 'end';

/** How a quarter file's reports are built from their sources (exportOfSource). */
export type QuarterBuild = { quarter: Quarter; rapportor: string };

/**
 * A quarter file's input: the next reports (the PDF's), or what they are built from (the CSV's
 * and the XLSX's).
 */
export type QuarterReportsMessage =
  | { reports: IndividrapportExport[] }
  | { sources: QuarterLineSource[] };

/** The reports of a quarter file's input, built as they come when they come as sources. */
async function* reportsOf(
  input: AsyncIterable<QuarterReportsMessage>,
  build?: QuarterBuild,
): AsyncGenerator<IndividrapportExport[]> {
  for await (const message of input) {
    if ('reports' in message) {
      yield message.reports;
    } else {
      if (!build) throw new Error('Reports to build come without how to build them');
      yield message.sources.map((source) => exportOfSource(source, build.quarter, build.rapportor));
    }
  }
}

/** The smallest piece of a file sent on (the last may be smaller). */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Renders `task` on the calling thread, giving the file's bytes to `write` as they are made; a
 * quarter's file takes its reports from `input`.
 */
export async function produce(
  task: RenderTask,
  write: (chunk: Uint8Array) => void,
  input: AsyncIterable<QuarterReportsMessage> = (async function* () {})(),
): Promise<void> {
  switch (task.kind) {
    case 'individrapport.pdf':
      return renderIndividrapportPdf(task.input, task.producedOn, write);
    case 'kvartal.pdf': {
      const pdf = new QuarterPdf(task.head, task.produced, write);
      for await (const reports of reportsOf(input)) pdf.add(reports);
      return pdf.end();
    }
    case 'kvartal.csv': {
      const csv = new QuarterCsv(write);
      for await (const reports of reportsOf(input, task.build)) csv.add(reports);
      return;
    }
    case 'kvartal.xlsx': {
      const xlsx = new QuarterXlsx(task.head, task.produced, write);
      for await (const reports of reportsOf(input, task.build)) xlsx.add(reports);
      return xlsx.end();
    }
    case 'statistik.pdf':
      return write(await renderStatisticsPdf(task.report, task.producedOn));
    case 'loggutdrag.csv':
      return renderExtractCsv(task.entries, write);
    case 'loggutdrag.pdf':
      return renderExtractPdf(task.head, task.entries, write);
    case 'loggranskning.pdf':
      return renderReviewReportPdf(task.head, task.view, write);
    case 'busy': {
      // Spins: this is the CPU-bound work a render is. With pieces, one byte after each part.
      const pieces = task.pieces ?? 1;
      for (let piece = 0; piece < pieces; piece++) {
        const until = Date.now() + task.ms / pieces;
        while (Date.now() < until) {
          // Spin.
        }
        write(new Uint8Array([piece + 1]));
      }
      return;
    }
  }
}

/** The messages that come on `port` until END. */
async function* inputFrom(port: MessagePort): AsyncGenerator<QuarterReportsMessage> {
  const waiting: (QuarterReportsMessage | typeof END)[] = [];
  let wake: (() => void) | null = null;
  const onMessage = (message: QuarterReportsMessage | typeof END) => {
    waiting.push(message);
    wake?.();
  };
  port.on('message', onMessage);
  try {
    for (;;) {
      while (waiting.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = waiting.shift()!;
      if (message === END) return;
      yield message;
    }
  } finally {
    port.off('message', onMessage);
  }
}

/**
 * Gathers the bytes given to it into pieces of at least CHUNK_BYTES, each in memory of its own
 * so that it can be moved to the other thread.
 */
export function chunker(send: (piece: Uint8Array<ArrayBuffer>) => void) {
  let parts: Uint8Array[] = [];
  let size = 0;
  const flush = () => {
    if (size === 0) return;
    const piece = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      piece.set(part, at);
      at += part.byteLength;
    }
    parts = [];
    size = 0;
    send(piece);
  };
  return {
    write(bytes: Uint8Array) {
      if (bytes.byteLength === 0) return;
      parts.push(bytes);
      size += bytes.byteLength;
      if (size >= CHUNK_BYTES) flush();
    },
    flush,
  };
}

/** The worker's task: renders the job's file onto its port. */
export async function render({ task, port }: RenderJob): Promise<void> {
  const out = chunker((piece) => port.postMessage(piece, [piece.buffer]));
  // A 'busy' task of the tests sends each piece at once, to show them arriving as they are made.
  const write =
    task.kind === 'busy'
      ? (bytes: Uint8Array) => {
          out.write(bytes);
          out.flush();
        }
      : out.write;
  try {
    await produce(task, write, inputFrom(port));
    out.flush();
    port.postMessage(END);
  } finally {
    port.close();
  }
}
