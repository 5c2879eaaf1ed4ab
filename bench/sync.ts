/*
 * The sync benchmark of issue 13: a device's first sync on the 100 000-decision data (or --size N).
 * Seeds the data as bench/server.ts does (bench/setup.ts), starts the server in its own process as
 * `pnpm start` runs it, and for each demo role's user (utförare, matchare, handläggare, rapportör)
 * prints:
 *   - the first sync over HTTP, pulled as the PWA pulls (`GET /api/trpc/sync.pullPacked`, limit 500,
 *     sending back the cursor and scopeKey each page returned, until `more` is false): its pages,
 *     rows, bytes on the wire (asked with the Accept-Encoding a browser sends over HTTPS, which
 *     gets Brotli; --accept-encoding gzip for gzip) and uncompressed, the bytes the same pages
 *     would take with gzip (compressed here, level 6, as the server's gzip), and its time
 *     (targets: ≤ 2 MB over the wire, ≤ 3 s),
 *   - the time of its first and its last page, and their ratio (target: last ≤ 1.2× first),
 *   - an incremental pull: 100 notes pushed (sync.push) onto decisions the user sees, then one
 *     pull from the cursor the first sync ended at (target < 50 ms);
 * and, in Chromium, the time from submitting the sign-in form as the utförare on an empty device
 * until "Mina beställningar" shows its first card (target ≤ 3 s; needs the built PWA:
 * `cd apps/pwa && npx vite build`).
 *
 *   npx -y pnpm@10 --filter @evb/bench run sync [--size N] [--database-url URL] [--keep DIR]
 *                                                [--role-timeout SECONDS]
 *
 * The database is opened as bench/server.ts opens it: PostgreSQL at --database-url, else PGlite in
 * a temporary folder or in --keep DIR; an empty one is seeded first (minutes), one with data is
 * measured as it is. Each run adds 100 notes per role to the data. A role whose first sync takes
 * longer than --role-timeout (default 180 s) is cut there and reported with its pages so far.
 *
 * The cursor is treated as opaque (whatever the last page returned is sent back as it is), and
 * fields of the answer not named here are ignored. The times are the client's, from sending a
 * request to its last byte, over loopback; the server and this client share the machine.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { todayInStockholm } from '@evb/domain';
import { chromium } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
import { createSession, SESSION_COOKIE } from '../apps/server/src/auth/sessions';
import { DEMO_PASSWORD } from '../apps/server/src/seed/organisation';
import { openBenchDatabase, seedIfEmpty, startServer } from './setup';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '100000' },
    'events-per-decision': { type: 'string', default: '20' },
    'database-url': { type: 'string' },
    keep: { type: 'string' },
    'role-timeout': { type: 'string', default: '180' },
    'accept-encoding': { type: 'string', default: 'gzip, deflate, br, zstd' },
  },
});

const ROLES = ['utforare', 'matchare', 'handlaggare', 'rapportor'] as const;
type RoleName = (typeof ROLES)[number];
const ROLE_LABELS: Record<RoleName, string> = {
  utforare: 'utförare',
  matchare: 'matchare',
  handlaggare: 'handläggare',
  rapportor: 'rapportör',
};
const PULL_LIMIT = 500;
const ACCEPT_ENCODING = values['accept-encoding'];
const NOTES = 100;
const ROLE_TIMEOUT_MS = Number(values['role-timeout']) * 1000;
const CHROMIUM = '/usr/bin/chromium';
const PWA_INDEX = path.resolve(import.meta.dirname, '..', 'apps', 'pwa', 'dist', 'index.html');

const today = todayInStockholm();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;
const ms = (t: number) => (t >= 10_000 ? `${(t / 1000).toFixed(1)} s` : `${t.toFixed(0)} ms`);

// --- the data and the server -------------------------------------------------------------------

const { database, cleanup, where, serverEnv } = await openBenchDatabase({
  databaseUrl: values['database-url'],
  keep: values.keep,
});
console.log(`Database: ${where}`);
await seedIfEmpty(database, {
  size: values.size,
  eventsPerDecision: values['events-per-decision'],
  today,
});

// Each demo user's session, made here as signing in would make it.
const cookies = new Map<RoleName, string>();
for (const username of ROLES) {
  const user = await database.db
    .selectFrom('appUser')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (!user) throw new Error(`No demo user ${username} in the database`);
  const session = await createSession(database.db, user.id);
  cookies.set(username, `${SESSION_COOKIE}=${session.token}`);
}
// The embedded database can be open in one program only.
await database.close();

const server = await startServer(serverEnv);
const { base } = server;
console.log(`Server: ${base} (its own process)`);

// --- HTTP as it goes over the wire -------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

type Answer = {
  status: number;
  /** The body's bytes as they came over the wire (compressed when the server compressed it). */
  wireBytes: number;
  /** The body's bytes once decompressed. */
  bytes: number;
  /** The body, decompressed. */
  text: Buffer;
  encoding: string;
  json: unknown;
  /** From sending the request to its last byte. */
  ms: number;
};

/** One request; `signal` cuts it. */
function request(
  method: 'GET' | 'POST',
  url: string,
  cookie: string,
  body?: unknown,
  signal?: AbortSignal,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const started = performance.now();
    const req = http.request(
      url,
      {
        method,
        agent,
        signal,
        headers: {
          cookie,
          'accept-encoding': ACCEPT_ENCODING,
          ...(payload
            ? { 'content-type': 'application/json', origin: base, 'content-length': payload.length }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const elapsed = performance.now() - started;
          const raw = Buffer.concat(chunks);
          const encoding = String(res.headers['content-encoding'] ?? 'identity');
          try {
            const text =
              encoding === 'gzip'
                ? gunzipSync(raw)
                : encoding === 'br'
                  ? brotliDecompressSync(raw)
                  : encoding === 'deflate'
                    ? inflateSync(raw)
                    : raw;
            resolve({
              status: res.statusCode ?? 0,
              wireBytes: raw.length,
              bytes: text.length,
              text,
              encoding,
              json: JSON.parse(text.toString('utf8')),
              ms: elapsed,
            });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The result of one call through tRPC's batch link, as the PWA's client sends it. */
function resultOf(answer: Answer, procedure: string): Record<string, unknown> {
  const item = (Array.isArray(answer.json) ? answer.json[0] : answer.json) as
    | { result?: { data?: unknown }; error?: unknown }
    | undefined;
  if (answer.status !== 200 || !item?.result) {
    throw new Error(`${procedure}: HTTP ${answer.status} ${JSON.stringify(item?.error ?? item)}`);
  }
  let data = item.result.data as Record<string, unknown>;
  // A transformer (superjson) would wrap the data; the PWA's client has none today.
  if (data && typeof data === 'object' && 'json' in data && !('more' in data)) {
    data = data.json as Record<string, unknown>;
  }
  return data;
}

type Page = {
  /** Opaque: sent back as it came. */
  cursor: unknown;
  scopeKey: unknown;
  more: boolean;
  decisions: { id: string }[];
  events: unknown[];
  filings: unknown[];
  drafts: unknown[];
  answer: Answer;
};

async function pull(
  cookie: string,
  cursor: unknown,
  scopeKey: unknown,
  signal?: AbortSignal,
): Promise<Page> {
  const input = {
    cursor,
    limit: PULL_LIMIT,
    ...(typeof scopeKey === 'string' ? { scopeKey } : {}),
  };
  const url = `${base}/api/trpc/sync.pullPacked?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: input }))}`;
  const answer = await request('GET', url, cookie, undefined, signal);
  const data = resultOf(answer, 'sync.pullPacked');
  const list = <T>(x: unknown) => (Array.isArray(x) ? (x as T[]) : []);
  return {
    cursor: data.cursor,
    scopeKey: data.scopeKey,
    more: data.more === true,
    decisions: list<{ id: string }>(data.decisions),
    // Packed: the events grouped by decision (the domain's sync-wire.ts).
    events: Object.values((data.events ?? {}) as Record<string, unknown[]>).flat(),
    filings: list(data.filings),
    drafts: list(data.drafts),
    answer,
  };
}

// --- one role ----------------------------------------------------------------------------------

type FirstSync = {
  finished: boolean;
  seconds: number;
  pages: number;
  decisions: number;
  events: number;
  filings: number;
  drafts: number;
  wireBytes: number;
  bytes: number;
  gzipBytes: number;
  encoding: string;
  /** The sum of the pages' times (request to last byte). */
  requestMs: number;
  wallMs: number;
  pageMs: number[];
  cursor: unknown;
  scopeKey: unknown;
  decisionIds: string[];
};

async function firstSync(role: RoleName): Promise<FirstSync> {
  const cookie = cookies.get(role)!;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ROLE_TIMEOUT_MS);
  const result: FirstSync = {
    finished: false,
    seconds: ROLE_TIMEOUT_MS / 1000,
    pages: 0,
    decisions: 0,
    events: 0,
    filings: 0,
    drafts: 0,
    wireBytes: 0,
    bytes: 0,
    gzipBytes: 0,
    encoding: 'identity',
    requestMs: 0,
    wallMs: 0,
    pageMs: [],
    cursor: null,
    scopeKey: undefined,
    decisionIds: [],
  };
  const bodies: Buffer[] = [];
  const started = performance.now();
  let told = started;
  try {
    for (;;) {
      const page = await pull(cookie, result.cursor, result.scopeKey, controller.signal);
      result.pages++;
      result.decisions += page.decisions.length;
      result.events += page.events.length;
      result.filings += page.filings.length;
      result.drafts += page.drafts.length;
      result.wireBytes += page.answer.wireBytes;
      result.bytes += page.answer.bytes;
      bodies.push(page.answer.text);
      result.encoding = page.answer.encoding;
      result.requestMs += page.answer.ms;
      result.pageMs.push(page.answer.ms);
      result.cursor = page.cursor;
      result.scopeKey = page.scopeKey;
      for (const d of page.decisions) result.decisionIds.push(d.id);
      if (performance.now() - told > 30_000) {
        told = performance.now();
        console.error(
          `  … ${ROLE_LABELS[role]}: ${result.pages} pages, ${result.decisions} decisions, ` +
            `${result.events} events after ${((told - started) / 1000).toFixed(0)} s`,
        );
      }
      if (!page.more) {
        result.finished = true;
        break;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
  }
  result.wallMs = performance.now() - started;
  // After the clock stopped: what gzip (level 6, as the server's) would have sent.
  for (const body of bodies) result.gzipBytes += gzipSync(body).length;
  return result;
}

type Incremental = {
  applied: number;
  pushMs: number;
  pullMs: number;
  medianMs: number;
  events: number;
  decisions: number;
  wireBytes: number;
  pages: number;
};

/** Pushes NOTES notes onto decisions the user saw, then pulls once from where the sync ended. */
async function incremental(role: RoleName, sync: FirstSync): Promise<Incremental> {
  const cookie = cookies.get(role)!;
  // Spread over what the user sees; a decision the rules refuse a note on is passed over.
  const ids = [...new Set(sync.decisionIds)];
  const step = Math.max(1, Math.floor(ids.length / NOTES));
  const candidates = [
    ...ids.filter((_, i) => i % step === 0),
    ...ids.filter((_, i) => i % step !== 0),
  ];
  let applied = 0;
  let next = 0;
  // Fewer decisions than notes (a small --size): some get more than one.
  let appliedThisRound = 0;
  const pushStarted = performance.now();
  while (applied < NOTES && candidates.length > 0) {
    if (next >= candidates.length) {
      if (appliedThisRound === 0) break;
      next = 0;
      appliedThisRound = 0;
    }
    const batch = candidates.slice(next, next + (NOTES - applied));
    next += batch.length;
    const mutations = batch.map((decisionId) => ({
      id: uuidv7(),
      kind: 'event',
      event: {
        id: uuidv7(),
        decisionId,
        type: 'anteckning',
        date: today,
        text: 'Benchmark: anteckning',
      },
    }));
    const answer = await request('POST', `${base}/api/trpc/sync.push?batch=1`, cookie, {
      0: { clientId: 'bench-sync', mutations },
    });
    const items = resultOf(answer, 'sync.push') as unknown as { status: string }[];
    const accepted = items.filter((item) => item.status === 'applied').length;
    applied += accepted;
    appliedThisRound += accepted;
  }
  const pushMs = performance.now() - pushStarted;

  const first = await pull(cookie, sync.cursor, sync.scopeKey);
  // Had there been more (more than a page of changes), the device would pull on.
  let pages = 1;
  let more = first.more;
  let cursor = first.cursor;
  while (more) {
    const page = await pull(cookie, cursor, sync.scopeKey);
    pages++;
    more = page.more;
    cursor = page.cursor;
  }
  // The same pull again, for a steadier figure (it changes nothing but the audit log).
  const again: number[] = [];
  for (let i = 0; i < 5; i++)
    again.push((await pull(cookie, sync.cursor, sync.scopeKey)).answer.ms);
  return {
    applied,
    pushMs,
    pullMs: first.answer.ms,
    medianMs: median(again),
    events: first.events.length,
    decisions: first.decisions.length,
    wireBytes: first.answer.wireBytes,
    pages,
  };
}

// --- the utförare's list in Chromium -----------------------------------------------------------

async function utforareInChromium(): Promise<number | string> {
  if (!existsSync(PWA_INDEX))
    return 'not measured: the PWA is not built (cd apps/pwa && npx vite build)';
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    // A new context: an empty device, nothing in IndexedDB, no service worker yet.
    const context = await browser.newContext({ baseURL: base });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Användarnamn').fill('utforare');
    await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
    const started = performance.now();
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Mina beställningar' })
      .waitFor({ timeout: ROLE_TIMEOUT_MS });
    await page.locator('.card').first().waitFor({ timeout: ROLE_TIMEOUT_MS });
    return performance.now() - started;
  } catch (error) {
    return `not measured: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    await browser.close();
  }
}

// --- the run -----------------------------------------------------------------------------------

type Row = { role: RoleName; sync: FirstSync; inc: Incremental | null };
const rows: Row[] = [];
let chromiumResult: number | string = 'not measured';
try {
  // The rapportör last: a cut sync leaves the server working on its page for a while.
  for (const role of ROLES) {
    if (role === 'rapportor') chromiumResult = await utforareInChromium();
    const sync = await firstSync(role);
    const label = ROLE_LABELS[role];
    const rowsText =
      `${sync.decisions} decisions, ${sync.events} events, ${sync.filings} filings` +
      (sync.drafts ? `, ${sync.drafts} drafts` : '');
    if (!sync.finished) {
      console.log(
        `${label}: first sync not finished after ${sync.seconds} s: ${sync.pages} pages, ` +
          `${rowsText}, ${mb(sync.wireBytes)} over the wire so far` +
          (sync.pages > 0
            ? `; first page ${ms(sync.pageMs[0]!)}, page ${sync.pages} ` +
              `${ms(sync.pageMs[sync.pages - 1]!)}, median ${ms(median(sync.pageMs))}`
            : ''),
      );
      rows.push({ role, sync, inc: null });
      continue;
    }
    const firstMs = sync.pageMs[0]!;
    const lastMs = sync.pageMs[sync.pageMs.length - 1]!;
    console.log(
      `${label}: first sync ${sync.pages} pages, ${rowsText}; ` +
        `${mb(sync.wireBytes)} over the wire (${sync.encoding}; target ≤ 2 MB), ${mb(sync.gzipBytes)} ` +
        `with gzip, ${mb(sync.bytes)} uncompressed; ${ms(sync.requestMs)} in requests, ${ms(sync.wallMs)} in all (target ≤ 3 s); ` +
        `first page ${ms(firstMs)}, last ${ms(lastMs)}, ${(lastMs / firstMs).toFixed(2)}× ` +
        `(target ≤ 1.2×); pages' median ${ms(median(sync.pageMs))}, slowest ` +
        `${ms(Math.max(...sync.pageMs))} (page ${sync.pageMs.indexOf(Math.max(...sync.pageMs)) + 1})`,
    );
    const inc = await incremental(role, sync);
    console.log(
      `${label}: ${inc.applied} notes pushed in ${ms(inc.pushMs)}; the pull from the sync's ` +
        `cursor: ${ms(inc.pullMs)} (median of 5 more ${ms(inc.medianMs)}; target < 50 ms), ` +
        `${inc.events} events on ${inc.decisions} decisions, ${inc.wireBytes} bytes` +
        (inc.pages > 1 ? `, ${inc.pages} pages` : ''),
    );
    rows.push({ role, sync, inc });
  }
  console.log(
    typeof chromiumResult === 'number'
      ? `utförare in Chromium: sign-in submitted to the first card of "Mina beställningar": ` +
          `${ms(chromiumResult)} (target ≤ 3 s)`
      : `utförare in Chromium: ${chromiumResult}`,
  );

  // The figures as a table (Markdown), for the README.
  console.log('');
  console.log(
    '| Role | Pages | Decisions | Events | Filings | Over the wire | With gzip | Uncompressed | Time | First page | Last page | Last/first | Incremental pull |',
  );
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const { role, sync, inc } of rows) {
    const first = sync.pageMs[0];
    const last = sync.pageMs[sync.pageMs.length - 1];
    const cells = [
      ROLE_LABELS[role],
      String(sync.pages),
      String(sync.decisions),
      String(sync.events),
      String(sync.filings),
      `${mb(sync.wireBytes)} (${sync.encoding})`,
      mb(sync.gzipBytes),
      mb(sync.bytes),
      sync.finished ? ms(sync.wallMs) : `not finished after ${sync.seconds} s`,
      first === undefined ? '–' : ms(first),
      sync.finished && last !== undefined ? ms(last) : '–',
      sync.finished && first && last ? `${(last / first).toFixed(2)}×` : '–',
      inc ? `${ms(inc.pullMs)} (${inc.events} events)` : '–',
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  console.log(
    '| Target | | | | | ≤ 2 MB | | | ≤ 3 s | | | ≤ 1.2× | < 50 ms |\n' +
      `\nutförare's list on screen in Chromium: ${
        typeof chromiumResult === 'number' ? ms(chromiumResult) : chromiumResult
      } (target ≤ 3 s)`,
  );
} finally {
  agent.destroy();
  await server.stop();
  cleanup();
}
