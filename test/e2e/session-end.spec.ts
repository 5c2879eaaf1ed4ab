import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, expect, type Page, type request, test } from '@playwright/test';
import { DEMO_PASSWORD, goOffline, goOnline, signIn } from './support/session';

/*
 * A session the server revokes (here: the administrator deactivates the user) while the user has
 * unsent work on the phone. The app says why on the sign-in screen, with the username filled in;
 * it wipes the decisions it held but keeps the outbox and the draft; when the same user signs in
 * again, the outbox is sent (once) and the draft is still there.
 */

async function adminSession(
  playwright: { request: { newContext: typeof request.newContext } },
  baseURL: string,
): Promise<APIRequestContext> {
  const admin = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL },
  });
  const login = await admin.post('/api/trpc/auth.login', {
    data: { username: 'admin', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  return admin;
}

async function userId(admin: APIRequestContext, username: string): Promise<string> {
  const list = await admin.get('/api/trpc/users.list');
  const users = (await list.json()).result.data as { id: string; username: string }[];
  const found = users.find((u) => u.username === username);
  if (!found) throw new Error(`no user ${username}`);
  return found.id;
}

/** How many records each store of the app's IndexedDB holds. */
function localCounts(page: Page) {
  return page.evaluate(
    () =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const open = indexedDB.open('evb');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const stores = ['decisions', 'events', 'outbox', 'drafts'];
          const tx = open.result.transaction(stores);
          const counts: Record<string, number> = {};
          for (const name of stores) {
            const request = tx.objectStore(name).count();
            request.onsuccess = () => {
              counts[name] = request.result;
            };
          }
          tx.oncomplete = () => {
            open.result.close();
            resolve(counts);
          };
        };
      }),
  );
}

test('a revoked session: the phone says why, forgets the decisions, keeps what was written and sends it after the next sign-in', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  const admin = await adminSession(playwright, baseURL ?? '');
  const utforareId = await userId(admin, 'utforare');
  try {
    await signIn(page, 'utforare');
    await page.locator('.card').first().getByRole('link').click();
    const decisionUrl = page.url();
    const decisionId = decisionUrl.split('/').pop() ?? '';
    expect((await localCounts(page)).decisions).toBeGreaterThan(0);

    // Offline: one note saved (it waits in the outbox), one begun (a draft).
    await goOffline(context);
    const sent = `Anteckning före spärren ${Date.now()}`;
    await page.getByRole('button', { name: 'Anteckning', exact: true }).click();
    await page.getByRole('textbox', { name: 'Anteckning' }).fill(sent);
    await page.getByRole('button', { name: 'Spara anteckning' }).click();
    await expect(page.getByText('1 ändring väntar på att skickas')).toBeVisible();
    const draft = `Påbörjad anteckning ${Date.now()}`;
    await page.getByRole('button', { name: 'Anteckning', exact: true }).click();
    await page.getByRole('textbox', { name: 'Anteckning' }).fill(draft);
    await expect(page.getByText('Utkastet sparas på enheten medan du skriver.')).toBeVisible();

    // The administrator deactivates the account: every session of the user is revoked.
    const deactivated = await admin.post('/api/trpc/users.deactivate', {
      data: { id: utforareId },
    });
    expect(deactivated.status()).toBe(200);

    // Back online, the sync hears it and the app asks for a new sign-in, saying why.
    await goOnline(context);
    await expect(page.getByRole('heading', { level: 1, name: 'Logga in i evb' })).toBeVisible({
      timeout: 20_000,
    });
    await expect(page.getByText(/^Din behörighet har ändrats eller tagits bort/)).toBeVisible();
    await expect(
      page.getByText(
        /Det du har skrivit finns kvar på enheten: 1 ändring som väntar på att skickas .* och 1 påbörjat formulär/,
      ),
    ).toBeVisible();
    await expect(page.getByLabel('Användarnamn')).toHaveValue('utforare');
    await expect
      .poll(() => localCounts(page))
      .toEqual({ decisions: 0, events: 0, outbox: 1, drafts: 1 });

    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    // A reload says the same (the server still knows why the cookie's session ended).
    await page.reload();
    await expect(page.getByText(/^Din behörighet har ändrats eller tagits bort/)).toBeVisible();

    // Access given back; the same user signs in again: the outbox is sent, the draft kept.
    const activated = await admin.post('/api/trpc/users.activate', { data: { id: utforareId } });
    expect(activated.status()).toBe(200);
    await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
    await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 20_000 });
    await expect.poll(async () => (await localCounts(page)).decisions).toBeGreaterThan(0);

    const detail = await page.evaluate(async (id) => {
      const input = encodeURIComponent(JSON.stringify({ id }));
      const response = await fetch(`/api/trpc/decisions.get?input=${input}`);
      return (await response.json()) as { result: { data: { events: { text?: string }[] } } };
    }, decisionId);
    expect(detail.result.data.events.filter((e) => e.text === sent)).toHaveLength(1);

    await page.goto(decisionUrl);
    await expect(page.getByRole('textbox', { name: 'Anteckning' })).toHaveValue(draft);
  } finally {
    await admin.post('/api/trpc/users.activate', { data: { id: utforareId } });
    await admin.dispose();
  }
});
