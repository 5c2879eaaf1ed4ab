import { Piscina } from 'piscina';
import type { QuarterExport } from '../routers/exports';
import type { StatisticsReport } from '../routers/statistics';
import { renderIndividrapportPdf, renderQuarterPdf } from '../services/individrapport-pdf';
import { quarterCsv, quarterXlsx } from '../services/quarter-table';
import { renderStatisticsPdf } from '../services/statistics-pdf';

/*
 * What a render worker does (src/render/pool.ts): one file from data already read and checked on
 * the request's thread. Everything here is CPU work on plain data; nothing reads the database.
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
  | { kind: 'busy'; ms: number };

export type RenderKind = RenderTask['kind'];

/** The file of `task`, rendered on the calling thread. */
export async function produce(task: RenderTask): Promise<Uint8Array> {
  switch (task.kind) {
    case 'individrapport.pdf':
      return renderIndividrapportPdf(task.input, task.producedOn);
    case 'kvartal.pdf':
      return renderQuarterPdf(task.data, task.produced);
    case 'kvartal.csv':
      return quarterCsv(task.data);
    case 'kvartal.xlsx':
      return quarterXlsx(task.data, task.produced);
    case 'statistik.pdf':
      return renderStatisticsPdf(task.report, task.producedOn);
    case 'busy': {
      const until = Date.now() + task.ms;
      while (Date.now() < until) {
        // Spin: this is the CPU-bound work a render is.
      }
      return new Uint8Array([1]);
    }
  }
}

/**
 * Renders `task`; the bytes come back moved, not copied. A Buffer may share Node's pool of small
 * buffers, so the bytes are copied once into their own memory before the move.
 */
export async function render(task: RenderTask) {
  const bytes = await produce(task);
  const own = new Uint8Array(bytes.byteLength);
  own.set(bytes);
  return Piscina.move(own);
}
