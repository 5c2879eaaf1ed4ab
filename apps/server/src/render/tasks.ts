import type { MessagePort } from 'node:worker_threads';
import type { QuarterExport } from '../routers/exports';
import type { StatisticsReport } from '../routers/statistics';
import { renderIndividrapportPdf, renderQuarterPdf } from '../services/individrapport-pdf';
import { writeQuarterCsv, writeQuarterXlsx } from '../services/quarter-table';
import { renderStatisticsPdf } from '../services/statistics-pdf';

/*
 * What a render worker does (src/render/pool.ts): one file from data already read and checked on
 * the request's thread. Everything here is CPU work on plain data; nothing reads the database.
 *
 * The file goes back as it is made, in pieces of at least CHUNK_BYTES, over a message port of
 * its own: the request's thread sends each piece on to the client while the rest is rendered,
 * and nobody holds the whole file. A piece is moved to the other thread, not copied. The last
 * message is END; an error ends the task instead (piscina gives it to the caller).
 */

export type RenderTask =
  | {
      kind: 'individrapport.pdf';
      input: Parameters<typeof renderIndividrapportPdf>[0];
      producedOn: string;
    }
  | { kind: 'kvartal.pdf'; data: QuarterExport; produced: { on: string; by: string } }
  | { kind: 'kvartal.csv'; data: QuarterExport }
  | { kind: 'kvartal.xlsx'; data: QuarterExport; produced: { at: Date; by: string } }
  | { kind: 'statistik.pdf'; report: StatisticsReport; producedOn: string }
  /** For the tests of the pool: keeps the thread busy for `ms` milliseconds. */
  | { kind: 'busy'; ms: number; pieces?: number };

export type RenderKind = RenderTask['kind'];

/** What the pool hands a worker: the task and the port its file goes back on. */
export type RenderJob = { task: RenderTask; port: MessagePort };

/** The message after the file's last piece. */
export const END = 'end';

/** The smallest piece of a file sent on (the last may be smaller). */
export const CHUNK_BYTES = 64 * 1024;

/** Renders `task` on the calling thread, giving the file's bytes to `write` as they are made. */
export async function produce(task: RenderTask, write: (chunk: Uint8Array) => void) {
  switch (task.kind) {
    case 'individrapport.pdf':
      return renderIndividrapportPdf(task.input, task.producedOn, write);
    case 'kvartal.pdf':
      return renderQuarterPdf(task.data, task.produced, write);
    case 'kvartal.csv':
      return writeQuarterCsv(task.data, write);
    case 'kvartal.xlsx':
      return writeQuarterXlsx(task.data, task.produced, write);
    case 'statistik.pdf':
      return write(await renderStatisticsPdf(task.report, task.producedOn));
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
    await produce(task, write);
    out.flush();
    port.postMessage(END);
  } finally {
    port.close();
  }
}
