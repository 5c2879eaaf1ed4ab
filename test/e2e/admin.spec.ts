import { type Browser, expect, type Page, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './support/session';

/*
 * The administration screens: an administrator's users, a huvudrapportör's register of
 * rapportörer, and every user's own account. Users made here get names of their own, so the demo
 * users other tests sign in as keep their passwords and roles.
 */

/** A grant by the names a person sees, resolved to ids through org.overview. */
type GrantSpec =
  | { role: 'utforare'; enhet: string }
  | { role: 'handlaggare'; namnd: string }
  | { role: 'rapportor'; namnd: string }
  | { role: 'admin' };

/** Makes a user through the server's API as the demo administrator, in a context of its own. */
async function createUser(
  browser: Browser,
  baseURL: string | undefined,
  user: { username: string; displayName: string; password: string; grant: GrantSpec },
): Promise<void> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await page.goto('/api/health');
    const problem = await page.evaluate(
      async ({ user, adminPassword }) => {
        const post = async (path: string, input: unknown) => {
          const res = await fetch(`/api/trpc/${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(input),
          });
          return res.ok ? null : `${path}: ${res.status} ${await res.text()}`;
        };
        const login = await post('auth.login', { username: 'admin', password: adminPassword });
        if (login) return login;
        const org = (await (await fetch('/api/trpc/org.overview')).json()).result.data as {
          namnder: { id: string; namn: string; enheter: { id: string; namn: string }[] }[];
        };
        const namnd = (namn: string) => org.namnder.find((n) => n.namn === namn)?.id;
        const enhet = (namn: string) =>
          org.namnder.flatMap((n) => n.enheter).find((e) => e.namn === namn)?.id;
        const g = user.grant;
        const grant =
          g.role === 'utforare'
            ? { role: g.role, enhetId: enhet(g.enhet) }
            : g.role === 'admin'
              ? { role: g.role }
              : { role: g.role, namndId: namnd(g.namnd) };
        return post('users.create', {
          username: user.username,
          displayName: user.displayName,
          password: user.password,
          roles: [grant],
        });
      },
      { user, adminPassword: DEMO_PASSWORD },
    );
    expect(problem).toBeNull();
  } finally {
    await context.close();
  }
}

/** Signs in through the form with any password and waits for the first sync. */
async function signInWith(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect(page.getByRole('button', { name: 'Logga ut' })).toBeVisible();
  await expect(page.getByText(/Senast synkad/)).toBeVisible({ timeout: 20_000 });
}

test('an administrator creates a user with a role, who signs in; deactivating signs them out', async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, 'admin');
  // An administrator starts on the users.
  await expect(page.getByRole('heading', { level: 1, name: 'Användare' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Anders Wallin' })).toBeVisible();
  await page.getByRole('link', { name: 'Ny användare' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ny användare' })).toBeVisible();
  // The rules are stated before typing, and every error shows at once.
  await expect(page.getByText(/^Minst 10 och högst 200 tecken\./)).toBeVisible();
  await page.getByRole('button', { name: 'Skapa användaren' }).click();
  for (const error of ['Användarnamnet ska ha minst 2 tecken', 'Ange namn', 'Välj roll']) {
    await expect(page.getByText(error, { exact: true })).toBeVisible();
  }
  await expect(page.getByText('Lösenordet måste ha minst 10 tecken')).toBeVisible();
  await expect(page.getByLabel('Användarnamn')).toBeFocused();

  await page.getByLabel('Användarnamn').fill('e2e.utforare');
  await page.getByLabel('Namn', { exact: true }).fill('Ebba Provare');
  await page.getByLabel('Lösenord', { exact: true }).fill('e2e-forsta-losen');
  await page.getByLabel('Upprepa lösenordet').fill('e2e-forsta-losen');
  const grant = page.getByRole('group', { name: 'Roll 1' });
  await grant.getByLabel('Roll', { exact: true }).selectOption({ label: 'Utförare' });
  // The role asks for its scope: an utförare belongs to an utförarenhet.
  await expect(grant.getByLabel('Nämnd')).toHaveCount(0);
  await grant.getByLabel('Utförarenhet').selectOption({ label: 'Kontaktpersonsenheten' });
  await page.getByRole('button', { name: 'Skapa användaren' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Användaren är skapad' })).toBeVisible();

  // The new user signs in on a device of their own and sees their unit's orders.
  const theirs = await browser.newContext({ baseURL });
  const them = await theirs.newPage();
  await signInWith(them, 'e2e.utforare', 'e2e-forsta-losen');
  await expect(them.getByRole('heading', { level: 1, name: 'Mina beställningar' })).toBeVisible();
  await expect(them.getByText('Ebba Provare')).toBeVisible();

  // The administrator finds them in the list, with the role, and deactivates the account.
  await page.getByRole('link', { name: 'Alla användare' }).click();
  await page.getByLabel('Sök på namn eller användarnamn').fill('e2e.utf');
  const row = page.getByRole('row').filter({ hasText: 'Ebba Provare' });
  await expect(row).toContainText('Utförare – Kontaktpersonsenheten');
  await row.getByRole('link', { name: 'Ebba Provare' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ebba Provare' })).toBeVisible();
  await page.getByRole('button', { name: 'Inaktivera…' }).click();
  await expect(page.getByText(/loggas ut från alla enheter direkt/).first()).toBeVisible();
  await page.getByRole('button', { name: 'Inaktivera kontot' }).click();
  await expect(
    page.getByText('Kontot är inaktiverat. Ebba Provare är utloggad från alla enheter.'),
  ).toBeVisible();

  // Their session ended at once: on the next load they are asked to sign in, and cannot.
  await them.reload();
  await expect(them.getByRole('button', { name: 'Logga in' })).toBeVisible();
  await them.getByLabel('Användarnamn').fill('e2e.utforare');
  await them.getByLabel('Lösenord').fill('e2e-forsta-losen');
  await them.getByRole('button', { name: 'Logga in' }).click();
  await expect(them.getByText('Fel användarnamn eller lösenord.')).toBeVisible();
  await theirs.close();
});

test('a huvudrapportör adds a rapportör and removes them; the last huvudrapportör cannot leave', async ({
  page,
  browser,
  baseURL,
}) => {
  await createUser(browser, baseURL, {
    username: 'e2e.rapportor',
    displayName: 'Rut Rapport',
    password: 'e2e-rapportor-1',
    grant: { role: 'handlaggare', namnd: 'Vård- och omsorgsnämnden' },
  });
  await signIn(page, 'huvudrapportor');
  await page.getByRole('link', { name: 'Rapportörer' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rapportörer' })).toBeVisible();
  const vard = page.getByRole('region', { name: 'Vård- och omsorgsnämnden', exact: true });
  await expect(vard.getByRole('row').filter({ hasText: 'Karin Holm' })).toBeVisible();

  await vard.getByRole('button', { name: /Lägg till rapportör/ }).click();
  const form = page.getByRole('region', { name: /Lägg till rapportör för Vård/ });
  // Found by part of the name among the nämnd's people.
  await form.getByLabel('Sök användare').fill('rut rap');
  await expect(form.getByRole('status').filter({ hasText: 'matchar' })).toHaveText(
    '1 användare matchar ”rut rap”.',
  );
  await form.getByRole('radio', { name: /Rut Rapport/ }).check();
  await form.getByLabel('Bara vissa:').check();
  await form.getByLabel('LSS').check();
  await form.getByRole('button', { name: 'Lägg till' }).click();
  await expect(
    vard.getByText('Rut Rapport är tillagd som rapportör för Vård- och omsorgsnämnden.'),
  ).toBeVisible();
  const row = vard.getByRole('row').filter({ hasText: 'Rut Rapport' });
  await expect(row).toContainText('Rapportör');
  await expect(row).toContainText('LSS');

  await row.getByRole('button', { name: 'Ta bort Rut Rapport' }).click();
  await expect(
    vard.getByRole('heading', { name: 'Ta bort Rut Rapport som rapportör?' }),
  ).toBeVisible();
  await vard.getByRole('button', { name: 'Ja, ta bort' }).click();
  await expect(
    vard.getByText('Rut Rapport är borttagen som rapportör för Vård- och omsorgsnämnden.'),
  ).toBeVisible();
  await expect(vard.getByRole('row').filter({ hasText: 'Rut Rapport' })).toHaveCount(0);

  // The nämnd's only huvudrapportör trying to remove themself hears the server's refusal.
  const social = page.getByRole('region', { name: 'Socialnämnden', exact: true });
  await social.getByRole('button', { name: 'Ta bort Magnus Ek' }).click();
  await social.getByRole('button', { name: 'Ja, ta bort' }).click();
  await expect(social.getByRole('alert')).toHaveText(
    /^Du är nämndens enda huvudrapportör\. Lägg först till en ny huvudrapportör/,
  );
  await expect(social.getByRole('row').filter({ hasText: 'Magnus Ek' })).toBeVisible();
});

test('a rapportör reads the register but cannot change it', async ({ page }) => {
  await signIn(page, 'rapportor');
  await page.getByRole('link', { name: 'Rapportörer' }).click();
  const table = page.getByRole('table', { name: 'Rapportörer för Vård- och omsorgsnämnden' });
  await expect(table.getByRole('row').filter({ hasText: 'Magnus Ek' })).toContainText(
    'Huvudrapportör',
  );
  await expect(page.getByRole('button', { name: /Lägg till rapportör|Ta bort|Ändra/ })).toHaveCount(
    0,
  );
});

const OWN_PASSWORD_USERS: { label: string; grant: GrantSpec; home: string }[] = [
  {
    label: 'Utförare',
    grant: { role: 'utforare', enhet: 'Hemtjänst Norr' },
    home: 'Mina beställningar',
  },
  {
    label: 'Handläggare',
    grant: { role: 'handlaggare', namnd: 'Socialnämnden' },
    home: 'Uppföljningar',
  },
  {
    label: 'Rapportör',
    grant: { role: 'rapportor', namnd: 'Socialnämnden' },
    home: 'Individrapporter',
  },
  { label: 'Administratör', grant: { role: 'admin' }, home: 'Användare' },
];

for (const [i, who] of OWN_PASSWORD_USERS.entries()) {
  test(`a user with the role ${who.label} changes their own password`, async ({
    page,
    browser,
    baseURL,
  }) => {
    const username = `e2e.konto${i}`;
    await createUser(browser, baseURL, {
      username,
      displayName: `Konto Test ${i}`,
      password: 'e2e-gammalt-losen',
      grant: who.grant,
    });
    await signInWith(page, username, 'e2e-gammalt-losen');
    await expect(page.getByRole('heading', { level: 1, name: who.home })).toBeVisible();
    await page.getByRole('link', { name: 'Mitt konto' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mitt konto' })).toBeVisible();
    await expect(page.getByText(username, { exact: true })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: who.label }).first()).toBeVisible();

    await page.getByLabel('Nuvarande lösenord').fill('inte-rätt-lösen');
    await page.getByLabel('Nytt lösenord').fill('e2e-nytt-losen-1');
    await page.getByLabel('Upprepa det nya lösenordet').fill('e2e-nytt-losen-2');
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
    await expect(
      page.getByText('Lösenorden är inte lika. Skriv samma nya lösenord två gånger.'),
    ).toBeVisible();
    await page.getByLabel('Upprepa det nya lösenordet').fill('e2e-nytt-losen-1');
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
    await expect(page.getByText('Nuvarande lösenord stämmer inte')).toBeVisible();
    await expect(page.getByLabel('Nuvarande lösenord')).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Nuvarande lösenord').fill('e2e-gammalt-losen');
    await page.getByRole('button', { name: 'Byt lösenord' }).click();
    await expect(page.getByText(/^Lösenordet är bytt/)).toBeVisible();
    // This session goes on: the next screen still answers.
    await page.getByRole('link', { name: 'Synkronisering' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Synkronisering' })).toBeVisible();

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill('e2e-gammalt-losen');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect(page.getByText('Fel användarnamn eller lösenord.')).toBeVisible();
    await signInWith(page, username, 'e2e-nytt-losen-1');
  });
}

test('an administrator sets a user’s external id and break-glass; a new id ends their sessions', async ({
  page,
  browser,
  baseURL,
}) => {
  // Two users' sign-ins with their first syncs, and three saves.
  test.setTimeout(90_000);
  await createUser(browser, baseURL, {
    username: 'e2e.extern',
    displayName: 'Elsa Extern',
    password: 'e2e-extern-losen',
    grant: { role: 'handlaggare', namnd: 'Socialnämnden' },
  });
  // The user is signed in on a device of their own.
  const theirs = await browser.newContext({ baseURL });
  const them = await theirs.newPage();
  await signInWith(them, 'e2e.extern', 'e2e-extern-losen');

  await signIn(page, 'admin');
  await page.getByLabel('Sök på namn eller användarnamn').fill('e2e.ext');
  await page.getByRole('link', { name: 'Elsa Extern' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Elsa Extern' })).toBeVisible();
  const signInSection = page.getByRole('region', { name: 'Inloggning med e-legitimation' });
  const externalId = signInSection.getByLabel('Externt id');
  const breakGlass = signInSection.getByLabel('Nödåtkomst med lösenord');
  const save = signInSection.getByRole('button', { name: 'Spara inloggningen' });
  await expect(externalId).toHaveValue('');
  await expect(breakGlass).not.toBeChecked();

  // Another user's username is refused at the field, and nothing is saved.
  await externalId.fill('admin');
  await save.click();
  await expect(
    signInSection.getByText('Det externa id:t är en annan användares användarnamn'),
  ).toBeVisible();
  await expect(externalId).toHaveAttribute('aria-invalid', 'true');

  await externalId.fill('SE2321000016-E2E1');
  await breakGlass.check();
  await save.click();
  await expect(signInSection.getByRole('status')).toHaveText('Inloggningen är ändrad.');

  // Saved: read back from the server after a reload.
  await page.reload();
  await expect(signInSection.getByLabel('Externt id')).toHaveValue('SE2321000016-E2E1');
  await expect(signInSection.getByLabel('Nödåtkomst med lösenord')).toBeChecked();

  // A new external id ended the user's sessions: on the next load they are asked to sign in.
  await them.reload();
  await expect(them.getByRole('button', { name: 'Logga in' })).toBeVisible();
  await expect(them.getByRole('button', { name: 'Logga ut' })).toHaveCount(0);

  // Break-glass alone is no new identity: the user, signed in again, stays signed in.
  await signInWith(them, 'e2e.extern', 'e2e-extern-losen');
  await signInSection.getByLabel('Nödåtkomst med lösenord').uncheck();
  await signInSection.getByRole('button', { name: 'Spara inloggningen' }).click();
  await expect(signInSection.getByRole('status')).toHaveText('Inloggningen är ändrad.');
  await them.reload();
  await expect(them.getByRole('button', { name: 'Logga ut' })).toBeVisible();

  // Emptied, the user is matched by the username again.
  await signInSection.getByLabel('Externt id').fill('');
  await signInSection.getByRole('button', { name: 'Spara inloggningen' }).click();
  await expect(signInSection.getByRole('status')).toHaveText('Inloggningen är ändrad.');
  await page.reload();
  await expect(signInSection.getByLabel('Externt id')).toHaveValue('');
  await expect(signInSection.getByLabel('Nödåtkomst med lösenord')).not.toBeChecked();
  await theirs.close();
});
