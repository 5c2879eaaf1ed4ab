import { expect as baseExpect, test } from '@playwright/test';

/*
 * Issue 14: sign-in through the kommun's identity provider with OpenID Connect, the whole way in
 * the browser. This spec runs its own server (apps/server/src/testing/serve-oidc.ts): evb as
 * `pnpm start` runs it, configured with OIDC_* for a real provider (oidc-provider) that the same
 * process starts on loopback, LoA 3 required and passwords off. The user clicks "Logga in med
 * e-legitimation", signs in on the provider's page, and the provider sends the browser back with
 * a code that evb exchanges and checks; evb links the user by the sub claim (the demo username).
 * Refusals come back to the sign-in screen in Swedish, with no session.
 */
import { useOwnServer } from './support/own-server';
import { DEMO_PASSWORD } from './support/session';

const expect = baseExpect.configure({ timeout: 20_000 });
const baseURL = useOwnServer('src/testing/serve-oidc.ts');

test('signs in through the provider: the button, its page, back in evb signed in', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  // The provider's own page, on another port.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/interaction\//);
  await expect(page.getByRole('heading', { name: 'Kommunens testinloggning' })).toBeVisible();
  await page.getByLabel('Användare').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in' }).click();

  // Back in evb, on the handläggare's first screen (the app sends "/" there).
  await expect(page).toHaveURL(`${baseURL}/uppfoljningar`);
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
  await expect(page.getByText('Sara Nyström').first()).toBeVisible();
});

test('signing out ends the evb session and the provider’s, back on the sign-in screen', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await page.getByLabel('Användare').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();

  const toProvider: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/session/end') && url.origin !== baseURL) toProvider.push(url);
  });
  await page.getByRole('button', { name: 'Logga ut' }).click();
  // The provider asks (evb sends no id_token_hint: it keeps no ID token).
  await expect(
    page.getByRole('heading', { name: 'Vill du logga ut från kommunens inloggning?' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Ja, logga ut' }).click();
  await expect(page.getByRole('link', { name: 'Logga in med e-legitimation' })).toBeVisible();
  await expect(page).toHaveURL(`${baseURL}/`);
  // The browser went by the provider's end_session_endpoint, naming evb's client.
  expect(toProvider[0]?.searchParams.get('client_id')).toBe('evb');
  const status = await page.request.get('/api/trpc/auth.status');
  expect((await status.json()).result.data.user).toBeNull();

  // The provider's session is over too: signing in again asks for the name.
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await expect(page.getByRole('heading', { name: 'Kommunens testinloggning' })).toBeVisible();
});

test('an identity evb does not know: back on the sign-in screen, told why in Swedish', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await page.getByLabel('Användare').fill('okand.person');
  await page.getByRole('button', { name: 'Logga in' }).click();

  await expect(page).toHaveURL(`${baseURL}/`);
  await expect(page.getByRole('alert')).toHaveText(
    'Du har inget aktivt konto i evb. Kontakta den som administrerar evb i kommunen.',
  );
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});

test('a sign-in without two-factor assurance is refused in Swedish', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Logga in med e-legitimation' }).click();
  await page.getByLabel('Användare').fill('utforare');
  await page.getByRole('button', { name: 'Logga in' }).click();

  await expect(page.getByRole('alert')).toHaveText(/^Inloggningen var inte tillräckligt stark\./);
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});

test('with passwords off, the password form is for break-glass only', async ({ page }) => {
  await page.goto('/');
  await page.getByText('Logga in med lösenord (nödåtkomst för utsedda administratörer)').click();
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'Inloggning med lösenord är avstängd i kommunen. Logga in med e-legitimation i stället.',
  );
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});
