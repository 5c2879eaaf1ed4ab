import { readFile } from 'node:fs/promises';
import { SWEDISH_MONTHS } from '@evb/domain';
import { expect, test } from '@playwright/test';
import { signIn } from './support/session';

test('a rapportör reads the nämnd’s statistics, with the trend chart, and downloads the PDF', async ({
  page,
}) => {
  await signIn(page, 'rapportor');
  await page
    .getByRole('navigation', { name: 'Huvudmeny' })
    .getByRole('link', { name: 'Statistik' })
    .click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Statistik till kommunfullmäktige' }),
  ).toBeVisible();
  await expect(page.getByText(/Avidentifierade uppgifter/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /^Kvartal \d 20\d\d – / })).toBeVisible({
    timeout: 15_000,
  });

  // The demo kommun has decisions waiting more than three months: the total is a positive number.
  const summary = page.getByRole('table', { name: /per kön/ });
  const total = summary
    .getByRole('row', { name: /^Totalt/ })
    .getByRole('cell')
    .last();
  await expect(total).toHaveText(/^[1-9][\d\u00a0]*$/);
  await expect(page.getByRole('table', { name: /per insats/ }).getByRole('row')).not.toHaveCount(0);
  await expect(page.getByRole('table', { name: /per väntetid/ })).toContainText(
    'Mer än 12 månader',
  );
  const chart = page.getByRole('img', { name: /de senaste åtta kvartalen/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator('rect').first()).toBeVisible();
  await expect(
    page.getByRole('table', { name: /samma siffror som i diagrammet/ }).getByRole('row'),
  ).toHaveCount(9);

  // The PDF, as the link downloads it.
  const link = page.getByRole('link', { name: /Ladda ner PDF/ });
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/api\/export\/statistik\.pdf\?namndId=.+&quarter=\d{4}-Q[1-4]$/);
  const downloading = page.waitForEvent('download');
  await link.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^statistik-\d{4}-Q[1-4]\.pdf$/);
  const file = await readFile((await download.path())!);
  expect(file.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // And straight from the server, with the page's session.
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  expect((await response.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
});

test('a rapportör sees the longest waits with the särskild avgift they risk and the last day for IVO’s application', async ({
  page,
}) => {
  await signIn(page, 'rapportor');
  await page
    .getByRole('navigation', { name: 'Huvudmeny' })
    .getByRole('link', { name: 'Risk för särskild avgift' })
    .click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Risk för särskild avgift' }),
  ).toBeVisible();
  await expect(
    page.getByRole('heading', { level: 2, name: /har väntat mer än tre månader$/ }),
  ).toBeVisible({ timeout: 15_000 });
  const rows = page
    .getByRole('table', { name: /väntat längst|det längsta först/ })
    .getByRole('row');
  const first = rows.nth(1);
  await expect(first).toContainText(/\d{8}-T/);
  await expect(first).toContainText(/\d+ dagar \(/);
  await expect(first).toContainText(/000\u00a0kr – 1\u00a0[05]00\u00a0000\u00a0kr/);
  // Longest first: the first row has waited at least as long as the second.
  const daysOf = async (n: number) => {
    const text = (await rows.nth(n).getByRole('cell').nth(2).textContent()) ?? '';
    return Number(/(\d+) dagar/.exec(text)?.[1]);
  };
  if ((await rows.count()) > 2) expect(await daysOf(1)).toBeGreaterThanOrEqual(await daysOf(2));

  // Beside the fee range, the last day the court can serve IVO's application: two years from the
  // decision, or from the interruption when the wait began with one.
  const cells = first.getByRole('cell');
  const started = (await cells.nth(1).textContent()) ?? '';
  const [decided, interrupted] = [...started.matchAll(SWEDISH_DATE)].map((m) => m[0]);
  const from = parseSwedishDate(interrupted ?? decided!);
  // Two years after 29 February is 28 February (never a leap year).
  const day = from.month === 'februari' && from.day === 29 ? 28 : from.day;
  const deadline = `${day} ${from.month} ${from.year + 2}`;
  await expect(cells.nth(3)).toContainText(
    new RegExp(
      `Ansökan om särskild avgift måste delges senast ${deadline}|Tidsfristen för ansökan har passerat \\(den ${deadline}\\)`,
    ),
  );

  // The row links to its decision.
  const href = await first.getByRole('link').getAttribute('href');
  expect(href).toMatch(/^\/beslut\/[^/]+$/);
});

test('a rapportör follows a risk row to its decision and sees its date', async ({ page }) => {
  await signIn(page, 'rapportor');
  await page
    .getByRole('navigation', { name: 'Huvudmeny' })
    .getByRole('link', { name: 'Risk för särskild avgift' })
    .click();
  const first = page
    .getByRole('table', { name: /väntat längst|det längsta först/ })
    .getByRole('row')
    .nth(1);
  await expect(first).toBeVisible({ timeout: 15_000 });
  const started = (await first.getByRole('cell').nth(1).textContent()) ?? '';
  const decided = [...started.matchAll(SWEDISH_DATE)].map((m) => m[0])[0]!;
  const link = first.getByRole('link');
  const href = (await link.getAttribute('href'))!;
  const name = ((await link.textContent()) ?? '').replace(/: öppna beslutet om .*$/, '');
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  // A rapportör reads the decision read-only.
  const heading = page.getByRole('heading', { level: 1 });
  await expect(heading).not.toHaveText('Risk för särskild avgift');
  await expect(heading).toHaveText(name);
  await expect(page.getByText(decided, { exact: true }).first()).toBeVisible();
});

const MONTHS: readonly string[] = SWEDISH_MONTHS;
const SWEDISH_DATE = new RegExp(`(\\d{1,2}) (${MONTHS.join('|')}) (\\d{4})`, 'g');

/** "1 mars 2025" as its parts; throws on anything else. */
function parseSwedishDate(text: string): { day: number; month: string; year: number } {
  const match = new RegExp(`^(\\d{1,2}) (${MONTHS.join('|')}) (\\d{4})$`).exec(text);
  if (!match) throw new Error(`not a Swedish date: ${text}`);
  return { day: Number(match[1]), month: match[2]!, year: Number(match[3]) };
}
