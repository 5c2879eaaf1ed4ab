/*
 * The PWA benchmark of issue 4. Starts the real server (embedded database, demo data) with the
 * built PWA, then prints:
 *   - the gzip size of the JavaScript the utförare's first screen loads ("Mina beställningar",
 *     after sign-in), measured from what Chromium actually fetched (target ≤ 150 kB), and
 *   - Lighthouse's mobile performance score for that screen, in Debian's Chromium (target ≥ 95).
 *
 *   npx -y pnpm@10 build && npx -y pnpm@10 --filter @evb/bench pwa [--runs N]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const root = path.resolve(import.meta.dirname, '..');
const serverDir = path.join(root, 'apps', 'server');
const CHROMIUM = '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const DEMO_PASSWORD = 'demo-evb-2026';

if (!existsSync(path.join(root, 'apps', 'pwa', 'dist', 'index.html'))) {
  throw new Error('The PWA is not built: run `npx -y pnpm@10 build` first.');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function startServer(): Promise<{ base: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'evb-bench-pwa-'));
  const child: ChildProcess = spawn(
    path.join(serverDir, 'node_modules/.bin/tsx'),
    ['src/main.ts'],
    {
      cwd: serverDir,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '' },
      stdio: 'ignore',
    },
  );
  const base = `http://localhost:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    base,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The session cookie of a demo user, signed in through the API as the app does. */
async function sessionCookie(base: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const cookie = response.headers.get('set-cookie');
  if (!response.ok || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie.split(';')[0]!;
}

/** Every script Chromium loads until the utförare's list is on screen, gzip-compressed. */
async function firstScreenScripts(base: string, cookie: string) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS.slice(1) });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  const scripts: { url: string; raw: number; gzip: number }[] = [];
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const body = await response.body();
    scripts.push({
      url: new URL(response.url()).pathname,
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
    });
  });
  await page.goto(`${base}/bestallningar`);
  await page.getByRole('heading', { level: 1, name: 'Mina beställningar' }).waitFor();
  await page.locator('.card').first().waitFor();
  await browser.close();
  return scripts;
}

type LighthouseRun = { score: number; tbt: number; metrics: string; blocking: string[] };

type AuditItems = { details?: { items?: Record<string, unknown>[] } } | undefined;

/** The machine's load average over the last minute (2 cores shared with other jobs). */
const load = () => loadavg()[0]!.toFixed(1);

/** What held the main thread: its long tasks, the work by kind, and the scripts that cost most. */
function blockingOf(audits: Record<string, AuditItems>): string[] {
  const ms = (n: unknown) => `${Math.round(Number(n))} ms`;
  const short = (url: unknown) => {
    const s = String(url ?? '');
    try {
      return new URL(s).pathname;
    } catch {
      return s || '?';
    }
  };
  const tasks = (audits['long-tasks']?.details?.items ?? [])
    .slice()
    .sort((a, b) => Number(b.duration) - Number(a.duration))
    .slice(0, 6)
    .map((t) => `${ms(t.duration)} at ${ms(t.startTime)} (${short(t.url)})`);
  const work = (audits['mainthread-work-breakdown']?.details?.items ?? [])
    .slice(0, 6)
    .map((w) => `${w.groupLabel ?? w.group} ${ms(w.duration)}`);
  const scripts = (audits['bootup-time']?.details?.items ?? [])
    .slice(0, 5)
    .map((b) => `${short(b.url)} ${ms(b.total)} (script ${ms(b.scripting)})`);
  const shifts = (audits['layout-shifts']?.details?.items ?? []).slice(0, 3).map((i) => {
    const node = i.node as { selector?: string; nodeLabel?: string } | undefined;
    return `${Number(i.score).toFixed(3)} ${node?.selector ?? node?.nodeLabel ?? '?'}`;
  });
  return [
    `long tasks: ${tasks.join(', ') || 'none'}`,
    `layout shifts: ${shifts.join(', ') || 'none'}`,
    `main thread: ${work.join(', ')}`,
    `scripts: ${scripts.join(', ')}`,
  ];
}

const METRICS = [
  ['first-contentful-paint', 'FCP'],
  ['largest-contentful-paint', 'LCP'],
  ['total-blocking-time', 'TBT'],
  ['cumulative-layout-shift', 'CLS'],
  ['speed-index', 'SI'],
] as const;

async function lighthouseRun(base: string, cookie: string): Promise<LighthouseRun> {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
  try {
    const result = await lighthouse(`${base}/bestallningar`, {
      port: chrome.port,
      onlyCategories: ['performance'],
      logLevel: 'error',
      extraHeaders: { Cookie: cookie },
    });
    const lhr = result?.lhr;
    // For a closer look at a run: EVB_LIGHTHOUSE_JSON=file writes Lighthouse's whole report.
    if (process.env.EVB_LIGHTHOUSE_JSON && lhr) {
      writeFileSync(process.env.EVB_LIGHTHOUSE_JSON, JSON.stringify(lhr));
    }
    return {
      score: Math.round((lhr?.categories.performance?.score ?? 0) * 100),
      tbt: lhr?.audits['total-blocking-time']?.numericValue ?? Number.NaN,
      blocking: lhr ? blockingOf(lhr.audits as Record<string, AuditItems>) : [],
      metrics: METRICS.map(([id, name]) => `${name} ${lhr?.audits[id]?.displayValue ?? '?'}`).join(
        ', ',
      ),
    };
  } finally {
    chrome.kill();
  }
}

const server = await startServer();
try {
  const cookie = await sessionCookie(server.base, 'utforare');
  const scripts = await firstScreenScripts(server.base, cookie);
  const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log("JavaScript of the utförare's first screen (Mina beställningar):");
  for (const s of scripts) console.log(`  ${s.url}: ${kB(s.raw)} raw, ${kB(s.gzip)} gzip`);
  const total = scripts.reduce((sum, s) => sum + s.gzip, 0);
  console.log(`total: ${kB(total)} gzip (target ≤ 150 kB)`);

  const runs = Number(values.runs);
  const scores: number[] = [];
  const tbts: number[] = [];
  const loads: string[] = [];
  for (let i = 0; i < runs; i++) {
    const before = load();
    const run = await lighthouseRun(server.base, cookie);
    loads.push(before);
    console.log(`Lighthouse run ${i + 1}: ${run.score} (${run.metrics}; load ${before})`);
    for (const line of run.blocking) console.log(`  ${line}`);
    scores.push(run.score);
    tbts.push(run.tbt);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `Lighthouse mobile performance: ${scores.join(', ')} (median ${median(scores)}, target ≥ 95)`,
  );
  console.log(
    `Total Blocking Time: ${tbts.map((t) => Math.round(t)).join(', ')} ms (median ${Math.round(median(tbts) ?? Number.NaN)} ms, target < 200 ms); load before each run: ${loads.join(', ')}`,
  );
} finally {
  await server.stop();
}
