import { expect, test } from '@playwright/test';
import { goOffline, goOnline, signIn, waitForServiceWorker } from './support/session';

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

test('a service worker becomes active, and the app opens with no network after the first visit', async ({
  page,
  context,
}) => {
  await signIn(page, 'matchare');
  await waitForServiceWorker(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Mina beställningar' })).toBeVisible();

  await goOffline(context);
  await page.reload();
  // The shell comes from the worker's cache and the list from the phone's own copy.
  await expect(page.getByRole('heading', { level: 1, name: 'Mina beställningar' })).toBeVisible();
  await expect(page.getByText('Offline', { exact: true })).toBeVisible();
  await expect(page.locator('.card').first()).toBeVisible();
  await goOnline(context);
});

test('the footer offers installing when the browser allows it, and shows the browser’s dialog', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Logga in' })).toBeVisible();
  // Headless Chromium does not judge the page installable by itself: fire its event as it would.
  await page.evaluate(() => {
    const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => {
        (window as unknown as { prompted: boolean }).prompted = true;
      },
      userChoice: Promise.resolve({ outcome: 'accepted' }),
    });
    window.dispatchEvent(event);
  });
  const footer = page.getByRole('contentinfo');
  await expect(footer.getByRole('heading', { name: 'Installera evb' })).toBeVisible();
  await expect(footer.getByText(/fungerar utan nätverk/)).toBeVisible();
  await footer.getByRole('button', { name: 'Installera evb' }).click();
  await expect(footer.getByText(/evb är installerad/)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { prompted: boolean }).prompted)).toBe(
    true,
  );
});

test.describe('on an iPhone', () => {
  test.use({
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  });

  test('the footer says how to install from Safari', async ({ page }) => {
    await page.goto('/');
    const footer = page.getByRole('contentinfo');
    await expect(footer.getByText(/Lägg till på hemskärmen/)).toBeVisible();
    await expect(footer.getByRole('button', { name: 'Installera evb' })).toHaveCount(0);
  });
});
