import { expect, type Page, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { signIn } from './support/session';

/*
 * Issue 12: the forms offered follow the domain's state. A handläggare registers a korttidsvistelse
 * in the form of a stödfamilj decided 70 days ago, makes the follow-up call (which reminds to offer
 * korttidsvistelse on a korttidsenhet and records it), records the skäl that the person refused
 * the latest offer (its date filled in), and closes it: then only a note is offered.
 */

function daysAgo(days: number): string {
  const date = new Date(Date.now() - days * 86_400_000);
  return date.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}

async function registerStodfamilj(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Nytt beslut' }).click();
  await page.getByLabel('Förnamn').fill('Stina');
  await page.getByLabel('Efternamn').fill('Stödfamilj');
  await page.getByRole('radio', { name: 'Personnummer' }).check();
  // A number of its own: a person is found again by their number, in another test too.
  await page.getByRole('textbox', { name: 'Personnummer' }).fill('20150412-1235');
  await page.getByRole('radio', { name: 'LSS' }).check();
  const insats = page.getByLabel('Insats');
  const label = await insats.locator('option', { hasText: '9 § 6' }).first().textContent();
  await insats.selectOption({ label: label ?? '' });
  await page.getByRole('radio', { name: /stödfamilj/i }).check();
  await page.getByLabel('Beslutsdatum').fill(daysAgo(70));
  await page.getByLabel('Enhet eller team').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Registrera beslutet' }).click();
  await page.getByRole('link', { name: 'Öppna beslutet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Stina Stödfamilj' })).toBeVisible();
}

const offered = (page: Page) =>
  page.getByRole('region', { name: 'Registrera' }).locator('.event-buttons > button');

test('a stödfamilj’s forms: the call’s reminder, the refusal’s offer date, and a closed decision takes only a note', async ({
  page,
}) => {
  // Five forms, each sent and synced, and three axe runs: more than one screen's time.
  test.setTimeout(120_000);
  await signIn(page, 'handlaggare');
  await registerStodfamilj(page);
  // Waiting: no interruption is offered.
  await expect(offered(page).filter({ hasText: 'Uppföljningssamtal' })).toHaveCount(1);
  await expect(offered(page).filter({ hasText: 'Avbrott' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Uppföljningssamtal' }).click();
  await expect(
    page.getByText(/Erbjud korttidsvistelse på korttidsenhet under tiden/),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Vårdnadshavare' }).click();
  await expect(page.getByLabel('Vem talade du med')).toHaveValue('Vårdnadshavare');
  await page.getByLabel('Vad sades').fill('Ingen stödfamilj hittad ännu.');
  await page
    .getByRole('checkbox', {
      name: 'Korttidsvistelse på korttidsenhet erbjöds i väntan på stödfamilj',
    })
    .check();
  await expectNoViolations(page, 'uppföljningssamtal för stödfamilj');
  await page.getByRole('button', { name: 'Spara uppföljningssamtal' }).click();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });

  const offerDate = daysAgo(10);
  await page.getByRole('button', { name: 'Erbjudande', exact: true }).click();
  await page.getByLabel('Datum för erbjudandet').fill(offerDate);
  await page.getByLabel('Vad erbjöds').fill('Stödfamilj i Norrby, varannan helg');
  await page.getByRole('button', { name: 'Spara erbjudande' }).click();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });

  await page.getByRole('button', { name: 'Skäl till dröjsmålet' }).click();
  await page.getByLabel('Huvudsakligt skäl').selectOption('tackat_nej');
  await expect(page.getByLabel(/Datum för erbjudandet/)).toHaveValue(offerDate);
  await expect(page.getByText(/Senaste erbjudandet, .*: Stödfamilj i Norrby/)).toBeVisible();
  await page.getByLabel('Orsak').selectOption('geografiskt_lage');
  await expectNoViolations(page, 'skäl tackat nej');
  await page.getByRole('button', { name: 'Spara skäl till dröjsmålet' }).click();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });

  await page.getByRole('button', { name: 'Avslutat', exact: true }).click();
  await page.getByLabel('Anledning').selectOption({ index: 1 });
  await page.getByLabel(/Kommentar/).fill('Familjen har flyttat.');
  await page.getByRole('button', { name: 'Spara avslutat' }).click();
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 15_000 });
  await expect(offered(page)).toHaveText(['Anteckning']);
  await expectNoViolations(page, 'avslutat beslut');
});
