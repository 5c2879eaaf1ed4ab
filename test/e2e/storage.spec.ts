import { type BrowserContext, expect, test } from '@playwright/test';
import { signIn } from './support/session';

/*
 * The app asks for persistent storage once signed in, and the Synkronisering screen shows what the
 * browser decided. Chromium grants it or not on its own (site engagement, installation, granted
 * notifications), so each case asserts that the screen says what `navigator.storage.persisted()`
 * says, in a context where Chromium refuses and in one where it grants.
 */

async function checkSyncScreen(context: BrowserContext, grantTo?: string): Promise<boolean> {
  const page = await context.newPage();
  if (grantTo) {
    // What Chromium's own heuristics (an installed app, a bookmarked site) would decide.
    const cdp = await context.newCDPSession(page);
    const { targetInfo } = await cdp.send('Target.getTargetInfo');
    await cdp.send('Browser.grantPermissions', {
      permissions: ['durableStorage'],
      origin: new URL(grantTo).origin,
      ...(targetInfo.browserContextId ? { browserContextId: targetInfo.browserContextId } : {}),
    });
  }
  await signIn(page, 'utforare');
  await page.getByRole('link', { name: 'Synkronisering' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Synkronisering' })).toBeVisible();
  const persisted = await page.evaluate(() => navigator.storage.persisted());
  const value = page
    .locator('dt', { hasText: 'Lagring på enheten' })
    .locator('xpath=following-sibling::dd');
  if (persisted) {
    await expect(value).toHaveText('Beständig');
    await expect(
      page.getByText(
        /^Lagringen är beständig: utkast och osända ändringar raderas inte av webbläsaren/,
      ),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: /beständig lagring/ })).toHaveCount(0);
  } else {
    await expect(value).toHaveText('Inte beständig');
    await expect(page.getByText(/^Beständig lagring är inte beviljad:/)).toBeVisible();
    await expect(
      page.getByRole('button', { name: 'Be webbläsaren om beständig lagring' }),
    ).toBeVisible();
  }
  await page.close();
  return persisted;
}

test('not granted: the screen says so, and what it means', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  try {
    expect(await checkSyncScreen(context)).toBe(false);
  } finally {
    await context.close();
  }
});

test('granted: the screen says drafts and unsent changes are kept', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ baseURL });
  try {
    expect(await checkSyncScreen(context, baseURL)).toBe(true);
  } finally {
    await context.close();
  }
});
