import { expect, test } from '@playwright/test';
import { signIn } from './support/session';

test('a handläggare logs a due follow-up call in two taps and a text', async ({ page }) => {
  await signIn(page, 'handlaggare');
  await expect(page.getByRole('heading', { level: 1, name: 'Uppföljningar' })).toBeVisible();
  const due = page.locator('.card');
  await expect(due.first()).toBeVisible();
  const before = await due.count();
  const name = (await due.first().getByRole('link').textContent()) ?? '';

  await due
    .first()
    .getByRole('button', { name: /Logga samtal/ })
    .click();
  await page.getByRole('button', { name: 'God man' }).click();
  await page.getByLabel('Vad sades').fill('Väntar fortfarande på plats, god man informerad.');
  await page.getByRole('button', { name: 'Spara uppföljningssamtal' }).click();

  await expect(
    page.getByRole('status').filter({ hasText: `Samtalet med ${name} är sparat.` }),
  ).toBeVisible();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });
  await expect(due).toHaveCount(before - 1);
});

test('a handläggare closes a decision with a reason', async ({ page }) => {
  await signIn(page, 'handlaggare');
  await page.goto('/beslut');
  await page.locator('.card').last().getByRole('link').click();
  await page.getByRole('button', { name: 'Avslutat' }).click();
  await page.getByLabel('Anledning').selectOption({ index: 1 });
  await page.getByLabel(/Kommentar/).fill('Den enskilde har flyttat från kommunen.');
  await page.getByRole('button', { name: 'Spara avslutat' }).click();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.badge').first()).toHaveText('Avslutat');
});

test('the messages that go to the rapportör carry the routine’s titles', async ({ page }) => {
  await signIn(page, 'handlaggare');
  await page.goto('/meddelanden');
  await expect(page.locator('.message-title').first()).toHaveText(
    /^IVO – (Nyrapportering|Återrapportering|Slutrapportering) \d{4}-\d{2}-\d{2}, .+/,
  );
});
