import { expect as baseExpect, test } from '@playwright/test';

/*
 * Issue 14: sign-in through the kommun's identity provider with SAML 2.0, the whole way in the
 * browser. This spec runs its own server (apps/server/src/testing/serve-saml.ts): evb as
 * `pnpm start` runs it, configured with SAML_* for a real IdP that the same process starts on
 * loopback (testing/saml-idp.ts, assertions signed with xml-crypto). The user clicks "Logga in med
 * e-legitimation", signs in on the IdP's own page, and the IdP's page posts the signed Response to
 * evb's ACS; evb links the user by the uid attribute (the demo username). An identity evb does not
 * know comes back to the sign-in screen with a Swedish message and no session.
 */

import { useOwnServer } from './support/own-server';

const expect = baseExpect.configure({ timeout: 20_000 });
const baseURL = useOwnServer('src/testing/serve-saml.ts');

test('signs in through the IdP: the button, the IdP’s page, back in evb signed in', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Logga in med e-legitimation/ }).click();
  // The IdP's own page, on another port.
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/sso\?SAMLRequest=/);
  await expect(page.getByRole('heading', { name: 'Test-IdP: logga in' })).toBeVisible();
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in hos IdP' }).click();

  // Back in evb, on the handläggare's first screen (the app sends "/" there).
  await expect(page).toHaveURL(`${baseURL}/uppfoljningar`);
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
  await expect(page.getByText('Sara Nyström').first()).toBeVisible();
});

test('signing out ends the evb session and the IdP’s (single logout), back on the sign-in screen', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Logga in med e-legitimation/ }).click();
  await page.getByLabel('Användarnamn').fill('handlaggare');
  await page.getByRole('button', { name: 'Logga in hos IdP' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();

  const toIdp: URL[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/slo' && url.origin !== baseURL) toIdp.push(url);
  });
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page.getByRole('link', { name: /Logga in med e-legitimation/ })).toBeVisible();
  await expect(page).toHaveURL(`${baseURL}/`);
  // The browser went by the IdP with a signed LogoutRequest.
  expect(toIdp).toHaveLength(1);
  expect(toIdp[0]?.searchParams.get('SAMLRequest')).toBeTruthy();
  expect(toIdp[0]?.searchParams.get('Signature')).toBeTruthy();
  const status = await page.request.get('/api/trpc/auth.status');
  expect((await status.json()).result.data.user).toBeNull();
});

test('an identity evb does not know: back on the sign-in screen, told why in Swedish', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('link', { name: /Logga in med e-legitimation/ }).click();
  await page.getByLabel('Användarnamn').fill('okand.person');
  await page.getByRole('button', { name: 'Logga in hos IdP' }).click();

  // Back on evb's sign-in screen, which reads the refusal's code (?fel=ingen-anvandare) and takes
  // it out of the address at once: the message says which refusal it was.
  await expect(page).toHaveURL(new RegExp(`^${baseURL}/(\\?fel=ingen-anvandare)?$`));
  await expect(page.getByText('Du har inget aktivt konto i evb.', { exact: false })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);
});
