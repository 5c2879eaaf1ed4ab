import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateTOTP } from '@oslojs/otp';
import { expect as baseExpect, type Page, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { useOwnServer } from './support/own-server';
import { DEMO_PASSWORD } from './support/session';

/*
 * Issue 14, MFA for local accounts, the whole way in Chromium: a user adds an app for one-time
 * codes in Mitt konto (the code computed here from the secret the screen shows, as the app would),
 * signs out and in with password and code, and with a recovery code; another adds a passkey held
 * by Chromium's virtual authenticator (CDP WebAuthn) and signs in with it; the administrator resets
 * a user's factors (password only again) and requires MFA for everyone, so that a user without a
 * factor gets only the enrolment, adds one and goes on. The policy and the factors change, so the
 * spec runs its own server (evb's src/main.ts on a throwaway embedded database, the demo kommun).
 * The pages use localhost: a passkey's relying party must be a domain, not 127.0.0.1.
 */

const expect = baseExpect.configure({ timeout: 20_000 });
const ownServer = useOwnServer('src/main.ts');
const baseURL = ownServer.replace('127.0.0.1', 'localhost');
test.use({ baseURL });
// Every test signs in several times, each a first sync of the demo data: slow on a loaded machine.
test.beforeEach(() => test.setTimeout(120_000));

/** The recovery codes the TOTP test was shown, used by the next test. */
let recoveryCodes: string[] = [];
/** The TOTP secret the utförare added, for the reset test. */
let utforareSecret = '';

function totpCode(secret: string): string {
  return generateTOTP(decodeBase32IgnorePadding(secret.replace(/\s/g, '')), 30, 6);
}

/**
 * Waits into the next 30-second step: the server accepts each step's code once, and the one used
 * to confirm the app may be the current one.
 */
async function nextTotpStep(): Promise<void> {
  const intoStep = Date.now() % 30_000;
  await new Promise((resolve) => setTimeout(resolve, 30_000 - intoStep + 500));
}

async function passwordStep(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

async function signedIn(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' })).toBeVisible();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect(page.getByLabel('Användarnamn')).toBeVisible();
}

/** Adds the app in Mitt konto (or the enrolment view): returns the secret and the recovery codes. */
async function addTotp(page: Page): Promise<{ secret: string; codes: string[] }> {
  await page.getByRole('button', { name: 'Lägg till app för engångskoder' }).click();
  await expect(page.getByRole('heading', { name: 'Lägg in evb i appen' })).toBeFocused();
  await expect(
    page.getByRole('img', { name: 'QR-kod att skanna med appen för engångskoder' }),
  ).toBeVisible();
  await expectNoViolations(page, 'adding the app for one-time codes');
  const secret = (await page.locator('.mfa-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  await page.getByLabel('Kod från appen').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Bekräfta' }).click();
  await expect(page.getByRole('heading', { name: 'Dina återställningskoder' })).toBeFocused();
  await expect(page.getByText('Koderna visas bara nu.')).toBeVisible();
  const codes = await page
    .getByRole('list', { name: 'Återställningskoder' })
    .getByRole('listitem')
    .allTextContents();
  expect(codes).toHaveLength(10);
  await expectNoViolations(page, 'the new recovery codes');
  for (const code of codes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/i);
  return { secret, codes };
}

test('adds an app for one-time codes in Mitt konto, then signs in with password and code', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await passwordStep(page, 'utforare');
  await signedIn(page);
  await page.getByRole('link', { name: 'Mitt konto' }).click();
  await expect(page.getByRole('heading', { name: 'Tvåstegsverifiering' })).toBeVisible();
  await expect(page.getByText('Avstängd.')).toBeVisible();

  const { secret, codes } = await addTotp(page);
  recoveryCodes = codes;
  utforareSecret = secret;
  // The file to keep them in.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Ladda ner' }).click();
  expect((await download).suggestedFilename()).toBe('evb-aterstallningskoder.txt');
  await page.getByRole('button', { name: 'Jag har sparat koderna' }).click();
  await expect(page.getByText('Påslagen: app.')).toBeVisible();
  await expect(page.getByText(codes[0] as string)).toHaveCount(0);

  await signOut(page);
  await passwordStep(page, 'utforare');
  await expect(page.getByRole('heading', { name: 'Bekräfta inloggningen' })).toBeFocused();
  // Not signed in yet: the password alone gave no session.
  const status = await page.request.get('/api/trpc/auth.status');
  expect((await status.json()).result.data.user).toBeNull();

  await expectNoViolations(page, 'the second step of the sign-in');
  await page.getByLabel('Kod från appen').fill('000000');
  await page.getByRole('button', { name: 'Logga in med koden' }).click();
  await expect(page.getByRole('alert')).toHaveText('Fel kod.');

  await nextTotpStep();
  await page.getByLabel('Kod från appen').fill(totpCode(secret));
  await page.getByRole('button', { name: 'Logga in med koden' }).click();
  await signedIn(page);
  await expect(page).toHaveURL(`${baseURL}/bestallningar`);
});

test('signs in with a recovery code, told how many are left; the code works once', async ({
  page,
}) => {
  expect(recoveryCodes).toHaveLength(10);
  await passwordStep(page, 'utforare');
  await page.getByRole('button', { name: 'Använd en återställningskod' }).click();
  await expect(page.getByLabel('Återställningskod')).toBeFocused();
  await page.getByLabel('Återställningskod').fill((recoveryCodes[0] as string).toUpperCase());
  await page.getByRole('button', { name: 'Logga in med återställningskoden' }).click();
  await expect(
    page.getByText('Återställningskoden är förbrukad. Du har 9 återställningskoder kvar.'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await signedIn(page);

  // Used up: the same code is refused the next time.
  await signOut(page);
  await passwordStep(page, 'utforare');
  await page.getByRole('button', { name: 'Använd en återställningskod' }).click();
  await page.getByLabel('Återställningskod').fill(recoveryCodes[0] as string);
  await page.getByRole('button', { name: 'Logga in med återställningskoden' }).click();
  await expect(page.getByRole('alert')).toHaveText('Fel kod.');
  await page.getByRole('button', { name: 'Avbryt' }).click();
  await expect(page.getByLabel('Lösenord')).toHaveValue('');
});

test('adds a passkey (Chromium’s virtual authenticator) and signs in with it', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });

  await passwordStep(page, 'handlaggare');
  await signedIn(page);
  await page.getByRole('link', { name: 'Mitt konto' }).click();
  await page.getByLabel('Namn på nyckeln').fill('Jobbdatorn');
  await page.getByRole('button', { name: 'Lägg till nyckel' }).click();
  // The first factor: its recovery codes.
  await expect(page.getByRole('heading', { name: 'Dina återställningskoder' })).toBeFocused();
  await page.getByRole('button', { name: 'Jag har sparat koderna' }).click();
  await expect(page.getByText('Påslagen: 1 nyckel.')).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Jobbdatorn' })).toBeVisible();
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);

  await signOut(page);
  await passwordStep(page, 'handlaggare');
  await expect(page.getByRole('heading', { name: 'Bekräfta inloggningen' })).toBeVisible();
  // Only a passkey: no field for a code from an app.
  await expect(page.getByLabel('Kod från appen')).toHaveCount(0);
  await page.getByRole('button', { name: 'Använd nyckel' }).click();
  await signedIn(page);
  await expect(page).toHaveURL(`${baseURL}/uppfoljningar`);
  const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(after.credentials[0]?.signCount).toBeGreaterThan(0);
});

test('the administrator resets a user’s factors: the user signs in with the password only', async ({
  browser,
}) => {
  expect(utforareSecret).not.toBe('');
  const admin = await (await browser.newContext({ baseURL })).newPage();
  await passwordStep(admin, 'admin');
  await signedIn(admin);
  await admin.goto('/anvandare');
  const row = admin.getByRole('row', { name: /Elin Sandberg/ });
  await expect(row.getByText('App', { exact: true })).toBeVisible();
  await row.getByRole('link', { name: 'Elin Sandberg' }).click();
  await admin.getByRole('button', { name: 'Återställ tvåstegsverifiering…' }).click();
  await expect(
    admin.getByRole('heading', { name: 'Återställ tvåstegsverifieringen för Elin Sandberg?' }),
  ).toBeFocused();
  await admin.getByRole('button', { name: 'Återställ tvåstegsverifiering', exact: true }).click();
  await expect(admin.getByText(/^Tvåstegsverifieringen är återställd/)).toBeVisible();
  await expect(admin.getByText('Elin Sandberg har ingen tvåstegsverifiering.')).toBeVisible();

  const user = await (await browser.newContext({ baseURL })).newPage();
  await passwordStep(user, 'utforare');
  await signedIn(user);
  await expect(user.getByRole('heading', { name: 'Bekräfta inloggningen' })).toHaveCount(0);
  await user.context().close();
  await admin.context().close();
});

test('MFA required: a user without a factor gets only the enrolment, adds one and goes on', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  // Signed in before the requirement: their next call is refused, and the app shows the enrolment.
  const early = await (await browser.newContext({ baseURL })).newPage();
  await passwordStep(early, 'loggranskare');
  await signedIn(early);

  const admin = await (await browser.newContext({ baseURL })).newPage();
  await passwordStep(admin, 'admin');
  await signedIn(admin);
  // The requirement holds for the administrator too: a factor first, or the next call is refused.
  await admin.goto('/anvandare');
  await expect(admin.getByText(/^Du har själv ingen tvåstegsverifiering/)).toBeVisible();
  await admin.getByRole('link', { name: 'Mitt konto' }).click();
  await addTotp(admin);
  await admin.getByRole('button', { name: 'Jag har sparat koderna' }).click();
  await admin.getByRole('link', { name: 'Användare' }).click();
  await expect(admin.getByText(/^Du har själv ingen tvåstegsverifiering/)).toHaveCount(0);
  const toggle = admin.getByRole('switch', {
    name: 'Kräv tvåstegsverifiering för alla lokala konton',
  });
  await expect(toggle).not.toBeChecked();
  await expectNoViolations(admin, 'Användare with the MFA switch');
  await toggle.check();
  await expect(
    admin.getByText('Tvåstegsverifiering krävs nu för alla lokala konton.'),
  ).toBeVisible();

  await early.getByRole('link', { name: 'Mitt konto' }).click();
  await expect(
    early.getByRole('heading', { level: 1, name: 'Slå på tvåstegsverifiering' }),
  ).toBeVisible();
  await expect(early.getByRole('navigation', { name: 'Huvudmeny' })).toHaveCount(0);
  await early.getByRole('button', { name: 'Logga ut' }).click();
  await expect(early.getByLabel('Användarnamn')).toBeVisible();
  await early.context().close();

  const page = await (await browser.newContext({ baseURL })).newPage();
  await passwordStep(page, 'rapportor');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Slå på tvåstegsverifiering' }),
  ).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Huvudmeny' })).toHaveCount(0);
  await expectNoViolations(page, 'the enrolment-only view');
  // The server agrees: case data is refused until a factor is added.
  const refused = await page.request.get('/api/trpc/org.overview');
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.data.mfaEnrolmentRequired).toBe(true);

  await addTotp(page);
  await page.getByRole('button', { name: 'Jag har sparat koderna – fortsätt' }).click();
  await signedIn(page);
  await expect(page).toHaveURL(`${baseURL}/kvartal`);
  const allowed = await page.request.get('/api/trpc/org.overview');
  expect(allowed.status()).toBe(200);

  // Off again, as the switch says.
  await toggle.uncheck();
  await expect(admin.getByText('Tvåstegsverifiering krävs inte längre.')).toBeVisible();
  await page.context().close();
  await admin.context().close();
});
