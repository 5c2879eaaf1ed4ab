import { SWEDISH_MONTHS } from '@evb/domain';
import { expect, type Page, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { signIn } from './support/session';

/*
 * Each list by its user's own next deadline (issue 12), on the demo data: an overdue deadline of
 * the user's own first, then the nearest; a card says late ("Försenad sedan …") only of the user's
 * own; the matchare's list is searched by lagrum.
 */

// axe over a list of every demo decision takes a while on a busy machine.
test.describe.configure({ timeout: 120_000 });

const MONTHS: readonly string[] = SWEDISH_MONTHS;
const OWN =
  /(Försenad sedan [^:]+: )?(Tremånadersdag|Sammanfattning senast|Uppföljningssamtal senast|Meddelande till rapportören senast) (\d{1,2}) ([a-zåäö]+) (\d{4})/;

/** Each card's own deadline as [overdue, ISO date], or null where the card has none. */
async function ownDeadlines(page: Page): Promise<([boolean, string] | null)[]> {
  const texts = await page.locator('.card').allTextContents();
  return texts.map((text) => {
    const m = OWN.exec(text);
    if (!m) return null;
    const month = String(MONTHS.indexOf(m[4]!) + 1).padStart(2, '0');
    return [Boolean(m[1]), `${m[5]}-${month}-${m[3]!.padStart(2, '0')}`];
  });
}

/** Overdue first, then the nearest, then the cards without a deadline of the user's own. */
function expectOrdered(deadlines: ([boolean, string] | null)[]): void {
  const key = (d: [boolean, string] | null) => (d ? `${d[0] ? 0 : 1}${d[1]}` : '2');
  const keys = deadlines.map(key);
  expect(keys).toEqual([...keys].sort());
}

test('the matchare’s orders come by the matchare’s own deadlines, searchable by lagrum', async ({
  page,
}) => {
  await signIn(page, 'matchare');
  await expect(page.getByRole('heading', { level: 1, name: 'Mina beställningar' })).toBeVisible();
  await expect(page.locator('.card').first()).toBeVisible();
  const deadlines = await ownDeadlines(page);
  expect(deadlines.filter((d) => d !== null).length).toBeGreaterThan(1);
  expectOrdered(deadlines);
  // Every card tells the lagrum: Boendeteamet matches 9 § 9 and external 9 § 8.
  for (const text of await page.locator('.card .card-meta').allTextContents()) {
    expect(text).toMatch(/LSS 9 § (9|8, externt)/);
  }
  await expect(
    page.locator('.card').filter({ hasText: 'Senaste erbjudande' }).first(),
  ).toBeVisible();
  await expectNoViolations(page, 'Mina beställningar, matchare');

  await page.getByLabel('Sök på namn, IVO-id, insats eller lagrum (t.ex. 9 § 9)').fill('9 § 9');
  const found = await page.locator('.card .card-meta').allTextContents();
  expect(found.length).toBeGreaterThan(0);
  for (const text of found) expect(text).toContain('LSS 9 § 9');
  expectOrdered(await ownDeadlines(page));
  await expectNoViolations(page, 'Mina beställningar, matchare, sökning');
});

test('the handläggare’s decisions come by the call and the message; a decision shows the handläggare’s tasks first', async ({
  page,
}) => {
  await signIn(page, 'handlaggare');
  await page.getByRole('link', { name: 'Mina beslut' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mina beslut' })).toBeVisible();
  await expect(page.locator('.card').first()).toBeVisible();
  const deadlines = await ownDeadlines(page);
  expect(deadlines.filter((d) => d !== null).length).toBeGreaterThan(1);
  expectOrdered(deadlines);
  await expectNoViolations(page, 'Mina beslut');

  await page.locator('.card').first().getByRole('link').click();
  const tasks = page.getByRole('region', { name: 'Dina uppgifter' });
  await expect(tasks).toBeVisible();
  await expect(tasks.getByRole('listitem').first()).toHaveText(
    /^(Försenad sedan [^:]+: )?(Uppföljningssamtal|Meddelande till rapportören) senast/,
  );
  const others = page.getByRole('list', { name: 'Andras tidsgränser, för kännedom' });
  await expect(others).toBeVisible();
  await expect(others).not.toContainText(/försenad/i);
  await expect(others.locator('.is-overdue')).toHaveCount(0);
  await expectNoViolations(page, 'Beslut, handläggare');
});

test('the utförare’s orders come by the unit’s own deadlines', async ({ page }) => {
  await signIn(page, 'utforare');
  await expect(page.locator('.card').first()).toBeVisible();
  const deadlines = await ownDeadlines(page);
  expect(deadlines.filter((d) => d !== null).length).toBeGreaterThan(1);
  expectOrdered(deadlines);
  // The handläggare's call is never the utförare's to be late with.
  await expect(page.locator('.card').filter({ hasText: 'Uppföljningssamtal' })).toHaveCount(0);
  await expectNoViolations(page, 'Mina beställningar, utförare');
});
