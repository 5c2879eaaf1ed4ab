import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { quarterOf, todayInStockholm } from '@evb/domain';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../env';
import { DEMO_PASSWORD } from '../seed/organisation';
import { freePort, type Run, runScript, signInOverHttp, untilRunning } from '../testing/processes';
import {
  closeRender,
  configureRender,
  DEFAULT_RENDER_SETTINGS,
  RenderBusy,
  RenderCancelled,
  RenderTimeout,
  renderInWorker,
  streamInWorker,
  withExportSlot,
} from './pool';

/*
 * The render pool (pool.ts): files are made in worker threads — the TypeScript tasks loaded
 * through worker.mjs, which registers tsx — off the thread that answers requests, within a time
 * limit, with a bounded queue. Under Vitest here, and under `tsx src/main.ts` (the production
 * build, node dist/main.js, in production-build.test.ts).
 */

afterAll(async () => {
  await closeRender();
});

/** The longest the event loop was held while `work` ran: a timer every 5 ms measures the lag. */
async function loopLagDuring<T>(work: Promise<T>): Promise<{ result: T; lagMs: number }> {
  let lagMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lagMs = Math.max(lagMs, now - last - 5);
    last = now;
  }, 5);
  try {
    return { result: await work, lagMs };
  } finally {
    clearInterval(timer);
  }
}

describe('the render pool', () => {
  afterEach(() => {
    configureRender(DEFAULT_RENDER_SETTINGS);
  });

  it('runs a render in a worker thread: the request thread stays free meanwhile', async () => {
    // Warm: the first task starts the worker (tsx and the renderers load).
    await renderInWorker({ kind: 'busy', ms: 1 });
    const started = performance.now();
    const { result, lagMs } = await loopLagDuring(renderInWorker({ kind: 'busy', ms: 1500 }));
    const took = performance.now() - started;
    expect([...result]).toEqual([1]);
    expect(took).toBeGreaterThanOrEqual(1500);
    // On this thread the same work would hold every timer for 1.5 s.
    expect(lagMs).toBeLessThan(took / 5);
  });

  it('stops a render past the time limit, and the next render runs', async () => {
    await renderInWorker({ kind: 'busy', ms: 1 });
    const started = performance.now();
    await expect(
      renderInWorker({ kind: 'busy', ms: 60_000 }, { timeLimitMs: 500 }),
    ).rejects.toBeInstanceOf(RenderTimeout);
    expect(performance.now() - started).toBeLessThan(5_000);
    // The stopped worker is replaced.
    const next = await renderInWorker({ kind: 'busy', ms: 1 }, { timeLimitMs: 30_000 });
    expect([...next]).toEqual([1]);
  });

  it('counts waiting for a worker in the time limit, and stops a render its caller gave up', async () => {
    configureRender({ workers: 1 });
    await renderInWorker({ kind: 'busy', ms: 1 });
    const long = renderInWorker({ kind: 'busy', ms: 2_000 });
    // Waits behind the long one past its own limit: taken off the queue, never run.
    await expect(
      renderInWorker({ kind: 'busy', ms: 1 }, { timeLimitMs: 300 }),
    ).rejects.toBeInstanceOf(RenderTimeout);
    await long;
    const caller = new AbortController();
    const cancelled = renderInWorker({ kind: 'busy', ms: 60_000 }, { signal: caller.signal });
    setTimeout(() => caller.abort(), 200);
    await expect(cancelled).rejects.toBeInstanceOf(RenderCancelled);
  });

  it('refuses a render at once when too many wait for a worker', async () => {
    configureRender({ workers: 1 });
    await renderInWorker({ kind: 'busy', ms: 1 });
    // One runs, eight (the queue of one worker) wait; the tenth is refused.
    const accepted = Array.from({ length: 9 }, () => renderInWorker({ kind: 'busy', ms: 150 }));
    await expect(renderInWorker({ kind: 'busy', ms: 1 })).rejects.toBeInstanceOf(RenderBusy);
    await Promise.all(accepted);
  });

  it('lets one export per worker read its data at a time, and refuses a burst before it reads', async () => {
    configureRender({ workers: 1 });
    let running = 0;
    let most = 0;
    let started = 0;
    const work = async () => {
      started++;
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return started;
    };
    // One runs, eight wait (a worker's queue); the tenth is refused at once, nothing read.
    const accepted = Array.from({ length: 9 }, () => withExportSlot(undefined, work));
    await expect(withExportSlot(undefined, work)).rejects.toBeInstanceOf(RenderBusy);
    expect(started).toBe(1);
    await Promise.all(accepted);
    expect(started).toBe(9);
    expect(most).toBe(1);
    // A waiting export whose caller leaves is taken out of the line.
    const holder = withExportSlot(undefined, work);
    const caller = new AbortController();
    const waiting = withExportSlot(caller.signal, work);
    caller.abort();
    await expect(waiting).rejects.toBeInstanceOf(RenderCancelled);
    await holder;
    expect(started).toBe(10);
    await expect(withExportSlot(undefined, work)).resolves.toBe(11);
  });

  it('streams a file as the worker makes it: the first piece well before the render ends', async () => {
    await renderInWorker({ kind: 'busy', ms: 1 });
    const started = performance.now();
    // Ten pieces, one every 150 ms.
    const stream = await streamInWorker({ kind: 'busy', ms: 1500, pieces: 10 });
    const firstMs = performance.now() - started;
    const pieces: number[] = [];
    for await (const chunk of stream) pieces.push(...chunk);
    const allMs = performance.now() - started;
    expect(pieces).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(allMs).toBeGreaterThanOrEqual(1500);
    expect(firstMs).toBeLessThan(allMs / 2);
  });

  it('stops the render when its stream is cancelled (the client has gone), and frees the worker', async () => {
    configureRender({ workers: 1 });
    await renderInWorker({ kind: 'busy', ms: 1 });
    let settled = 0;
    const stream = await streamInWorker(
      { kind: 'busy', ms: 60_000, pieces: 600 },
      { onSettled: () => settled++ },
    );
    const reader = stream.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    await reader.cancel();
    expect(settled).toBe(1);
    // With one worker, the next render runs only once the cancelled one is stopped.
    const started = performance.now();
    expect([...(await renderInWorker({ kind: 'busy', ms: 1 }))]).toEqual([1]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('ends a stream past the time limit with RenderTimeout, and says so to onError', async () => {
    await renderInWorker({ kind: 'busy', ms: 1 });
    const errors: unknown[] = [];
    const stream = await streamInWorker(
      { kind: 'busy', ms: 60_000, pieces: 600 },
      { timeLimitMs: 1_000, onError: (error) => errors.push(error) },
    );
    const reading = (async () => {
      for await (const _ of stream) {
        // Read on until the stream ends.
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(RenderTimeout);
    expect(errors).toEqual([expect.any(RenderTimeout)]);
  });

  it('sends the input to the worker as it is made, and hands the stream over once all is sent', async () => {
    await renderInWorker({ kind: 'busy', ms: 1 });
    let made = 0;
    async function* reports() {
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        made++;
        yield { sources: [] };
      }
    }
    const build = { quarter: { year: 2026, quarter: 3 as const }, rapportor: 'Rapportör' };
    const stream = await streamInWorker({ kind: 'kvartal.csv', build }, { input: reports() });
    expect(made).toBe(3);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
      await new Response(stream).arrayBuffer(),
    );
    expect(csv).toMatch(/^\uFEFFKategori;Beslut-id;/);
    expect(csv.split('\r\n')).toHaveLength(2);
  });

  it('stops the render and rejects with the input’s own error when making the input fails', async () => {
    configureRender({ workers: 1 });
    await renderInWorker({ kind: 'busy', ms: 1 });
    const refusal = new Error('Kvartalets uppgifter ändrades medan exporten togs fram.');
    async function* failing() {
      yield { sources: [] };
      throw refusal;
    }
    const build = { quarter: { year: 2026, quarter: 3 as const }, rapportor: 'Rapportör' };
    await expect(streamInWorker({ kind: 'kvartal.csv', build }, { input: failing() })).rejects.toBe(
      refusal,
    );
    // The worker is free again.
    expect([...(await renderInWorker({ kind: 'busy', ms: 1 }))]).toEqual([1]);
  });

  it('rejects with the render’s own error when a render fails', async () => {
    await expect(
      renderInWorker({ kind: 'individrapport.pdf', input: null as never, producedOn: '' }),
    ).rejects.toBeInstanceOf(TypeError);
  });
});

describe('the render settings from the environment', () => {
  it('defaults to a minute and one worker less than the CPUs (1 to 4)', () => {
    expect(parseEnv({}).render).toEqual(DEFAULT_RENDER_SETTINGS);
    expect(DEFAULT_RENDER_SETTINGS.timeLimitMs).toBe(60_000);
    expect(DEFAULT_RENDER_SETTINGS.workers).toBeGreaterThanOrEqual(1);
    expect(DEFAULT_RENDER_SETTINGS.workers).toBeLessThanOrEqual(4);
    expect(parseEnv({ EXPORT_TIME_LIMIT_SECONDS: '', EXPORT_WORKERS: '' }).render).toEqual(
      DEFAULT_RENDER_SETTINGS,
    );
  });

  it('reads EXPORT_TIME_LIMIT_SECONDS and EXPORT_WORKERS', () => {
    expect(parseEnv({ EXPORT_TIME_LIMIT_SECONDS: '120', EXPORT_WORKERS: '2' }).render).toEqual({
      timeLimitMs: 120_000,
      workers: 2,
    });
  });

  it('names every wrong variable', () => {
    const wrong = () => parseEnv({ EXPORT_TIME_LIMIT_SECONDS: '0', EXPORT_WORKERS: 'many' });
    expect(wrong).toThrow(EnvError);
    expect(wrong).toThrow(
      /EXPORT_TIME_LIMIT_SECONDS: must be a whole number from 1 to 3600, got "0"[\s\S]*EXPORT_WORKERS: must be a whole number from 1 to 64, got "many"/,
    );
  });
});

describe('the render workers under `tsx src/main.ts`', () => {
  it('a wrong EXPORT_WORKERS or EXPORT_TIME_LIMIT_SECONDS stops the server, naming it', async () => {
    const wrong = runScript('src/main.ts', [], {
      EXPORT_WORKERS: '0',
      EXPORT_TIME_LIMIT_SECONDS: 'en minut',
    });
    expect(await wrong.exit).toBe(1);
    expect(wrong.output()).toContain('Invalid environment configuration');
    expect(wrong.output()).toContain(
      'EXPORT_TIME_LIMIT_SECONDS: must be a whole number from 1 to 3600, got "en minut"',
    );
    expect(wrong.output()).toContain(
      'EXPORT_WORKERS: must be a whole number from 1 to 64, got "0"',
    );
  }, 60_000);

  let tmp: string;
  let run: Run | undefined;

  afterAll(async () => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('the server started from source (tsx, as `pnpm dev` runs it) renders an export in a worker', async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'evb-render-test-'));
    const port = await freePort();
    run = runScript('src/main.ts', [], {
      PORT: String(port),
      DATA_DIR: tmp,
      EXPORT_TIME_LIMIT_SECONDS: '120',
    });
    await untilRunning(run);
    const base = `http://127.0.0.1:${port}`;
    const { cookie, roles } = await signInOverHttp(base, 'huvudrapportor', DEMO_PASSWORD);
    const namndId = roles.find((r) => r.role === 'huvudrapportor')!.namndId!;
    const q = quarterOf(todayInStockholm());
    const response = await fetch(
      `${base}/api/export/kvartal.csv?namndId=${namndId}&quarter=${q.year}-Q${q.quarter}`,
      { headers: { cookie } },
    );
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = await response.text();
    expect(csv.split('\r\n')[0]).toMatch(/^\uFEFF?Kategori;Beslut-id;IVO-id;Namn;/);
  }, 240_000);
});
