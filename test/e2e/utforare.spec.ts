import { expect, test } from '@playwright/test';
import { signIn } from './support/session';

test('an utförare sees the unit’s orders, the most urgent first, and logs an offer', async ({
  page,
}) => {
  await signIn(page, 'utforare');
  await expect(page.getByRole('heading', { level: 1, name: 'Mina beställningar' })).toBeVisible();
  const cards = page.locator('.card');
  await expect(cards.first()).toBeVisible();
  // Overdue decisions come first: the first card is at least as urgent as the last one.
  const first = await cards.first().getAttribute('class');
  const overdueCount = await page.locator('.card.card-urgent').count();
  if (overdueCount > 0) expect(first).toContain('card-urgent');
  // Never a full personnummer for an utförare, on the list or on a decision.
  const fullPersonnummer = /\b\d{8}-\d{4}\b/;
  expect(await page.locator('main').textContent()).not.toMatch(fullPersonnummer);
  // Nor in what the phone holds: every number it has is masked.
  const held = await page.evaluate(
    () =>
      new Promise<(string | null)[]>((resolve, reject) => {
        const open = indexedDB.open('evb');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('decisions').objectStore('decisions').getAll();
          all.onsuccess = () =>
            resolve(
              (all.result as { person: { personnummer: string | null } }[]).map(
                (d) => d.person.personnummer,
              ),
            );
        };
      }),
  );
  expect(held.filter((p) => p !== null).length).toBeGreaterThan(0);
  for (const p of held) if (p !== null) expect(p).toMatch(/^\d{8}-\*{4}$/);
  await cards.first().getByRole('link').click();
  await expect(page.getByRole('term').filter({ hasText: 'Personnummer' })).toBeVisible();
  expect(await page.locator('main').textContent()).not.toMatch(fullPersonnummer);

  await page.getByRole('button', { name: 'Anteckning', exact: true }).click();
  await page
    .getByRole('textbox', { name: 'Anteckning' })
    .fill('Ringde den enskilde, återkommer i morgon.');
  await page.getByRole('button', { name: 'Spara anteckning' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Händelsen ”Anteckning” är sparad' }),
  ).toBeVisible();
  await expect(page.getByText('Ringde den enskilde, återkommer i morgon.')).toBeVisible();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByText('Väntar på att skickas', { exact: true })).toHaveCount(0);
});

test('an event the domain does not allow is refused in Swedish before it is sent', async ({
  page,
}) => {
  await signIn(page, 'utforare');
  await page.locator('.card').first().getByRole('link').click();
  await page.getByRole('button', { name: 'Erbjudande', exact: true }).click();
  await page.getByLabel('Datum för erbjudandet').fill('2099-01-01');
  await page.getByLabel('Vad erbjöds').fill('Plats på dagverksamhet');
  await page.getByRole('button', { name: 'Spara erbjudande' }).click();
  await expect(page.getByRole('alert')).toHaveText('Datumet 1 januari 2099 ligger i framtiden');
});
