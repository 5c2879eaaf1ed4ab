import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { RenderTask } from './tasks';

/*
 * The exports' files (PDF, XLSX, CSV) are rendered in worker threads, not on the request thread:
 * a quarter's PDF is seconds of CPU work, and on Node's one event loop every other request would
 * wait for it. The request's thread reads and checks the data (through the same procedures the
 * screens use), hands it to a worker of a piscina pool, and sends the bytes it gets back.
 *
 * Every render has a time limit, counted from when it is handed over (waiting for a free worker
 * included): past it the task is taken off the queue or, when running, its worker is stopped (a
 * new one takes its place), and the caller gets a RenderTimeout. A request that is gone (the
 * browser closed) cancels its render the same way. When more renders wait than the workers can
 * start within reason, a new one is refused at once (RenderBusy) rather than queued for minutes.
 *
 * Settings (environment variables, checked at start-up by env.ts):
 *   EXPORT_TIME_LIMIT_SECONDS  the time limit of one render, 1–3600 (default 60)
 *   EXPORT_WORKERS             how many renders run at once, 1–64 (default: the CPU count less one,
 *                              at least 1 and at most 4, so one core stays with the requests)
 */

export type RenderSettings = {
  /** The longest a render may take, waiting included, in milliseconds. */
  timeLimitMs: number;
  /** The most worker threads, so renders running side by side. */
  workers: number;
};

export const DEFAULT_RENDER_SETTINGS: RenderSettings = {
  timeLimitMs: 60_000,
  workers: Math.min(4, Math.max(1, os.availableParallelism() - 1)),
};

/** Renders allowed to wait for a worker, per worker. */
const QUEUE_PER_WORKER = 8;

/** The render did not finish within the time limit, and was stopped. */
export class RenderTimeout extends Error {
  constructor(readonly limitMs: number) {
    super(`The render took longer than ${limitMs} ms and was stopped`);
    this.name = 'RenderTimeout';
  }
}

/** Too many renders are waiting: this one was not started. */
export class RenderBusy extends Error {
  constructor() {
    super('Too many renders are waiting for a worker');
    this.name = 'RenderBusy';
  }
}

/** The caller went away (its signal aborted) before the render finished. */
export class RenderCancelled extends Error {
  constructor() {
    super('The render was cancelled by its caller');
    this.name = 'RenderCancelled';
  }
}

let settings: RenderSettings = DEFAULT_RENDER_SETTINGS;
/** Renders handed over and not finished: running or waiting for a worker. */
let unfinished = 0;
let pool: Piscina<RenderTask, Uint8Array<ArrayBuffer>> | null = null;

function workerPool(): Piscina<RenderTask, Uint8Array<ArrayBuffer>> {
  pool ??= new Piscina<RenderTask, Uint8Array<ArrayBuffer>>({
    filename: fileURLToPath(new URL('./worker.mjs', import.meta.url)),
    // Without the parent's flags (tsx's or Vitest's loaders): the entry registers tsx itself.
    execArgv: [],
    minThreads: 1,
    maxThreads: settings.workers,
    // A worker beyond the first is let go after a minute without work.
    idleTimeout: 60_000,
    // The queue is bounded below (`unfinished`): piscina's maxQueue does not count tasks that
    // carry an abort signal, and every render here carries one.
  });
  return pool;
}

/**
 * Sets the render settings (main.ts, from the environment; tests). The workers already started
 * finish what they run and are replaced on the next render.
 */
export function configureRender(next: Partial<RenderSettings>): void {
  const before = settings;
  settings = { ...settings, ...next };
  if (pool && before.workers !== settings.workers) {
    const old = pool;
    pool = null;
    void old.close();
  }
}

export function renderSettings(): RenderSettings {
  return settings;
}

/** Stops the workers (waiting renders are refused); the next render starts new ones. */
export async function closeRender(): Promise<void> {
  const old = pool;
  pool = null;
  await old?.destroy();
}

/** Exports past admission (reading their data, or rendering), and those waiting to start. */
let exporting = 0;
const waitingExports: Array<() => void> = [];

/**
 * Runs one export (its data read on the request thread, then its render) once a slot is free:
 * at most EXPORT_WORKERS at a time, so that a burst of downloads cannot fill the request thread
 * with their reading. A slot passes straight to the next in line; when more wait than the workers
 * would take on within reason, the export is refused at once (RenderBusy), before any reading.
 */
export async function withExportSlot<T>(
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (exporting < settings.workers) {
    exporting++;
  } else {
    if (waitingExports.length >= settings.workers * QUEUE_PER_WORKER) throw new RenderBusy();
    await new Promise<void>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      const abort = () => {
        const at = waitingExports.indexOf(start);
        if (at >= 0) waitingExports.splice(at, 1);
        reject(new RenderCancelled());
      };
      signal?.addEventListener('abort', abort, { once: true });
      waitingExports.push(start);
    });
  }
  try {
    return await work();
  } finally {
    const next = waitingExports.shift();
    if (next) next();
    else exporting--;
  }
}

/**
 * Renders `task` in a worker thread and resolves with the file's bytes. Rejects with
 * RenderTimeout past the time limit, RenderBusy when too many renders wait, RenderCancelled when
 * `signal` (the request's) aborts, and with the render's own error when it fails.
 */
export async function renderInWorker(
  task: RenderTask,
  options: { signal?: AbortSignal; timeLimitMs?: number } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  if (unfinished >= settings.workers * (1 + QUEUE_PER_WORKER)) throw new RenderBusy();
  const limitMs = options.timeLimitMs ?? settings.timeLimitMs;
  const timeout = AbortSignal.timeout(limitMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  unfinished++;
  try {
    return await workerPool().run(task, { signal });
  } catch (error) {
    if (timeout.aborted) throw new RenderTimeout(limitMs);
    if (options.signal?.aborted) throw new RenderCancelled();
    throw error;
  } finally {
    unfinished--;
  }
}
