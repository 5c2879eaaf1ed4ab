import { type BrowserContext, expect, type Page } from '@playwright/test';

/** The demo users' password, printed by the server at start-up (apps/server/src/seed). */
export const DEMO_PASSWORD = 'demo-evb-2026';

/** Signs in through the form, as a user would, and waits for the first sync to finish. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
  await expect(page.getByText(/Senast synkad/)).toBeVisible({ timeout: 20_000 });
}

/**
 * Cuts the network for the page and its service worker alike: `setOffline` alone does not stop
 * the worker's own requests (engineering notes), so API calls are also aborted by a route.
 */
export async function goOffline(context: BrowserContext): Promise<void> {
  await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
  await context.setOffline(true);
}

export async function goOnline(context: BrowserContext): Promise<void> {
  await context.unroute('**/api/**');
  await context.setOffline(false);
}

/** Waits until the service worker controls the page, so the app shell is cached. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state), {
      timeout: 15_000,
    })
    .toBe('activated');
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state))
    .toBe('activated');
}
