import { expect, type Page, test } from '@playwright/test';
import { signIn, waitForServiceWorker } from './support/session';

/*
 * The server's Content-Security-Policy (apps/server/src/http/pwa.ts) must not break the app: every
 * role's main screens load in Chromium with no violation reported, the service worker included.
 */

/** Collects what Chromium reports: the page's violation events and its console's refusals. */
function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) violations.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => {
    if (/Content Security Policy/i.test(error.message)) violations.push(`error: ${error.message}`);
  });
  return violations;
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const page = window as unknown as { __csp?: string[] };
      page.__csp = page.__csp ?? [];
      page.__csp.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
});

async function visit(page: Page, path: string, ready: (page: Page) => Promise<void>) {
  await page.goto(path);
  await ready(page);
}

async function expectNone(page: Page, violations: string[], where: string) {
  const events = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  expect([...violations, ...events], where).toEqual([]);
}

const h1 = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible({ timeout: 15_000 });
};

test('the policy is sent with the app and its files', async ({ request }) => {
  for (const path of ['/', '/manifest.webmanifest', '/sw.js', '/api/health']) {
    const response = await request.get(path);
    const csp = response.headers()['content-security-policy'] ?? '';
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
  }
});

test('sign-in, the utförare’s screens and the service worker: no violation', async ({ page }) => {
  const violations = watchViolations(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Logga in i evb' })).toBeVisible();
  await signIn(page, 'utforare');
  await waitForServiceWorker(page);
  await page.locator('.card').first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 2, name: 'Händelser' })).toBeVisible();
  await page.getByRole('button', { name: 'Anteckning', exact: true }).click();
  await expect(page.getByRole('textbox', { name: 'Anteckning' })).toBeVisible();
  await visit(page, '/synk', h1('Synkronisering'));
  await visit(page, '/konto', h1('Mitt konto'));
  await expectNone(page, violations, 'utförare');
});

test('the matchare’s screens: no violation', async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page, 'matchare');
  await visit(page, '/bestallningar', h1('Mina beställningar'));
  await expectNone(page, violations, 'matchare');
});

test('the handläggare’s screens: no violation', async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page, 'handlaggare');
  for (const [path, heading] of [
    ['/uppfoljningar', 'Uppföljningar'],
    ['/beslut', 'Mina beslut'],
    ['/beslut/nytt', /Nytt beslut|Registrera/],
    ['/meddelanden', 'Meddelanden till rapportören'],
    ['/import', /Importera/],
  ] as const) {
    await visit(page, path, h1(heading));
  }
  await expectNone(page, violations, 'handläggare');
});

test('the rapportör’s and huvudrapportör’s screens: no violation', async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page, 'rapportor');
  await page.goto('/kvartal');
  await expect(page.getByRole('table').first()).toBeVisible({ timeout: 15_000 });
  await page
    .locator('table.report-table tbody tr')
    .first()
    .getByRole('link', { name: /: individrapport$/ })
    .click();
  await expect(page.getByRole('tablist', { name: 'Individrapportens flikar' })).toBeVisible({
    timeout: 15_000,
  });
  await page.goto('/statistik');
  await expect(page.getByRole('img', { name: /de senaste åtta kvartalen/ })).toBeVisible({
    timeout: 15_000,
  });
  await page.goto('/risk');
  await expect(page.getByRole('table').first()).toBeVisible({ timeout: 15_000 });
  await visit(page, '/rapportorer', h1(/Rapportörer/));
  await expectNone(page, violations, 'rapportör');

  await page.getByRole('button', { name: 'Logga ut' }).click();
  await signIn(page, 'huvudrapportor');
  await page.goto('/rapportorer');
  await expect(page.getByRole('table').first()).toBeVisible();
  await expectNone(page, violations, 'huvudrapportör');
});

test('the administration screens: no violation', async ({ page }) => {
  const violations = watchViolations(page);
  await signIn(page, 'admin');
  await visit(page, '/anvandare', h1('Användare'));
  await expect(page.getByRole('table')).toBeVisible();
  await page.getByRole('link', { name: 'Ny användare' }).click();
  await expect(page.getByRole('button', { name: 'Skapa användaren' })).toBeVisible();
  await expectNone(page, violations, 'admin');
});
