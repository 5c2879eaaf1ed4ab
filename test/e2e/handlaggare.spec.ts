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
  await page.getByRole('button', { name: 'Företrädare (god man, förvaltare, ombud)' }).click();
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
  await page.getByRole('button', { name: 'Avslutat', exact: true }).click();
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

test('a handläggare registers a decision and orders it; it is in their list at once', async ({
  page,
}) => {
  await signIn(page, 'handlaggare');
  await page.getByRole('link', { name: 'Nytt beslut' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registrera beslut' })).toBeVisible();
  await page.getByLabel('Förnamn').fill('Testa');
  await page.getByLabel('Efternamn').fill('Registrerad');
  await page.getByRole('radio', { name: 'Personnummer' }).check();
  await page.getByRole('textbox', { name: 'Personnummer' }).fill('19121212-1212');
  await page.getByRole('radio', { name: 'LSS' }).check();
  await page.getByLabel('Insats').selectOption({ label: '9 § 3 Ledsagarservice' });
  await page.getByRole('button', { name: 'Registrera beslutet' }).click();
  // Without a unit the order cannot go: the field says so, and nothing typed is lost.
  await expect(page.getByRole('alert')).toHaveText(
    'Beslutet är inte registrerat. Rätta fälten som är markerade.',
  );
  await expect(
    page.getByText('Välj enhet eller team, eller välj att beställa senare'),
  ).toBeVisible();
  await expect(page.getByLabel('Förnamn')).toHaveValue('Testa');
  const unit = page.getByLabel('Enhet eller team');
  await unit.selectOption({ index: 1 });
  const unitName = (await unit.locator('option:checked').textContent()) ?? '';
  await page.getByRole('button', { name: 'Registrera beslutet' }).click();

  await expect(
    page.getByRole('heading', { level: 1, name: 'Beslutet är registrerat' }),
  ).toBeVisible();
  await expect(page.getByText(`Beställningen är skickad till ${unitName}.`)).toBeVisible();
  await page.getByRole('link', { name: 'Öppna beslutet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Testa Registrerad' })).toBeVisible();
  await expect(page.getByText('Ledsagarservice')).toBeVisible();
  // The handläggare sees the full number; the decision waits from its beslutsdatum.
  await expect(page.getByText('19121212-1212')).toBeVisible();
  await expect(page.locator('.badge').first()).toHaveText('Väntar');
});
