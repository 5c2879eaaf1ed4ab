import { expect, test } from '@playwright/test';
import { expectNoViolations } from './support/axe';
import { goOffline, goOnline, signIn, waitForServiceWorker } from './support/session';

/*
 * Issue 12: an utförare voids an offer logged by mistake while offline; the voiding waits in the
 * outbox, the timeline shows the offer struck through with who and why at once, and once online the
 * server holds the voiding naming the offer. axe checks the timeline with the voided event.
 */
test('an offer voided offline reaches the server once online, and the timeline says who voided it and why', async ({
  page,
  context,
}) => {
  // Sign-in, a logged offer, offline, axe and back online: more than the default 30 s on a busy CI.
  test.setTimeout(90_000);
  await signIn(page, 'utforare');
  await waitForServiceWorker(page);
  // The first decision that is waiting (an offer can be logged).
  const cards = page.locator('.card');
  await expect(cards.first()).toBeVisible();
  let found = false;
  for (let i = 0; i < Math.min(await cards.count(), 8) && !found; i++) {
    await cards.nth(i).getByRole('link').click();
    found = await page
      .getByRole('button', { name: 'Erbjudande', exact: true })
      .isVisible({ timeout: 3_000 })
      .catch(() => false);
    if (!found) await page.goBack();
  }
  expect(found, 'a waiting decision of the utförare').toBe(true);
  const decisionId = page.url().split('/').pop() ?? '';

  const offer = `Plats erbjuden av misstag ${Date.now()}`;
  await page.getByRole('button', { name: 'Erbjudande', exact: true }).click();
  await page.getByRole('textbox', { name: 'Vad erbjöds' }).fill(offer);
  await page.getByRole('button', { name: 'Spara erbjudande' }).click();
  // The server has the offer before the network goes ("Allt är skickat" alone may still be the
  // bar from before the offer was queued, on a busy machine).
  await expect
    .poll(
      async () => {
        const input = encodeURIComponent(JSON.stringify({ 0: { id: decisionId } }));
        const answer = await page.request.get(`/api/trpc/decisions.get?batch=1&input=${input}`);
        return (await answer.text()).includes(offer);
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 20_000 });

  await goOffline(context);
  const timeline = page.getByRole('region', { name: 'Händelser' });
  const item = timeline.getByRole('listitem').filter({ hasText: offer });
  await item.getByRole('button', { name: /^Makulera erbjudande/ }).click();
  await item.getByLabel('Varför makuleras händelsen?').fill('Registrerat på fel beslut');
  await item.getByRole('button', { name: 'Makulera händelsen' }).click();
  await expect(page.getByText('1 ändring väntar på att skickas')).toBeVisible();
  await expect(item.getByText(/^Makulerad av dig den .*: Registrerat på fel beslut/)).toBeVisible();
  await expect(item.locator('del')).toContainText(offer);
  await expectNoViolations(page, 'the timeline with a voided offer');

  await goOnline(context);
  await expect(page.getByText('Allt är skickat')).toBeVisible({ timeout: 20_000 });
  const detail = await page.evaluate(async (id) => {
    const input = encodeURIComponent(JSON.stringify({ id }));
    const response = await fetch(`/api/trpc/decisions.get?input=${input}`);
    return (await response.json()) as {
      result: {
        data: { events: { id: string; type: string; text?: string; makulerarId?: string }[] };
      };
    };
  }, decisionId);
  const events = detail.result.data.events;
  const offered = events.find((e) => e.text === offer);
  expect(offered).toBeTruthy();
  expect(
    events.filter((e) => e.type === 'makulering' && e.makulerarId === offered?.id),
  ).toHaveLength(1);
});
