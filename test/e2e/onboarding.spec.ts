import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSwedishDate, parseQuarterKey, quarterLabel } from '@evb/domain';
import { expect as baseExpect, type Locator, type Page, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { signIn } from './support/session';

/*
 * Issue 11: a kommun moving onto evb. The rapportör imports the half-year of individrapporter the
 * nämnd has already filed in IVO's e-tjänst, and the open period's återrapporteringar can then be
 * filed as återrapporteringar with nothing typed: the texts filed before are read-only, with the
 * e-tjänst's Komplettera field under each. One line of the half-year is missing from the file;
 * its open-period line says so, and the rapportör records that filing afterwards, which makes the
 * line an återrapportering that can be filed too.
 *
 * The rapportör's work depends on which reporting window is open, so this spec runs its own
 * server (apps/server/src/testing/serve-on-day.ts) with its clock on a day inside a window, seeded
 * as of that day, and gives the browser the same day. That server writes the earlier filings' file
 * (demoEarlierFilings, less the line left out) and a manifest saying which day, quarters and line.
 */

type Manifest = {
  day: string;
  namndId: string;
  /** The open period, `2026-Q4`. */
  windowQuarter: string;
  halfYear: [string, string];
  csvPath: string;
  rows: number;
  leftOut: { decisionId: string; episodeStart: string; quarter: string; sendOn: string };
};

/** The app waits on a server seeding and building reports; the machines running this are shared. */
const expect = baseExpect.configure({ timeout: 15_000 });

const serverDir = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../apps/server');

/**
 * A free port, found synchronously (test.use needs the base URL when the file is loaded). Written
 * with process.stdout.write: in a Playwright worker FORCE_COLOR is set, and console.log would
 * colour a number.
 */
function freePort(): number {
  const script =
    "const s = require('node:net').createServer();" +
    "s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });";
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const found = result.stdout.trim();
  if (!/^\d+$/.test(found)) throw new Error(`could not find a free port: ${result.stderr}`);
  return Number(found);
}

const port = freePort();
const baseURL = `http://127.0.0.1:${port}`;
test.use({ baseURL });
// One story on one server: the second test's line list counts on the first test's import.
test.describe.configure({ mode: 'serial' });

let server: ChildProcess | undefined;
let workDir = '';
let manifest: Manifest;
let serverLog = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  workDir = mkdtempSync(path.join(tmpdir(), 'evb-onboarding-'));
  const manifestPath = path.join(workDir, 'manifest.json');
  server = spawn(
    'node_modules/.bin/tsx',
    [
      'src/testing/serve-on-day.ts',
      '--port',
      String(port),
      '--data-dir',
      path.join(workDir, 'data'),
      '--manifest',
      manifestPath,
    ],
    {
      cwd: serverDir,
      // Its own process group: tsx runs the server in a child process, and both are stopped.
      detached: true,
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout?.on('data', (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  server.stderr?.on('data', (chunk: Buffer) => {
    serverLog += chunk.toString();
  });
  // If the worker ends without afterAll, the server does not outlive it.
  const pid = server.pid;
  process.once('exit', () => {
    if (pid !== undefined && server?.exitCode === null) killGroup(pid, 'SIGKILL');
  });
  await untilHealthy(server);
  // Written before the server listens.
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
});

/** Signals the server's process group (tsx and the server it runs); gone already is fine. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Waits until the server answers /api/health; fails at once, with its output, if it stops. */
async function untilHealthy(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server stopped before it answered:\n${serverLog}`);
    }
    const up = await fetch(`${baseURL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the server did not answer /api/health within 90 s:\n${serverLog}`);
}

test.afterAll(async () => {
  const running = server;
  if (running?.pid !== undefined && running.exitCode === null) {
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    killGroup(running.pid, 'SIGTERM');
    const stopped = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000)),
    ]);
    if (!stopped) killGroup(running.pid, 'SIGKILL');
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** "kvartal 3 2026" for `2026-Q3`. */
function label(key: string): string {
  const quarter = parseQuarterKey(key);
  if (!quarter) throw new Error(`not a quarter: ${key}`);
  return quarterLabel(quarter);
}

/** The to-do view's table of the lines sent as `title` (Nyrapporteringar, Återrapporteringar…). */
function table(page: Page, title: string): Locator {
  return page.locator('section.report-group').filter({
    has: page.getByRole('heading', { level: 2, name: new RegExp(`^${title} \\(\\d+\\)$`) }),
  });
}

/** What is left to do, at the top of the to-do view: the figures of the period's lines. */
async function figures(page: Page): Promise<{ fileable: string; withFindings: string }> {
  const top = page.getByRole('region', { name: 'Att göra' });
  const figure = (label: RegExp) =>
    top.getByRole('button').filter({ hasText: label }).locator('.todo-number').textContent();
  return {
    fileable: (await figure(/kan lämnas i dag/)) ?? '',
    withFindings: (await figure(/fel att rätta/)) ?? '',
  };
}

/**
 * The open period's to-do view, once its lines and their check have come. `reload`: loaded
 * afresh, so what it shows cannot be what it had from before while it asks the server again.
 */
async function openPeriod(page: Page, { reload = false } = {}): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Huvudmeny' })
    .getByRole('link', { name: 'Individrapporter' })
    .click();
  if (reload) await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Individrapporter' })).toBeVisible();
  await expect(page.getByLabel('Kvartal', { exact: true })).toHaveValue(manifest.windowQuarter);
  await expect(page.locator('table.report-table').first()).toBeVisible();
  // The check of every unfiled line's report comes after the lines.
  await expect(page.getByText('Kontrolleras…')).toHaveCount(0, { timeout: 30_000 });
}

/**
 * Summering: nothing to correct, and "Markera som inlämnad till IVO" with nothing typed. The
 * frozen copy is an återrapportering carrying the text filed before, unchanged.
 */
async function fileAsIs(page: Page, earlierOvrigt: string): Promise<void> {
  await page.getByRole('tab', { name: /^5\. Summering/ }).click();
  const panel = page.getByRole('tabpanel', { name: /Summering/ });
  await expect(panel.getByText('Kontrollen hittar inget att rätta.')).toBeVisible();
  await panel.getByRole('button', { name: 'Markera som inlämnad till IVO' }).click();
  await expect(
    page.getByRole('status').filter({
      hasText: `Raden är markerad som inlämnad till IVO ${formatSwedishDate(manifest.day)}.`,
    }),
  ).toBeVisible();
  await expect(page.locator('.ir-filed')).toContainText(
    `Inlämnad till IVO ${formatSwedishDate(manifest.day)} av Karin Holm`,
  );
  await expect(panel.getByRole('heading', { name: 'Rapporten som den lämnades in' })).toBeVisible();
  const copy = panel.locator('pre.ir-text');
  await expect(copy).toContainText('Rapportering: Återrapportering\n');
  await expect(copy).toContainText(earlierOvrigt);
  await expect(copy).toContainText(
    'Komplettera med ytterligare information, om förändringar skett efter senaste rapportering',
  );
}

/**
 * Tab 4 of an återrapportering: the free texts filed before are read-only, as the e-tjänst shows
 * them, and the Komplettera field under each takes what is new. Answers the Övrigt filed before.
 */
async function expectKomplettera(page: Page): Promise<string> {
  await page.getByRole('tab', { name: /^4\. Dröjsmål/ }).click();
  const panel = page.getByRole('tabpanel', { name: /Dröjsmål/ });
  const earlier = panel.getByLabel('Övrigt av vikt för IVO:s handläggning', { exact: true });
  await expect(earlier).toHaveAttribute('readonly', '');
  await expect(earlier).not.toHaveValue('');
  await expect(
    panel.getByLabel(
      'Komplettera med ytterligare information, om förändringar skett efter senaste rapportering (Övrigt av vikt för IVO:s handläggning)',
      { exact: true },
    ),
  ).toBeEditable();
  return earlier.inputValue();
}

/** Signs in as the rapportör, with the browser's today the server's. */
async function signInOnDay(page: Page): Promise<void> {
  // The PWA counts windows and the filing date from the browser's date, as on the rapportör's
  // own computer.
  await page.clock.setFixedTime(new Date(`${manifest.day}T10:00:00Z`));
  await signIn(page, 'rapportor');
}

test('a rapportör imports the half-year filed before evb, and files an unchanged återrapportering of the open period with nothing typed', async ({
  page,
}) => {
  // Measured at about a minute each on the shared two-core machine under heavy load.
  test.setTimeout(180_000);
  await signInOnDay(page);

  let before: { fileable: string; withFindings: string } = { fileable: '', withFindings: '' };
  await test.step('before the import, no earlier filing is recorded: every line goes as new', async () => {
    await openPeriod(page);
    before = await figures(page);
    expect(Number(before.fileable)).toBeGreaterThan(0);
    await expect(
      page.getByRole('heading', { level: 2, name: 'Återrapporteringar (0)' }),
    ).toBeVisible();
    await expect(
      table(page, 'Nyrapporteringar')
        .locator('tbody tr')
        .filter({ hasText: 'Skickas som nyrapportering: tidigare kvartal är inte registrerade' }),
    ).not.toHaveCount(0);
  });

  await test.step('the earlier filings are imported: tried, every row accepted, recorded', async () => {
    await page
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('link', { name: 'Importera' })
      .click();
    await expect(
      page.getByRole('heading', { level: 1, name: 'Importera tidigare inlämningar till IVO' }),
    ).toBeVisible();
    await page.getByLabel('CSV-fil').setInputFiles(manifest.csvPath);
    await page.getByRole('button', { name: 'Provkör filen' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Provkörning' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(
      page.getByText(`${manifest.rows} inlämningar kan registreras som rapporterade till IVO.`),
    ).toBeVisible();
    await expect(page.getByRole('table', { name: /per rad i filen \(rubrikraden/ })).toHaveCount(0);
    await expectNoViolations(page, 'importera tidigare inlämningar, provkörning');
    await page.getByRole('button', { name: `Registrera ${manifest.rows} inlämningar` }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Importen är klar.' })).toContainText(
      `${manifest.rows} inlämningar registrerades som rapporterade till IVO.`,
      { timeout: 30_000 },
    );
  });

  await test.step('the open period: återrapporteringar now, one line still without its earlier filing', async () => {
    await openPeriod(page, { reload: true });
    const ater = table(page, 'Återrapporteringar').locator('tbody tr');
    await expect(ater.first()).toBeVisible();
    await expect(ater.filter({ hasText: 'Skickas som' })).toHaveCount(0);
    // The line left out of the file is the only one still sent as new for want of an earlier filing.
    const unrecorded = page
      .locator('table.report-table tbody tr')
      .filter({ hasText: 'Skickas som nyrapportering: tidigare kvartal är inte registrerade' });
    await expect(unrecorded).toHaveCount(1);
    await expect(
      unrecorded.locator(
        `a[href^="/kvartal/${manifest.windowQuarter}/${manifest.leftOut.decisionId}/${manifest.leftOut.episodeStart}?"]`,
      ),
    ).toHaveCount(1);
    await expect(ater.filter({ hasText: 'Kan lämnas i dag' })).not.toHaveCount(0);
    // The import leaves nothing new to correct: the lines that could be filed as new can be filed
    // as återrapporteringar, with nothing typed.
    expect(await figures(page)).toEqual(before);
  });

  await test.step('an unchanged återrapportering is filed with nothing typed', async () => {
    const row = table(page, 'Återrapporteringar')
      .locator('tbody tr')
      .filter({ hasText: 'Kan lämnas i dag' })
      .first();
    const link = row.getByRole('link', { name: /: individrapport$/ });
    const href = (await link.getAttribute('href')) ?? '';
    await link.click();
    await expect(page.getByRole('heading', { level: 1, name: /^Individrapport – / })).toBeVisible();
    await expect(page.locator('.facts')).toContainText('Återrapportering');
    await fileAsIs(page, await expectKomplettera(page));

    await page.getByRole('link', { name: /Tillbaka till/ }).click();
    await expect(page.getByLabel('Kvartal', { exact: true })).toHaveValue(manifest.windowQuarter);
    const filed = table(page, 'Återrapporteringar')
      .locator('tbody tr')
      .filter({ has: page.locator(`a[href="${href}"]`) });
    await expect(filed).toContainText(`Inlämnad ${formatSwedishDate(manifest.day)}`);
    await expect(filed).toContainText('Markerad i evb');
  });
});

test('the filing left out of the file is recorded afterwards, and its open-period line is filed as an återrapportering', async ({
  page,
}) => {
  // Measured at about a minute each on the shared two-core machine under heavy load.
  test.setTimeout(180_000);
  await signInOnDay(page);
  const { leftOut } = manifest;
  const windowLine = `/kvartal/${manifest.windowQuarter}/${leftOut.decisionId}/${leftOut.episodeStart}?namndId=${manifest.namndId}`;

  await test.step('the line left out says its earlier quarter is not recorded, and leads there', async () => {
    await page.goto(windowLine);
    await expect(page.getByRole('heading', { level: 1, name: /^Individrapport – / })).toBeVisible();
    await page.getByRole('tab', { name: /^5\. Summering/ }).click();
    const panel = page.getByRole('tabpanel', { name: /Summering/ });
    await expect(panel.getByRole('heading', { name: 'Lämnas som nyrapportering' })).toBeVisible();
    await expect(panel.locator('.ir-report-type')).toContainText(
      `ingen tidigare rapportering av dröjsmålet är registrerad i evb (${label(leftOut.quarter)})`,
    );
    await panel
      .getByRole('link', { name: `Registrera inlämningen för ${label(leftOut.quarter)}` })
      .click();
    await expect(page).toHaveURL(
      new RegExp(`/kvartal/${leftOut.quarter}/${leftOut.decisionId}/${leftOut.episodeStart}\\?`),
    );
  });

  await test.step('the earlier filing is recorded afterwards', async () => {
    await expect(page.locator('.ir-state')).toContainText('Ej inlämnad');
    await page
      .locator('.ir-state')
      .getByRole('button', { name: 'Registrera inlämning i efterhand' })
      .click();
    const panel = page.getByRole('tabpanel', { name: /Summering/ });
    const date = panel.getByLabel('Datum då rapporten skickades till IVO');
    await expect(date).toBeFocused();
    await date.fill(leftOut.sendOn);
    // It was a nyrapportering then: the first report of the delay.
    const suggested = panel.getByRole('radio', { name: /föreslås av evb/ });
    await expect(suggested).toBeChecked();
    await expect(suggested).toHaveAttribute('value', 'ny');
    await expectNoViolations(page, 'registrera inlämning i efterhand');
    await panel.getByRole('button', { name: 'Registrera inlämningen' }).click();
    await expect(
      page.getByRole('status').filter({
        hasText: `Inlämningen till IVO ${formatSwedishDate(leftOut.sendOn)} (nyrapportering) är registrerad.`,
      }),
    ).toBeVisible();
    const filed = page.locator('.ir-filed');
    await expect(filed).toContainText(
      `Inlämnad till IVO ${formatSwedishDate(leftOut.sendOn)} som nyrapportering.`,
    );
    await expect(filed).toContainText(/Registrerad i efterhand av Karin Holm/);
  });

  await test.step('the open period’s line is an återrapportering now, and is filed as it is', async () => {
    await page.goto(windowLine);
    await expect(page.getByRole('heading', { level: 1, name: /^Individrapport – / })).toBeVisible();
    // An återrapportering, or its slutrapportering when the decision was carried out or closed in
    // the period (the demo data is seeded relative to the day): either way no longer new.
    const report = page
      .locator('.facts div')
      .filter({ hasText: /^Rapport/ })
      .locator('dd');
    await expect(report).toHaveText(/^(Återrapportering|Slutrapportering)$/);
    const sentAs = (await report.textContent()) ?? '';
    await fileAsIs(page, await expectKomplettera(page));
    await expect(page.locator('.ir-report-type')).toHaveCount(0);

    // In the list: filed, among the återrapporteringar (or slutrapporteringar), and no line is
    // sent as new for want of an earlier filing any more.
    await page.getByRole('link', { name: /Tillbaka till/ }).click();
    await expect(page.getByLabel('Kvartal', { exact: true })).toHaveValue(manifest.windowQuarter);
    const row = table(page, `${sentAs}ar`)
      .locator('tbody tr')
      .filter({ has: page.locator(`a[href="${windowLine}"]`) });
    await expect(row).toContainText(`Inlämnad ${formatSwedishDate(manifest.day)}`);
    await expect(
      page.locator('table.report-table tbody tr').filter({ hasText: 'Skickas som' }),
    ).toHaveCount(0);
  });
});
