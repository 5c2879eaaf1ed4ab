import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { END, type RenderJob, type RenderTask } from './tasks';

/*
 * The exports' files (PDF, XLSX, CSV) are rendered in worker threads, not on the request thread:
 * a quarter's PDF is seconds of CPU work, and on Node's one event loop every other request would
 * wait for it. The request's thread reads and checks the data (through the same procedures the
 * screens use) and hands it to a worker of a piscina pool. The file comes back as it is made, in
 * pieces over a message port of the render's own (tasks.ts), and the request's thread sends each
 * piece on: the client receives the first pages of a quarter's PDF while the rest is rendered,
 * and neither thread holds the whole file.
 *
 * The answer's status is decided when the first piece arrives: a render refused or stopped
 * before then is answered with a Swedish 503; one stopped later (the time limit, the client gone)
 * ends the stream early, and the client's download fails rather than completing with half a file.
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
let pool: Piscina<RenderJob, void> | null = null;

/**
 * From source (tsx, Vitest) this module is pool.ts and its worker entry is worker.mjs beside it;
 * in the production build (build.mjs) it is bundled into dist/, where the entry is
 * render-worker.js.
 */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./worker.mjs', import.meta.url)
    : new URL('./render-worker.js', import.meta.url);
}

function workerPool(): Piscina<RenderJob, void> {
  pool ??= new Piscina<RenderJob, void>({
    filename: fileURLToPath(workerEntry()),
    // Without the parent's flags (tsx's or Vitest's loaders): from source the entry registers tsx
    // itself; the production build's entry is plain JavaScript.
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
 * Waits for a slot for one export (its data read on the request thread, then its render): at
 * most EXPORT_WORKERS at a time, so that a burst of downloads cannot fill the request thread
 * with their reading. Resolves with the function that gives the slot back (once; it passes
 * straight to the next in line). When more wait than the workers would take on within reason,
 * the export is refused at once (RenderBusy), before any reading; one whose caller leaves while
 * it waits is taken out of the line (RenderCancelled).
 */
export async function acquireExportSlot(signal: AbortSignal | undefined): Promise<() => void> {
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
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waitingExports.shift();
    if (next) next();
    else exporting--;
  };
}

/** Runs `work` within an export slot (acquireExportSlot), giving the slot back when it settles. */
export async function withExportSlot<T>(
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const release = await acquireExportSlot(signal);
  try {
    return await work();
  } finally {
    release();
  }
}

/** The reason a render ended early, as the caller gets it. */
function renderError(
  error: unknown,
  timeout: AbortSignal,
  limitMs: number,
  callers: AbortSignal[],
): unknown {
  if (timeout.aborted) return new RenderTimeout(limitMs);
  if (callers.some((s) => s.aborted)) return new RenderCancelled();
  return error;
}

/**
 * Renders `task` in a worker thread, the file coming back as it is made, and resolves with a
 * stream of its bytes once its first piece has arrived (or the render ended without any) and
 * `input` has all been sent. Before that it rejects with RenderTimeout past the time limit,
 * RenderBusy when too many renders wait, RenderCancelled when `signal` (the request's) aborts,
 * the render's own error, or the error `input` threw (the render is then stopped); after that the
 * same errors end the stream, and `onError` hears of them. Cancelling the stream (the client has
 * gone) stops the render.
 *
 * `input` is the task's data made on this thread while the worker renders (a quarter's reports,
 * built a few hundred at a time): each item is sent to the worker as it comes. The stream is
 * handed over only when all of it has been made, so that a refusal found while making it (the
 * data changed meanwhile: 409) is still answered as one, not as a broken download.
 */
export async function streamInWorker(
  task: RenderTask,
  options: {
    signal?: AbortSignal;
    timeLimitMs?: number;
    input?: AsyncIterable<unknown>;
    onError?: (error: unknown) => void;
    /** Called once when the render is over: the whole file came, it failed or was cancelled. */
    onSettled?: () => void;
  } = {},
): Promise<ReadableStream<Uint8Array>> {
  if (unfinished >= settings.workers * (1 + QUEUE_PER_WORKER)) throw new RenderBusy();
  const limitMs = options.timeLimitMs ?? settings.timeLimitMs;
  const timeout = AbortSignal.timeout(limitMs);
  const dropped = new AbortController();
  const callers = options.signal ? [options.signal, dropped.signal] : [dropped.signal];
  /** Aborted when making the input failed: the render is of no use. */
  const inputFailed = new AbortController();
  const { port1, port2 } = new MessageChannel();
  unfinished++;

  return new Promise((resolve, reject) => {
    /** Whether the stream has been handed to the caller. */
    let streaming = false;
    /** Whether the render is over: the whole file came, or the render failed. */
    let over = false;
    /** Whether a piece of the file (or its end) has come, and all the input has been sent. */
    let output = false;
    let inputSent = options.input === undefined;
    let inputError: { error: unknown } | null = null;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
      cancel() {
        // The client has gone: the render stops if it still runs.
        dropped.abort();
        finish();
      },
    });
    const finish = () => {
      if (over) return;
      over = true;
      unfinished--;
      port1.close();
      options.onSettled?.();
    };
    const handOver = () => {
      if (streaming || !output || !inputSent) return;
      streaming = true;
      resolve(stream);
    };
    const fail = (reason: unknown) => {
      finish();
      if (!streaming) return reject(reason);
      options.onError?.(reason);
      controller.error(reason);
    };
    port1.on('message', (message: Uint8Array | typeof END) => {
      if (over) return;
      output = true;
      if (message === END) {
        // Sent only after the whole file: the render succeeded.
        finish();
        controller.close();
      } else {
        controller.enqueue(message);
      }
      handOver();
    });
    workerPool()
      .run({ task, port: port2 } satisfies RenderJob, {
        signal: AbortSignal.any([timeout, inputFailed.signal, ...callers]),
        transferList: [port2],
      })
      .catch((error: unknown) => {
        if (over) return;
        fail(inputError ? inputError.error : renderError(error, timeout, limitMs, callers));
      });
    if (options.input) {
      const input = options.input;
      void (async () => {
        try {
          for await (const item of input) {
            if (over) return;
            port1.postMessage(item);
          }
          if (over) return;
          port1.postMessage(END);
          inputSent = true;
          handOver();
        } catch (error) {
          if (over) return;
          inputError = { error };
          inputFailed.abort();
          fail(error);
        }
      })();
    }
  });
}

/**
 * Renders `task` in a worker thread and resolves with the file's bytes. Rejects as
 * streamInWorker does.
 */
export async function renderInWorker(
  task: RenderTask,
  options: { signal?: AbortSignal; timeLimitMs?: number } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const stream = await streamInWorker(task, options);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
