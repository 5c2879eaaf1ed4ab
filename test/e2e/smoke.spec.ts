import { expect, test } from '@playwright/test';

test('the Swedish sign-in page renders', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('evb – ej verkställda beslut');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Logga in i evb');
});

test('a wrong password is refused with a Swedish message', async ({ page }) => {
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill('utforare');
  await page.getByLabel('Lösenord').fill('fel-lösenord');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Fel användarnamn eller lösenord.');
});

test('GET /api/health answers ok on the embedded database', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ ok: true, database: 'pglite' });
});

test('an app route reloads into the app, an unknown API path does not', async ({
  page,
  request,
}) => {
  const response = await page.goto('/kvartal');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const api = await request.get('/api/no-such-thing');
  expect(api.status()).toBe(404);
});
