import { expect, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { signIn } from './support/session';

/*
 * Påminnelser in Mitt konto (issue 12): nothing is sent by default; the e-mail digest cannot be
 * chosen on a server without SMTP (this one), and says why; the horizon is saved; the private
 * calendar link is shown once, serves an iCalendar feed without personal data, and answers 404
 * once revoked. axe at each state.
 */

test('Mitt konto: the reminders, the calendar link made and revoked', async ({ page }) => {
  // Four axe runs and a sign-in with its first sync.
  test.slow();
  await signIn(page, 'handlaggare');
  await page.getByRole('link', { name: 'Mitt konto' }).click();
  const section = page.getByRole('region', { name: 'Påminnelser' });
  await expect(section).toBeVisible();
  const email = section.getByLabel(/påminnelse med e-post/);
  await expect(email).not.toBeChecked();
  await expect(email).toBeDisabled();
  await expect(section.getByText(/ingen e-postserver är inställd/)).toBeVisible();
  await expect(section.getByRole('link', { name: /uppföljningssamtal att göra/ })).toBeVisible();
  await expectNoViolations(page, 'mitt konto, påminnelser');

  const days = section.getByLabel('Uppgifter som ska göras inom (dagar)');
  await days.fill('61');
  await expect(section.getByText('Ange från 0 till 60 dagar')).toBeVisible();
  await expectNoViolations(page, 'mitt konto, påminnelser med fel');
  await days.fill('14');
  await section.getByRole('button', { name: 'Spara påminnelser' }).click();
  await expect(section.getByText('Påminnelserna är sparade.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Uppgifter som ska göras inom (dagar)')).toHaveValue('14');

  await page.getByRole('button', { name: 'Skapa kalenderlänk' }).click();
  const link = page.getByLabel('Din kalenderlänk');
  await expect(link).toHaveValue(/\/api\/calendar\/[a-z2-7]{32}\.ics$/);
  await expect(page.getByText(/Prenumerera från webben/)).toBeVisible();
  await expectNoViolations(page, 'mitt konto, kalenderlänken visas');
  const url = await link.inputValue();

  // The feed as a calendar reads it: no cookie, no session.
  const feed = await page.request.fetch(url, { headers: { cookie: '' } });
  expect(feed.status()).toBe(200);
  expect(feed.headers()['content-type']).toBe('text/calendar; charset=utf-8');
  const body = await feed.text();
  expect(body).toContain('BEGIN:VCALENDAR');
  expect(body).toMatch(/SUMMARY:\d+ uppföljningssamtal att göra/);
  // No personnummer (the UID's feed id and DTSTAMP are not what could be one).
  expect(body.replace(/^(UID|DTSTAMP):.*$/gm, '')).not.toMatch(/\d{6}-?\d{4}/);

  await page.getByRole('button', { name: 'Återkalla kalenderlänken' }).click();
  await expect(
    page.getByText('Kalenderlänken är återkallad och fungerar inte längre.'),
  ).toBeVisible();
  await expect(page.getByLabel('Din kalenderlänk')).toHaveCount(0);
  await expectNoViolations(page, 'mitt konto, kalenderlänken återkallad');
  expect((await page.request.fetch(url)).status()).toBe(404);
});
