import { expect, test } from '@playwright/test';
import { signIn } from './support/session';

test('a rapportör sees the quarter’s lines grouped as ny-, åter- and slutrapporteringar', async ({
  page,
}) => {
  await signIn(page, 'rapportor');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Kvartalsrapport till IVO' }),
  ).toBeVisible();
  // The default quarter is the one whose window is open now, else the latest ended one.
  await expect(page.getByLabel('Kvartal', { exact: true })).not.toHaveValue('');
  await expect(page.getByText(/Rapporteringsperioden/)).toBeVisible();
  for (const group of ['Nyrapporteringar', 'Återrapporteringar', 'Slutrapporteringar']) {
    await expect(
      page.getByRole('heading', { level: 2, name: new RegExp(`^${group}`) }),
    ).toBeVisible({
      timeout: 15_000,
    });
  }
  const firstRow = page.getByRole('table').first().getByRole('row').nth(1);
  // Each line names the person by IVO pseudo-id and says whether it is filed.
  await expect(firstRow).toContainText(/\d{8}-T/);
  await expect(firstRow).toContainText(/Ej inlämnad|Inlämnad/);

  await page.getByRole('button', { name: /Föregående/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: /^Nyrapporteringar/ })).toBeVisible();
});
