import { TRPCClientError } from '@trpc/client';
import type { LocalCase } from '../local/cases';
import type { PagePuller, PulledPage } from './pull-page';

/*
 * The two ends of the sync worker (pull-worker.ts), which keeps the heavy work of the device's copy
 * off the page's main thread:
 *   - pull: fetch one page of sync.pullPacked, parse it and write it to IndexedDB (the engine asks,
 *     page after page, through {@link workerPuller});
 *   - cases: read every decision with its events and work out its status (the lists read it
 *     through {@link workerCaseReader}).
 * A failed call comes back as the same kind of error, so the engine handles a 401 from the worker
 * as one from its own thread (the session ended: sign in again).
 */

/** What both a Worker and the worker's own global scope offer (and a MessagePort, in tests). */
export type Port = {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

/** A Worker as the page sees it: it can also fail to start, and be stopped. */
export type WorkerLike = Port & {
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate?: () => void;
};

/** What the worker does, by request kind. */
export type WorkerCalls = {
  pull: (limit: number) => Promise<PulledPage>;
  cases: (today: string) => Promise<LocalCase[]>;
};
type Kind = keyof WorkerCalls;

export type WorkerRequest = { id: number; kind: Kind; arg: unknown };

/** A failed call as it crosses to the page: a tRPC error keeps the server's shape (its data). */
export type SentError = { message: string; shape?: unknown };

export type WorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SentError };

export function sendableError(error: unknown): SentError {
  if (error instanceof TRPCClientError) {
    // The shape is plain JSON ({ message, code, data: { httpStatus, sessionEnded, … } }).
    return error.shape === undefined
      ? { message: error.message }
      : { message: error.message, shape: error.shape };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * The error as the engine would have caught it in its own thread: a TRPCClientError when the
 * server answered (errorStatus and unauthorizedOf read its data), otherwise a plain Error (the
 * network failed: "the server does not answer").
 */
export function receivedError(sent: SentError): Error {
  if (sent.shape !== undefined) {
    return new TRPCClientError(sent.message, { result: { error: sent.shape } } as never);
  }
  return new Error(sent.message);
}

/**
 * In the worker: answers every request. Pulls run one at a time in the order asked (the cursor
 * one writes is where the next starts); reads of the cases run as they come.
 */
export function serveWorker(port: Port, calls: WorkerCalls): void {
  let pulls = Promise.resolve();
  const answer = async (id: number, run: () => Promise<unknown>) => {
    let response: WorkerResponse;
    try {
      response = { id, ok: true, value: await run() };
    } catch (error) {
      response = { id, ok: false, error: sendableError(error) };
    }
    port.postMessage(response);
  };
  port.onmessage = (event) => {
    const { id, kind, arg } = event.data as WorkerRequest;
    if (kind === 'pull') {
      pulls = pulls.then(() => answer(id, () => calls.pull(arg as number)));
    } else {
      void answer(id, () => calls.cases(arg as string));
    }
  };
}

export type WorkerClient = <K extends Kind>(
  kind: K,
  arg: Parameters<WorkerCalls[K]>[0],
) => ReturnType<WorkerCalls[K]>;

/**
 * In the page: calls the worker `connect` starts (on the first call). When the worker fails to run
 * (its script did not load), the calls waiting fail and the next one starts it again.
 */
export function workerClient(connect: () => WorkerLike): WorkerClient {
  let port: WorkerLike | null = null;
  let nextId = 0;
  const waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >();
  const start = () => {
    const p = connect();
    p.onmessage = (event) => {
      const response = event.data as WorkerResponse;
      const w = waiting.get(response.id);
      if (!w) return;
      waiting.delete(response.id);
      if (response.ok) w.resolve(response.value);
      else w.reject(receivedError(response.error));
    };
    p.onerror = (event) => {
      event.preventDefault();
      p.terminate?.();
      if (port === p) port = null;
      for (const w of waiting.values()) w.reject(new Error('Synkningen kunde inte starta.'));
      waiting.clear();
    };
    return p;
  };
  return ((kind: Kind, arg: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      port ??= start();
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      port.postMessage({ id, kind, arg } satisfies WorkerRequest);
    })) as WorkerClient;
}

/** The engine's puller: each page fetched and written in the worker. */
export function workerPuller(client: WorkerClient): PagePuller {
  return (limit) => client('pull', limit);
}

/** The lists' read of every case, statuses worked out in the worker. */
export function workerCaseReader(client: WorkerClient): (today: string) => Promise<LocalCase[]> {
  return (today) => client('cases', today);
}

/** The browser's sync worker (Vite bundles pull-worker.ts as a module worker of its own). */
export function startSyncWorker(): Worker {
  return new Worker(new URL('./pull-worker.ts', import.meta.url), {
    type: 'module',
    name: 'evb-sync',
  });
}
