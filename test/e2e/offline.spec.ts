import { expect, test } from '@playwright/test';
import { goOffline, goOnline, signIn, waitForServiceWorker } from './support/session';

test('a form filled offline survives a reload, waits in the outbox, and reaches the server exactly once', async ({
  page,
  context,
}) => {
  await signIn(page, 'utforare');
  await waitForServiceWorker(page);
  await page.locator('.card').first().getByRole('link').click();
  const decisionUrl = page.url();
  const decisionId = decisionUrl.split('/').pop() ?? '';

  await goOffline(context);
  await page.reload();
  await expect(page.getByText('Offline', { exact: true })).toBeVisible();

  const text = `Offline-anteckning ${Date.now()}`;
  await page.getByRole('button', { name: 'Anteckning', exact: true }).click();
  await page.getByRole('textbox', { name: 'Anteckning' }).fill(text);
  await expect(page.getByText('Utkastet sparas på enheten medan du skriver.')).toBeVisible();

  // Reload while offline: the draft is still there, its form open again.
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Anteckning' })).toHaveValue(text);

  await page.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(page.getByText('1 ändring väntar på att skickas')).toBeVisible();
  await expect(page.getByText('Väntar på att skickas', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByText('1 ändring väntar på att skickas')).toBeVisible();

  await goOnline(context);
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('Väntar på att skickas', { exact: true })).toHaveCount(0);

  // The server holds the note once, however many times the phone tried.
  const detail = await page.evaluate(async (id) => {
    const input = encodeURIComponent(JSON.stringify({ id }));
    const response = await fetch(`/api/trpc/decisions.get?input=${input}`);
    return (await response.json()) as { result: { data: { events: { text?: string }[] } } };
  }, decisionId);
  expect(detail.result.data.events.filter((e) => e.text === text)).toHaveLength(1);
});

test('on the first visit, without a reload, a decision opens offline once the list is shown', async ({
  page,
  context,
}) => {
  await signIn(page, 'utforare');
  // The screens used offline load when the first screen is idle, and the new service worker
  // takes the page: neither waits for a reload.
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? null), {
      timeout: 15_000,
    })
    .toBe('activated');
  await goOffline(context);
  await page.locator('.card').first().getByRole('link').click();
  await expect(page.getByRole('button', { name: 'Anteckning', exact: true })).toBeVisible();
  await goOnline(context);
});
