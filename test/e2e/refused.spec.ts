import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, goOffline, goOnline, signIn } from './support/session';

test('an item the server refuses stays with its reason until the user discards it', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  await signIn(page, 'utforare');

  // The demo handläggare, in a session of their own.
  const handlaggare = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { origin: baseURL ?? '' },
  });
  const login = await handlaggare.post('/api/trpc/auth.login', {
    data: { username: 'handlaggare', password: DEMO_PASSWORD },
  });
  const { id: handlaggareId } = (await login.json()).result.data as { id: string };

  // A waiting decision in the utförare's unit that this handläggare handles.
  const decisionId = await page.evaluate(
    (hid) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('evb');
        open.onsuccess = () => {
          const tx = open.result.transaction(['decisions', 'events']);
          const decisions = tx.objectStore('decisions').getAll();
          const events = tx.objectStore('events').getAll();
          tx.oncomplete = () => {
            const ended = new Set(
              (events.result as { decisionId: string; type: string }[])
                .filter((e) => e.type === 'verkstalld' || e.type === 'avslutad')
                .map((e) => e.decisionId),
            );
            const found = (decisions.result as { id: string; handlaggareId: string }[]).find(
              (d) => d.handlaggareId === hid && !ended.has(d.id),
            );
            if (found) resolve(found.id);
            else reject(new Error('no shared waiting decision in the demo data'));
          };
        };
      }),
    handlaggareId,
  );

  // Offline, the utförare logs the decision as verkställt…
  await page.goto(`/beslut/${decisionId}`);
  // The page is on screen before the network goes (its code loads on demand: on a first visit
  // the service worker may not control the page yet).
  await expect(page.getByRole('button', { name: 'Verkställt', exact: true })).toBeVisible();
  await goOffline(context);
  await page.getByRole('button', { name: 'Verkställt', exact: true }).click();
  await page.getByRole('button', { name: 'Spara verkställt' }).click();
  await expect(page.getByText('1 ändring väntar på att skickas')).toBeVisible();

  // …while the handläggare closes it.
  const closed = await handlaggare.post('/api/trpc/decisions.close', {
    data: { decisionId, anledning: 'behov_upphort' },
  });
  expect(closed.status()).toBe(200);

  await goOnline(context);
  await page.getByRole('link', { name: /1 ändring togs inte emot/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Synkronisering' })).toBeVisible();
  await expect(page.getByText(/Servern svarade: .*avslutades/)).toBeVisible();
  await expect(page.getByText('Allt är skickat')).toBeVisible();

  await page.getByRole('button', { name: 'Ta bort' }).click();
  await expect(page.getByText(/togs inte emot/)).toHaveCount(0);
  await expect(page.getByText('Inget – allt du har skickat har tagits emot')).toBeVisible();
  await handlaggare.dispose();
});
