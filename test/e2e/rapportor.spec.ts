import { addQuarters, defaultReportQuarter, quarterKey, todayInStockholm } from '@evb/domain';
import { expect, type Page, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { signIn } from './support/session';

/*
 * The rapportör's to-do view of a reporting period (Individrapporter), on the demo data: it opens
 * on the domain's default period, says at the top what is left to do, filters the lines (kept in
 * the address), points out earlier periods left unfiled, and each line opens its decision,
 * read-only, with the way back to the same list.
 *
 * Another spec files some of the default period's lines on the same server; nothing here depends
 * on which.
 */

/** The figure at the top whose label matches, once the reports' check has answered. */
async function figure(page: Page, label: RegExp): Promise<string> {
  const button = page
    .getByRole('region', { name: 'Att göra' })
    .getByRole('button')
    .filter({ hasText: label });
  const number = button.locator('.todo-number');
  await expect(number).not.toHaveText('Kontrolleras…', { timeout: 20_000 });
  return (await number.textContent()) ?? '';
}

test('a rapportör sees the period’s individrapporter as a to-do view, and filters it', async ({
  page,
}) => {
  await signIn(page, 'rapportor');
  const nav = page.getByRole('navigation', { name: 'Huvudmeny' });
  await expect(nav.getByRole('link', { name: 'Individrapporter' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Individrapporter' })).toBeVisible();
  // The period whose window is open today, else the current quarter.
  const period = defaultReportQuarter(todayInStockholm());
  await expect(page.getByLabel('Kvartal', { exact: true })).toHaveValue(quarterKey(period));
  await expect(
    page.getByRole('heading', {
      level: 2,
      name: new RegExp(
        `^Rapporteringsperiod: kvartal ${period.quarter} ${period.year} \\(lämnas \\d+\\D.*\\d{4}\\)$`,
      ),
    }),
  ).toBeVisible();
  for (const group of ['Nyrapporteringar', 'Återrapporteringar', 'Slutrapporteringar']) {
    await expect(
      page.getByRole('heading', { level: 2, name: new RegExp(`^${group} \\(\\d+\\)$`) }),
    ).toBeVisible({ timeout: 15_000 });
  }

  // What is left to do, at the top.
  const fileable = Number(await figure(page, /kan lämnas i dag/));
  const withFindings = Number(await figure(page, /fel att rätta/));
  expect(Number.isInteger(fileable) && Number.isInteger(withFindings)).toBe(true);
  await expect(page.getByRole('region', { name: 'Att göra' })).toContainText(
    /Stänger om \d+ dag|Stänger i dag|Öppnar om \d+ dag|Stängd/,
  );
  // Each line says whether it is filed; a line the schedule calls an återrapportering with no
  // earlier filing recorded (the demo records none) says it goes as a nyrapportering.
  const rows = page.locator('table.report-table tbody tr');
  await expect(rows.first()).toContainText(/\d{8}-T/);
  await expect(rows.first()).toContainText(/Ej inlämnad|Inlämnad/);
  await expect(
    rows.filter({ hasText: 'Skickas som nyrapportering: tidigare kvartal är inte registrerade' }),
  ).not.toHaveCount(0);

  // The filters keep their lines and live in the address: a reload keeps them.
  const filters = page.getByRole('group', { name: 'Visa' });
  await filters.getByRole('button', { name: /^Har fel att rätta/ }).click();
  await expect(page).toHaveURL(/[?&]visa=fel/);
  await expect(rows).toHaveCount(withFindings);
  for (const row of await rows.all()) await expect(row).toContainText(/\d+ fel att rätta/);
  await filters.getByRole('button', { name: /^Kan lämnas i dag/ }).click();
  await expect(page).toHaveURL(/[?&]visa=kan-lamnas/);
  await page.reload();
  await expect(filters.getByRole('button', { name: /^Kan lämnas i dag/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(rows).toHaveCount(Number(await figure(page, /kan lämnas i dag/)));
  for (const row of await rows.all()) await expect(row).toContainText('Kan lämnas i dag');
  await expectNoViolations(page, 'individrapporter, kan lämnas i dag');

  // Earlier periods left with unfiled lines are pointed out, each a link to its lines.
  const earlier = page.locator('.todo-earlier');
  await expect(earlier).toContainText('Tidigare perioder har rader som inte är registrerade');
  const first = earlier.getByRole('link').first();
  const label = (await first.textContent()) ?? '';
  const [, q, year] = /^kvartal (\d) (\d{4}):/.exec(label) ?? [];
  await first.click();
  await expect(page.getByLabel('Kvartal', { exact: true })).toHaveValue(`${year}-Q${q}`);
  await expect(page).toHaveURL(/[?&]visa=ej-inlamnade/);
  await expect(rows.first()).toContainText('Ej inlämnad', { timeout: 15_000 });
});

test('a rapportör follows a line to its decision, read-only, and comes back to the same list', async ({
  page,
}) => {
  await signIn(page, 'rapportor');
  // The period before the default one: the demo gives it every kind of line, none of them filed.
  const previous = addQuarters(defaultReportQuarter(todayInStockholm()), -1);
  await page.goto(`/kvartal?kvartal=${quarterKey(previous)}&visa=ej-inlamnade`);
  const row = page.locator('table.report-table tbody tr').first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  const name = (await row.locator('.report-name').textContent())?.replace(/: individrapport$/, '');
  await row.getByRole('link', { name: /^Visa beslutet om / }).click();

  await expect(page).toHaveURL(
    /\/beslut\/[^/?]+\?kvartal=\d{4}-Q[1-4]&namnd=.+&visa=ej-inlamnade$/,
  );
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 2, name: 'Händelser' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Inlämnat till IVO' })).toBeVisible();
  // Read-only: no event can be logged.
  await expect(page.getByRole('heading', { name: 'Registrera' })).toHaveCount(0);
  await expect(page.getByRole('textbox')).toHaveCount(0);
  await expectNoViolations(page, 'beslutet, rapportörens läsvy');

  await page.getByRole('link', { name: '← Tillbaka till individrapporterna' }).click();
  await expect(page.getByLabel('Kvartal', { exact: true })).toHaveValue(quarterKey(previous));
  await expect(page).toHaveURL(/[?&]visa=ej-inlamnade/);
  await expect(
    page.getByRole('group', { name: 'Visa' }).getByRole('button', { name: /^Ej inlämnade/ }),
  ).toHaveAttribute('aria-pressed', 'true');
});
