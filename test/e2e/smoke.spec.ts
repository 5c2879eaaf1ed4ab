import { expect, test } from '@playwright/test';

test('the Swedish start page renders and shows the embedded database', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('evb – ej verkställda beslut');
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Ej verkställda beslut – uppföljning och rapportering till IVO',
  );
  await expect(page.getByRole('heading', { level: 2, name: 'Vem använder evb?' })).toBeVisible();
  for (const role of ['Handläggare', 'Utförare och matchare', 'Rapportör']) {
    await expect(page.getByRole('heading', { level: 3, name: role })).toBeVisible();
  }
  await expect(page.getByRole('status')).toHaveText('Ansluten – inbyggd databas (PGlite)');
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
  const response = await page.goto('/rapporter/2026-1');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const api = await request.get('/api/no-such-thing');
  expect(api.status()).toBe(404);
});

test('the web app manifest has what an install needs', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const response = await request.get(href ?? '');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: 'evb – ej verkställda beslut',
    short_name: 'evb',
    lang: 'sv',
    start_url: '/',
    display: 'standalone',
    theme_color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
  });
  const icons: { src: string; sizes: string; type: string; purpose?: string }[] = manifest.icons;
  expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(icons.some((icon) => icon.purpose?.split(' ').includes('maskable'))).toBe(true);
  for (const icon of icons) {
    const image = await request.get(icon.src);
    expect(image.status(), icon.src).toBe(200);
    expect(image.headers()['content-type'], icon.src).toBe('image/png');
  }
});

test('a service worker becomes active and keeps the page working offline', async ({
  page,
  context,
}) => {
  await page.goto('/');
  const workerState = () =>
    page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
  await expect.poll(workerState, { timeout: 15_000 }).toBe('activated');

  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(
    'Du är offline. evb ansluter till servern igen när nätverket är tillbaka.',
  );
  await context.setOffline(false);
});
