import {
  addQuarters,
  formatSwedishDate,
  type Quarter,
  quarterKey,
  quarterOf,
  reportingWindow,
  todayInStockholm,
} from '@evb/domain';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { signIn } from './support/session';

/*
 * The rapportör's quarterly filing, end to end on the demo data.
 *
 * Which quarter: the one the quarter view opens on, the domain's defaultReportQuarter — the
 * quarter whose reporting window is open today, else the current quarter. The demo data is
 * seeded relative to today so that quarter always has every kind of line. Which of its lines can
 * be filed depends on today (individrapport-filing.ts): inside the window every line can; after it
 * closes, a line still waiting at the quarter's end (a ny- or återrapportering, ej verkställt) no
 * longer can, while an executed or closed line (a slutrapportering, or a nyrapportering verkställd
 * or avslutad in the quarter) can be filed at any time. So the test files every line the view
 * offers — all of them when run in a window, the executed and closed ones otherwise (on
 * 2026-11-22 the Q3 window closed on 31 October) — and checks that each line left says why it
 * cannot be filed today. Either way at least one line is filed: the demo data gives the quarter
 * executed and closed lines.
 *
 * Filing changes the shared demo data (one server for the whole run): only the default quarter's
 * lines of the rapportör's nämnd are filed, which the other spec files do not depend on.
 */

/** The quarter's table rows (one per line) that are not filed yet and can be filed today. */
function fileableRows(page: Page): Locator {
  return page
    .locator('table.report-table tbody tr')
    .filter({ hasText: 'Ej inlämnad' })
    .filter({ hasNotText: 'Kan inte lämnas in i dag' });
}

async function openQuarter(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Individrapporter' })).toBeVisible();
  await expect(page.locator('table.report-table').first()).toBeVisible({ timeout: 15_000 });
}

/**
 * Completes what the prefill left missing, as a rapportör would: in the demo data that is the
 * skäl and orsak of lines where no reason was logged, and the offer date of a refusal logged
 * without one (taken as the day the waiting began, a date the report accepts).
 */
async function completeMissing(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /^5\. Summering/ }).click();
  const findings = page.locator('.ir-findings li');
  if ((await findings.count()) === 0) return;
  const listed = (await findings.allTextContents()).join('\n');
  const known = /Huvudsakligt skäl|Orsak|Datum för erbjudandet/;
  for (const line of listed.split('\n')) {
    expect(line, 'only skäl, orsak and offer date are left to complete').toMatch(known);
  }
  await page.getByRole('tab', { name: /^4\. Dröjsmål/ }).click();
  const skal = page.getByLabel('Huvudsakligt skäl', { exact: true });
  if ((await skal.inputValue()) === '') await skal.selectOption({ label: 'Hos kommunen' });
  const orsak = page.getByLabel('Orsak', { exact: true });
  if ((await orsak.inputValue()) === '') await orsak.selectOption({ index: 1 });
  const offer = page.getByLabel('Datum för erbjudandet', { exact: true });
  if ((await offer.count()) > 0 && (await offer.inputValue()) === '') {
    const start = await page.getByLabel(/^(Beslutsdatum|Datum för avbrottet)$/).inputValue();
    await offer.fill(start);
  }
  await page.getByRole('tab', { name: /^5\. Summering/ }).click();
}

test('a rapportör files the quarter’s lines with IVO, each after completing its report', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signIn(page, 'rapportor');
  await openQuarter(page);
  const before = await fileableRows(page).count();
  expect(before, 'the demo quarter has lines that can be filed today').toBeGreaterThan(0);

  let filed = 0;
  while ((await fileableRows(page).count()) > 0) {
    const link = fileableRows(page)
      .first()
      .getByRole('link', { name: /: individrapport$/ });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/kvartal\/\d{4}-Q[1-4]\/[^/]+\/\d{4}-\d{2}-\d{2}\?namndId=/);
    await link.click();
    await expect(page.getByRole('heading', { level: 1, name: /^Individrapport – / })).toBeVisible();
    await expect(page.getByRole('tablist', { name: 'Individrapportens flikar' })).toBeVisible();

    await completeMissing(page);
    const panel = page.getByRole('tabpanel', { name: /Summering/ });
    await expect(panel.getByText('Kontrollen hittar inget att rätta.')).toBeVisible();
    await panel.getByRole('button', { name: 'Markera som inlämnad till IVO' }).click();

    await expect(
      page.getByRole('status').filter({ hasText: 'markerad som inlämnad' }),
    ).toBeVisible();
    await expect(page.locator('.ir-filed')).toContainText(/Inlämnad till IVO .+ av Karin Holm/);
    await expect(
      panel.getByRole('heading', { name: 'Rapporten som den lämnades in' }),
    ).toBeVisible();
    // The frozen copy cannot be changed, and the line's messages are handled.
    await page.getByRole('tab', { name: /^1\. Nämnd/ }).click();
    await expect(page.getByLabel('Nämnd', { exact: true })).toHaveAttribute('readonly', '');
    await expect(page.getByText('Ej hanterat')).toHaveCount(0);
    filed++;

    await page.getByRole('link', { name: /Tillbaka till kvartal/ }).click();
    await openQuarter(page);
    const row = page.locator('table.report-table tbody tr').filter({
      has: page.locator(`a[href="${href}"]`),
    });
    await expect(row).not.toContainText('Ej inlämnad');
    await expect(row).toContainText(/Inlämnad \d+ \w+ \d{4}/);
    expect(filed, 'each line is filed once').toBeLessThanOrEqual(before);
  }
  expect(filed).toBe(before);

  // Every line is filed now, or says why it cannot be today.
  const rows = page.locator('table.report-table tbody tr');
  for (const row of await rows.all()) {
    const text = (await row.textContent()) ?? '';
    if (text.includes('Ej inlämnad')) {
      expect(text).toMatch(/Kan inte lämnas in i dag: .*rapporteringsperioden/);
    } else {
      expect(text).toMatch(/Inlämnad \d+ \w+ \d{4}/);
    }
  }

  // A line left unfiled says so in its report as well, and offers no filing.
  const blocked = rows.filter({ hasText: 'Kan inte lämnas in i dag' });
  if ((await blocked.count()) > 0) {
    await blocked
      .first()
      .getByRole('link', { name: /: individrapport$/ })
      .click();
    await expect(page.locator('.ir-state')).toContainText('Ej inlämnad');
    await page.getByRole('tab', { name: /^5\. Summering/ }).click();
    const panel = page.getByRole('tabpanel', { name: /Summering/ });
    await expect(panel.getByText(/Rapporten kan inte markeras som inlämnad:/)).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Markera som inlämnad till IVO' })).toHaveCount(
      0,
    );
  }
});

test('the copy buttons put the right text on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, 'rapportor');
  await openQuarter(page);
  await page
    .locator('table.report-table tbody tr')
    .first()
    .getByRole('link', { name: /: individrapport$/ })
    .click();
  await expect(page.getByRole('tablist', { name: 'Individrapportens flikar' })).toBeVisible();
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

  // A field: exactly its value, as it is pasted into the e-tjänst.
  await page.getByRole('tab', { name: /^3\. Individ/ }).click();
  const fornamn = await page.getByLabel('Förnamn', { exact: true }).inputValue();
  expect(fornamn).not.toBe('');
  await page.getByRole('button', { name: 'Kopiera Förnamn' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Kopierat: Förnamn' })).toBeAttached();
  expect(await clipboard()).toBe(fornamn);

  // A locked date, as it is typed in the e-tjänst; a choice made there has no copy button.
  await page.getByRole('tab', { name: /^4\. Dröjsmål/ }).click();
  const start = page.getByLabel(/^(Beslutsdatum|Datum för avbrottet)$/);
  await expect(start).toHaveAttribute('readonly', '');
  await page.getByRole('button', { name: /^Kopiera (Beslutsdatum|Datum för avbrottet)$/ }).click();
  await expect.poll(clipboard).toBe(await start.inputValue());
  expect(await clipboard()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByLabel('Dröjsmålet avser', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Kopiera Dröjsmålet avser/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Kopiera Status/ })).toHaveCount(0);

  // The whole report: the text of tab 5.
  await page.getByRole('button', { name: 'Kopiera hela rapporten' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Kopierat: hela rapporten' }),
  ).toBeAttached();
  await page.getByRole('tab', { name: /^5\. Summering/ }).click();
  const whole = (await page.locator('pre.ir-text').textContent()) ?? '';
  expect(whole).toMatch(/^Individrapport – ej verkställt beslut\n/);
  expect(whole).toContain(`Förnamn: ${fornamn}\n`);
  expect(await clipboard()).toBe(whole);
});

test('the quarter offers its exports and each line its PDF', async ({ page }) => {
  await signIn(page, 'rapportor');
  await openQuarter(page);
  const exports = page.getByRole('region', { name: 'Exportera' });
  for (const [name, format] of [
    ['PDF', 'pdf'],
    ['CSV', 'csv'],
    ['Excel (XLSX)', 'xlsx'],
  ] as const) {
    await expect(
      exports.getByRole('link', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')}`) }),
    ).toHaveAttribute(
      'href',
      new RegExp(`^/api/export/kvartal\\.${format}\\?namndId=[^&]+&quarter=\\d{4}-Q[1-4]$`),
    );
  }
  const first = page
    .locator('table.report-table tbody tr')
    .first()
    .getByRole('link', { name: /: individrapport$/ });
  const href = (await first.getAttribute('href')) ?? '';
  const [, quarter, decisionId, episodeStart] =
    /^\/kvartal\/(\d{4}-Q[1-4])\/([^/]+)\/(\d{4}-\d{2}-\d{2})\?/.exec(href) ?? [];
  await first.click();
  const pdf = page.getByRole('link', { name: 'Individrapporten som PDF' });
  await expect(pdf).toHaveAttribute(
    'href',
    new RegExp(
      `^/api/export/individrapport\\.pdf\\?namndId=[^&]+&quarter=${quarter}&decisionId=${decisionId}&episodeStart=${episodeStart}$`,
    ),
  );
});

/** The latest quarter whose reporting window closed before `today`. */
function latestClosedQuarter(today: string): Quarter {
  let q = quarterOf(today);
  while (reportingWindow(q).closes >= today) q = addQuarters(q, -1);
  return q;
}

type LineOfQuarter = {
  decisionId: string;
  episode: { start: string };
  status: string;
  filed: boolean;
};

test('a rapportör records afterwards a filing made in the e-tjänst after the window closed', async ({
  page,
}) => {
  await signIn(page, 'rapportor');
  // A line still waiting at the end of a quarter whose window has closed: it can no longer be
  // marked as filed, only recorded as filed in the e-tjänst within the window.
  const quarter = latestClosedQuarter(todayInStockholm(new Date()));
  const window = reportingWindow(quarter);
  const { namndId, lines } = await page.evaluate(async (q) => {
    const me = (await (await fetch('/api/trpc/auth.me')).json()) as {
      result: { data: { roles: { role: string; namndId: string | null }[] } };
    };
    const namndId = me.result.data.roles.find((r) => r.role === 'rapportor')?.namndId ?? '';
    const input = encodeURIComponent(JSON.stringify({ namndId, quarter: q }));
    const answer = (await (await fetch(`/api/trpc/quarter.lines?input=${input}`)).json()) as {
      result: { data: { lines: LineOfQuarter[] } };
    };
    return { namndId, lines: answer.result.data.lines };
  }, quarter);
  const line = lines.find((l) => !l.filed && l.status === 'ej_verkstalld');
  expect(line, `the demo data has an unfiled waiting line in ${quarterKey(quarter)}`).toBeDefined();
  await page.goto(
    `/kvartal/${quarterKey(quarter)}/${encodeURIComponent(line!.decisionId)}/${line!.episode.start}?namndId=${encodeURIComponent(namndId)}`,
  );
  await expect(page.getByRole('heading', { level: 1, name: /^Individrapport – / })).toBeVisible({
    timeout: 15_000,
  });
  await expect(page.locator('.ir-state')).toContainText('Ej inlämnad');

  // The Summering tab, with nothing to mark as filed any more.
  await page.getByRole('tab', { name: /^5\. Summering/ }).click();
  const panel = page.getByRole('tabpanel', { name: /Summering/ });
  await expect(panel.getByRole('button', { name: 'Markera som inlämnad till IVO' })).toHaveCount(0);
  await expectNoViolations(page, 'individrapport, summering');

  // From above the tabs to the form, its date first.
  await page
    .locator('.ir-state')
    .getByRole('button', { name: 'Registrera inlämning i efterhand' })
    .click();
  const date = panel.getByLabel('Datum då rapporten skickades till IVO');
  await expect(date).toBeFocused();
  await expectNoViolations(page, 'registrera inlämning i efterhand');

  // A day after the window: refused on the field, by the same rule as the server's.
  const dayAfter = new Date(`${window.closes}T12:00:00Z`);
  dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
  await date.fill(dayAfter.toISOString().slice(0, 10));
  await panel.getByRole('button', { name: 'Registrera inlämningen' }).click();
  // The error on the date field (the Summering notice above says the same about today).
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  const errorId = ((await date.getAttribute('aria-describedby')) ?? '')
    .split(' ')
    .find((id) => id.endsWith('-error'));
  await expect(page.locator(`[id="${errorId}"]`)).toContainText(/lämnas i rapporteringsperioden/);
  await expectNoViolations(page, 'registrera inlämning i efterhand, med fel');

  // Sent on the window's last day, as the report type evb suggests, with the relative's box
  // ticked differently from evb's report.
  await date.fill(window.closes);
  const suggested = panel.getByRole('radio', { name: /föreslås av evb/ });
  await expect(suggested).toBeChecked();
  const sentAs =
    (await suggested.getAttribute('value')) === 'ny' ? 'nyrapportering' : 'återrapportering';
  await panel.getByRole('checkbox', { name: 'Ange uppgifterna som skickades' }).check();
  const asSent = panel.getByRole('group', { name: 'Uppgifterna som skickades' });
  const relative = asSent.getByRole('checkbox', { name: /Ej verkställt beslut för anhörig/ });
  const ticked = !(await relative.isChecked());
  await relative.setChecked(ticked);
  await expect(asSent.getByText('Ändrad från evb:s rapport.')).toBeVisible();
  await panel.getByRole('button', { name: 'Registrera inlämningen' }).click();

  await expect(
    page.getByRole('status').filter({
      hasText: `Inlämningen till IVO ${formatSwedishDate(window.closes)} (${sentAs}) är registrerad.`,
    }),
  ).toBeVisible();
  // The frozen copy: filed on that day, recorded afterwards by whom and when, as sent.
  const filed = page.locator('.ir-filed');
  await expect(filed).toContainText(
    `Inlämnad till IVO ${formatSwedishDate(window.closes)} som ${sentAs}.`,
  );
  await expect(filed).toContainText(
    /Registrerad i efterhand av Karin Holm \d{1,2} \w+ \d{4} kl\. \d{2}:\d{2}\./,
  );
  await expect(filed).toContainText('Uppgifterna är de som skickades till IVO');
  await expect(panel.getByRole('heading', { name: 'Rapporten som den lämnades in' })).toBeVisible();
  await expect(panel.locator('pre.ir-text')).toContainText(
    `Ej verkställt beslut för anhörig finns eller kommer att rapporteras: ${ticked ? 'Ja' : 'Nej'}\n`,
  );
  await page.getByRole('tab', { name: /^3\. Individ/ }).click();
  await expect(
    page.getByLabel(/^Ej verkställt beslut för anhörig/, { exact: false }),
  ).toHaveAttribute('readonly', '');
  // Recorded once: the line offers no second recording.
  await page.reload();
  await expect(page.locator('.ir-filed')).toContainText('Registrerad i efterhand');
  await expect(page.getByRole('button', { name: 'Registrera inlämning i efterhand' })).toHaveCount(
    0,
  );
});
