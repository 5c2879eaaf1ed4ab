import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { signIn } from './support/session';

/** WCAG 2.1 A and AA, as the issue asks: axe must find nothing. */
async function expectNoViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, screen).toEqual([]);
}

test('the sign-in screen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoViolations(page, 'inloggning');
});

test('the utförare’s screens, with a form open', async ({ page }) => {
  await signIn(page, 'utforare');
  await expectNoViolations(page, 'Mina beställningar');
  await page.locator('.card').first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Händelser' })).toBeVisible();
  await expectNoViolations(page, 'beslut');
  await page.getByRole('button', { name: 'Tackat nej' }).click();
  await expectNoViolations(page, 'formulär tackat nej');
  await page.getByRole('button', { name: 'Spara tackat nej' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectNoViolations(page, 'formulär med fel');
  await page.goto('/synk');
  await expectNoViolations(page, 'synkronisering');
});

test('the handläggare’s screens', async ({ page }) => {
  await signIn(page, 'handlaggare');
  for (const [path, heading] of [
    ['/uppfoljningar', 'Uppföljningar'],
    ['/beslut', 'Mina beslut'],
    ['/beslut/nytt', /Nytt beslut|Registrera/],
    ['/meddelanden', 'Meddelanden till rapportören'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectNoViolations(page, path);
  }
});

test('the rapportör’s quarter', async ({ page }) => {
  await signIn(page, 'rapportor');
  await page.goto('/kvartal');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('table').first()).toBeVisible({ timeout: 15_000 });
  await expectNoViolations(page, 'kvartal');
});
