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
